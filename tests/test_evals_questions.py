"""The gold set: schema, verbatim key passages, coverage, and that no code is tuned to it."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from evals.dataset import DEFAULT_SET, load_set, turns_of
from ingest.corpus import is_verbatim, load_catalog
from ingest.corpus import squash as corpus_squash

REPO = Path(__file__).resolve().parents[1]
ITEMS = load_set(DEFAULT_SET)
_PUNCT = re.compile(r"[\s\W_]+")


def _bare(text: str) -> str:
    """Letters and digits only: a copy with changed punctuation or spacing is still a copy."""
    return _PUNCT.sub("", text)


def test_size_and_routes():
    assert len(ITEMS) >= 220
    routes = Counter(i["route"] for i in ITEMS)
    assert set(routes) == {"rules", "retrieval", "clarify", "out_of_scope", "error"}


def test_gold_docs_are_catalogued_and_key_passages_are_verbatim_and_short():
    docs = {m.doc for m in load_catalog()}
    for item in ITEMS:
        assert set(item["gold_docs"]) <= docs, item["id"]
        kp = item["key_passage"]
        for passage in [kp] if isinstance(kp, str) else kp or []:
            assert 8 <= len(corpus_squash(passage)) <= 30, (item["id"], passage)
            assert any(is_verbatim(passage, d) for d in item["gold_docs"]), (item["id"], passage)


def test_eligibility_in_both_directions_and_both_outcomes_in_every_region():
    seen = Counter()
    for item in ITEMS:
        dec = item["decision"]
        if item["category"].startswith("elig_") and dec:
            seen[(item["category"], dec["region"], dec["eligible"])] += 1
    for cat in ("elig_skill_to_title", "elig_title_to_skill"):
        for region in ("四川", "上海", "黄石", "江苏"):
            assert seen[(cat, region, True)] and seen[(cat, region, False)], (cat, region)


def test_every_document_is_a_gold_document_somewhere():
    used = {d for i in ITEMS for d in i["gold_docs"]}
    assert used == {m.doc for m in load_catalog()}


def test_decision_items_are_rules_or_clarify_and_clarify_is_undecided():
    for item in ITEMS:
        if item["route"] == "clarify":
            assert item["decision"] and item["decision"]["eligible"] is None, item["id"]
        if item["decision"] is not None:
            assert item["route"] in ("rules", "clarify"), item["id"]


def test_no_question_text_or_id_in_the_code_under_test():
    """No set may be tuned to: no question (≥ 8 characters, punctuation and spacing ignored) or id of
    any evals/*.jsonl set appears in assistant/, rules/, ingest/."""
    every = [item for path in sorted((REPO / "evals").glob("*.jsonl")) for item in load_set(path)]
    texts = {_bare(t) for item in every for t in turns_of(item) if len(_bare(t)) >= 8}
    ids = [item["id"] for item in every]
    id_re = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z0-9_])")
    offenders = []
    for folder in ("assistant", "rules", "ingest"):
        for path in (REPO / folder).rglob("*"):
            if not path.is_file() or path.suffix not in {".py", ".yaml", ".yml", ".json", ".jsonl", ".txt", ".md"}:
                continue
            raw = path.read_text(encoding="utf-8", errors="ignore")
            flat = _bare(raw)
            offenders += [f"{path.relative_to(REPO)}: question {t[:20]}…" for t in texts if t in flat]
            offenders += [f"{path.relative_to(REPO)}: id {m.group(1)}" for m in id_re.finditer(raw)]
    assert not offenders, "\n".join(offenders[:20])
