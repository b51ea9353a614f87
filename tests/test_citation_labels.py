"""Section labels an HR officer can paste: one style, and every part of it is the document's own numbering."""
from __future__ import annotations

import re
from itertools import pairwise

import pytest

from ingest.corpus import load_documents
from ingest.split import heading_of, label_marker, split_document

_UNNUMBERED = ("文首", "落款")


@pytest.fixture(scope="module")
def docs_and_clauses():
    docs = load_documents()
    return [(d, split_document(d)) for d in docs]


def _heading_markers(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        h = heading_of(line.strip())
        if h and h[0] > 0:
            out.append(label_marker(h[1]))
    return out


def _components(section: str) -> list[str]:
    """'附件1 六、（一）1.至3.' → ['六、', '（一）', '1.至3.'] (the 附件 / gap prefix is not numbering)."""
    body = section.split(" ", 1)[1] if section.startswith(("附件", "〔")) and " " in section else section
    if body.startswith(("附件", "〔")) or body in _UNNUMBERED:
        return []
    return re.findall(r"[一二三四五六七八九十]+、(?:至[一二三四五六七八九十]+、)?|（[一二三四五六七八九十\d]+）"
                      r"(?:至（[一二三四五六七八九十\d]+）)?|\d+\.(?:至\d+\.)?|第[一二三四五六七八九十]+阶段", body)


def test_every_label_has_one_style(docs_and_clauses):
    for _, clauses in docs_and_clauses:
        for c in clauses:
            s = c.section
            assert "(" not in s and ")" not in s and "．" not in s, s          # full-width brackets only
            assert not re.search(r"第\d+段|\d/\d", s), s                    # position is `paragraph`
            assert "  " not in s and s == s.strip(), s
            if c.kind != "table_row":   # a table row's label quotes its first cells as printed
                assert s.count(" ") <= 1, s


def test_every_label_is_the_documents_own_numbering(docs_and_clauses):
    checked = 0
    for doc, clauses in docs_and_clauses:
        for c in clauses:
            comps = _components(c.section)
            if c.kind == "table_row" or not comps:
                continue
            own = set(_heading_markers(doc.text[:c.end]))
            inside = _heading_markers(c.text)
            path = {label_marker(h[1]) for h in map(heading_of, c.section_path) if h}
            rebuilt = "".join(comps)
            assert rebuilt == c.section.split(" ")[-1], (c.section, comps)    # nothing but numbering
            for comp in comps:
                for marker in comp.split("至"):
                    assert marker in own, (c.doc, c.section, marker)
                if "至" in comp:      # a range: both ends are headings inside the quoted text
                    first, last = comp.split("至")
                    assert first in inside and last in inside, (c.doc, c.section)
                else:
                    assert comp in path or comp in inside, (c.doc, c.section, comp)
            checked += 1
    assert checked > 150


def test_a_label_covers_every_sibling_heading_its_text_holds(docs_and_clauses):
    """A clause quoting items 1–3 is labelled 1.至3., never 3. alone."""
    for _, clauses in docs_and_clauses:
        for c in clauses:
            if c.kind == "table_row":
                continue
            levels: dict[int, list[str]] = {}
            for line in c.text.split("\n"):
                h = heading_of(line.strip())
                if h and h[0] > 0:
                    levels.setdefault(h[0], []).append(label_marker(h[1]))
            for markers in levels.values():
                if len(set(markers)) > 1:
                    assert f"{markers[0]}至{markers[-1]}" in c.section, (c.section, markers)
                    break


def test_paragraph_position_and_cuts_are_fields_not_label_text(docs_and_clauses):
    clauses = [c for _, cs in docs_and_clauses for c in cs]
    several = [c for c in clauses if c.paragraph]
    assert several and all(c.paragraph >= 1 for c in several)
    pieces = [c for c in clauses if c.cut_before or c.cut_after]
    assert pieces                                  # the long directory rows are cut at item boundaries
    for a, b in pairwise(clauses):
        if b.cut_before:
            assert a.cut_after and a.section == b.section
