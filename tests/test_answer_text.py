"""Answer texts a worker can read (issue 10): over every question of every eval set, no rule id
in the text (ids stay in the JSON), no ❌ beside a credential the person never mentioned, and
never two verdicts in one answer (a region-by-region comparison has one per section)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from evals.dataset import load_set, turns_of

REPO = Path(__file__).resolve().parent.parent
RULE_ID = re.compile(r"\b(sc|sh|hs|js)\.(s2t|t2s|ladder|green|none)\b|（规则：")


def _answers(assistant):
    for path in sorted((REPO / "evals").glob("*.jsonl")):
        for item in load_set(path):
            facts = None
            for text in turns_of(item):
                answer = assistant.ask(text, as_of=item.get("as_of") or "2026-11-21", facts=facts)
                facts = answer.get("facts") or None
                yield item["id"], answer


@pytest.fixture(scope="module")
def answers(assistant):
    return list(_answers(assistant))


def test_no_rule_id_in_any_answer_text(answers):
    assert len(answers) > 800
    offenders = [qid for qid, a in answers if RULE_ID.search(a["answer"])]
    assert not offenders, offenders[:10]


def test_no_cross_for_a_credential_nobody_mentioned(answers):
    offenders = [(qid, line) for qid, a in answers for line in a["answer"].splitlines()
                 if "❌ 已取得" in line and "您现有" not in line and "您说没有" not in line]
    assert not offenders, offenders[:10]


def test_one_verdict_per_answer(answers):
    """One verdict per answer, or per region section ("### 四川省" …) of a comparison, and never a
    "no path" beside a "yes" for the same region."""
    def sections(text: str) -> list[str]:
        return text.split("### ") if "### " in text else [text]

    offenders = [qid for qid, a in answers for part in sections(a["answer"]) if part.count("**结论") > 1]
    assert not offenders, offenders[:10]
    contradictions = [qid for qid, a in answers for part in sections(a["answer"])
                      if "没有您可以申报" in part and "结论：可以" in part]
    assert not contradictions, contradictions[:10]
