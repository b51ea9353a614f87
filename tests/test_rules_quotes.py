"""Every rule quote is verbatim in the cleaned corpus, every clause belongs to its document, and
the coverage table in docs/rules_coverage.md lists exactly the rules that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ingest.corpus import is_verbatim
from rules.rulebook import load

ROOT = Path(__file__).resolve().parent.parent
BOOK = load()


@pytest.mark.parametrize("clause_id", sorted(BOOK.clauses))
def test_clause_quote_is_verbatim(clause_id: str) -> None:
    clause = BOOK.clauses[clause_id]
    assert is_verbatim(clause.quote, clause.doc), f"{clause_id}: quote not in {clause.doc}: {clause.quote}"


def test_jiangsu_directory_quotes_are_verbatim() -> None:
    directory = BOOK.facts["jiangsu_directory"]
    assert is_verbatim(directory["note_cite"]["quote"], directory["doc"])
    entries = [e for series in directory["series"] for e in series["entries"]]
    assert len(entries) > 70
    bad = [e["quote"] for e in entries if not is_verbatim(e["quote"], directory["doc"])]
    assert bad == []


def test_a_wrong_quote_is_caught() -> None:
    # guards the guard: a one-character change must not pass
    clause = BOOK.clauses["sh.2.2.3b"]
    assert not is_verbatim(clause.quote.replace("满 3 年", "满 2 年"), clause.doc)


def test_documents_match_the_catalog() -> None:
    catalog = yaml.safe_load((ROOT / "corpus" / "catalog.yaml").read_text(encoding="utf-8"))["documents"]
    catalog_docs = {d["doc"]: d for d in catalog}
    for doc_id, doc in BOOK.documents.items():
        assert doc_id in catalog_docs, doc_id
        assert str(catalog_docs[doc_id].get("valid_until")) == str(doc.valid_until)


def test_jiangsu_content_is_cited_to_the_provincial_document() -> None:
    for clause in BOOK.clauses.values():
        assert clause.doc != "通人社专〔2022〕1号", clause.id


def test_every_rule_cites_its_own_region() -> None:
    for rule in BOOK.rules:
        for cite in (rule.cite, *(c.cite for c in rule.conditions)):
            assert BOOK.documents[BOOK.clauses[cite].doc].region == rule.region, rule.id


def _coverage_ids() -> set[str]:
    text = (ROOT / "docs" / "rules_coverage.md").read_text(encoding="utf-8")
    return set(re.findall(r"`((?:sc|sh|hs|js)\.[a-z0-9_]+\.[A-Za-z0-9_.]+)`", text))


def test_every_rule_is_in_the_coverage_table() -> None:
    ids = _coverage_ids()
    missing = [r.id for r in BOOK.rules if r.id not in ids]
    assert missing == []


def test_every_id_in_the_coverage_table_exists() -> None:
    known = {r.id for r in BOOK.rules} | set(BOOK.clauses)
    unknown = sorted(i for i in _coverage_ids() if i not in known)
    assert unknown == []


def test_every_clause_is_in_the_coverage_table() -> None:
    text = (ROOT / "docs" / "rules_coverage.md").read_text(encoding="utf-8")
    missing = [cid for cid in BOOK.clauses if f"`{cid}`" not in text]
    assert missing == []
