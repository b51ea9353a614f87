"""Every clause of the built index: a verbatim slice, bounded, never a heading cut from its body."""
from __future__ import annotations

import json

import pytest

from ingest.corpus import is_verbatim, load_documents
from ingest.index import index_status
from ingest.split import MAX_CLAUSE_CHARS, _is_heading_only, heading_of, split_document

_SENTENCE_END = tuple("。；;：:！？!?）)")


@pytest.fixture(scope="module")
def index_clauses(built_index):
    m = index_status(built_index)
    with open(built_index / m["clauses_file"], encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def texts():
    return {d.meta.doc: d for d in load_documents()}


def test_every_clause_is_a_verbatim_slice_of_the_cleaned_text(index_clauses, texts):
    assert len(index_clauses) > 150
    for c in index_clauses:
        assert texts[c["doc"]].text[c["start"]:c["end"]] == c["text"], c["id"]
        assert is_verbatim(c["text"], c["doc"])


def test_no_clause_is_empty_or_oversized(index_clauses):
    for c in index_clauses:
        assert c["text"].strip(), c["id"]
        assert len(c["text"]) <= MAX_CLAUSE_CHARS, (c["section"], len(c["text"]))


def test_no_heading_is_separated_from_its_body(index_clauses):
    for c in index_clauses:
        lines = [ln for ln in c["text"].split("\n") if ln.strip()]
        if c["kind"] == "closing":
            continue  # signature blocks have no body by nature
        assert not _is_heading_only(lines[-1]), f"clause ends with a heading: {c['section']} {lines[-1]!r}"


def test_clauses_end_at_sentence_ends(index_clauses, texts):
    gaps = {a for d in texts.values() for a, _ in d.meta.source_gaps}
    for c in index_clauses:
        if c["kind"] in ("table_row", "closing", "preamble"):
            continue
        text = c["text"].rstrip()
        assert text.endswith(_SENTENCE_END) or any(text.endswith(g) for g in gaps), (c["section"], text[-20:])


def test_clauses_cover_all_text(texts):
    for doc in texts.values():
        covered = [False] * len(doc.text)
        for c in split_document(doc):
            for i in range(c.start, c.end):
                covered[i] = True
        missing = "".join(ch for ch, ok in zip(doc.text, covered) if not ok and not ch.isspace())
        assert missing == "", (doc.meta.doc, missing[:80])


def test_section_paths_follow_the_document_structure(index_clauses):
    by_text = {c["text"].split("\n")[-1]: c for c in index_clauses}
    c = by_text["6.取得副高级职称，累计从事本专业技术技能工作达到8年。"]
    assert c["doc"] == "川人社办发〔2021〕61号"
    assert c["section_path"][0].startswith("附件2")
    assert c["section_path"][-2:] == ["（三）高级技师", "6."]
    assert c["section"] == "附件2 五、（三）6."
    sh = [c for c in index_clauses if c["doc"] == "沪人社专〔2021〕312号" and "技师（二级）职业资格" in c["text"]
          and "满 3 年" in c["text"]]
    assert sh and sh[0]["section"].startswith("二、（二）3.")


def test_a_cross_reference_inside_a_sentence_is_not_a_heading(index_clauses):
    assert heading_of("2.优化高技能人才职称评价标准（基本条件见附件1）。")[1] == "2."
    assert heading_of("不将学历等作为限制性条件（基本条件见附件1）。") is None
    c = next(c for c in index_clauses if "（基本条件见附件1）" in c["text"])
    assert not c["section_path"][0].startswith("附件")


def test_jiangsu_directory_row_is_cut_between_entries_not_inside_one(index_clauses):
    rows = [c for c in index_clauses if c["doc"] == "苏人社发〔2021〕132号" and c["kind"] == "table_row"
            and c["section_path"][-1].startswith("序号1 ")]
    assert len(rows) >= 2
    for r in rows[1:]:
        assert r["text"][:1].isdigit(), r["text"][:30]  # each piece starts at an occupation code
