"""Split a cleaned document along its own structure into clauses that keep their section path.

A clause is one body paragraph (or one table row) at the deepest structural level, as a
verbatim slice of the cleaned text. Heading-only lines (（一）助理级职称, 附件 1, document
titles) never stand alone: they open the slice of the first body paragraph after them, and
they are in the section path of everything beneath them.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from itertools import pairwise

from ingest.corpus import CleanDoc

# Longest clause we keep in one piece. The longest prose paragraph in the seed corpus is
# ~620 characters (川人社规〔2023〕15号 （十五）); only the Jiangsu occupation directory row
# (~1,300) exceeds this. Longer paragraphs are cut at sentence ends, longer table cells at
# list-item boundaries, never mid-sentence.
MAX_CLAUSE_CHARS = 800

_CN = "一二三四五六七八九十"
_LEVELS: list[tuple[int, re.Pattern]] = [
    (0, re.compile(r"^附件\s*(\d*)$")),
    (1, re.compile(rf"^([{_CN}]+)、")),
    (2, re.compile(rf"^[（(]([{_CN}]+)[）)]")),
    (3, re.compile(r"^(\d+)\s*[.．、](?!\d)")),
    (3, re.compile(rf"^(第[{_CN}]+阶段)")),
    (4, re.compile(r"^[（(](\d+)[）)]")),
]
_TERMINAL = tuple("。；;！？!?…")
_SENTENCE_END = re.compile(r"(?<=[。；;！？])")
_TABLE_ITEM = re.compile(r"(?<=\s)(?=\d-\d{2}(?:-\d{2})*\s)")


@dataclass
class Clause:
    id: str
    doc: str
    title: str
    section: str
    section_path: list[str]
    text: str
    start: int
    end: int
    province: str
    city: str | None
    kind: str = "paragraph"  # paragraph | table_row | preamble | closing
    extra: dict = field(default_factory=dict)
    # Position among the body paragraphs that share one label (1-based; None when the label has
    # only one): shown apart from the label, since "（第2段）" is not the document's numbering.
    paragraph: int | None = None
    # True when the text is a sentence-boundary piece of a longer paragraph: the paragraph goes on
    # before / after it (the pasted form shows "……" there).
    cut_before: bool = False
    cut_after: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def path_str(self) -> str:
        return " > ".join(self.section_path)


def heading_of(line: str) -> tuple[int, str] | None:
    """(level, marker) when a line starts with a structural heading marker, else None."""
    for level, pattern in _LEVELS:
        m = pattern.match(line)
        if m:
            marker = m.group(0).strip()
            if level == 0:
                marker = "附件" + m.group(1)
            return level, marker
    return None


def _heading_label(line: str, marker: str) -> str:
    """Marker plus a short title: '（一）助理级职称', '3. 任职资历条件', or the bare marker."""
    rest = line[len(marker):].strip() if line.startswith(marker) else line
    if _is_heading_only(line) and len(rest.rstrip("。：:")) <= 30:
        return marker + rest.rstrip("。：:")
    first = re.split(r"[。：:]", rest, maxsplit=1)[0]  # a run-in title ends with 。 ('以德为先。')
    return f"{marker}{first}" if len(first) <= 16 and "，" not in first else marker


def _is_heading_only(line: str) -> bool:
    """A line with no body of its own: a heading, a title, a signature line, or a lead-in
    ending in a colon ('具备下列条件之一者，可破格申报评审相应专业中级职称：') that
    introduces the items below it."""
    if "\t" in line:
        return False
    if line.endswith(("：", ":")):
        return len(line) <= 100
    h = heading_of(line)
    if h and line.endswith("。") and line.count("。") == 1 and len(line) - len(h[1]) <= 20:
        return True  # '（二）完善高技能人才职称评价标准。'
    if line.endswith(_TERMINAL):
        return False
    return len(line) <= 40 and "，" not in line


def label_marker(marker: str) -> str:
    """One style for every label, from the document's own numbering: full-width brackets and
    period, no spaces ('(四)' → '（四）', '1 .' → '1.', '（ 1 ）' → '（1）')."""
    m = re.sub(r"\s+", "", marker).replace("(", "（").replace(")", "）").replace("．", ".")
    return m


def _compact(path: list[str], inner: list[tuple[int, str]] = ()) -> str:
    """'附件1 五、（二）4.' from ['附件1 高技能…', '五、', '（二）中级职称', '4.']. When the clause's
    own text runs over several sibling headings (`inner`: (level, marker) of the heading lines
    inside it), the label names the range ('附件1 一、至三、'), never only the last item."""
    parts: list[tuple[int | None, str]] = []
    for label in path:
        h = heading_of(label)
        if label.startswith("附件"):
            parts.append((0, label.split(" ")[0]))
        else:
            parts.append((h[0], label_marker(h[1])) if h else (None, label))
    for level in sorted({lv for lv, _ in inner}):
        markers = list(dict.fromkeys(label_marker(m) for lv, m in inner if lv == level))
        if len(markers) > 1:
            at = [i for i, (lv, _) in enumerate(parts) if lv == level]
            if at:
                parts = parts[:at[-1]] + [(level, f"{markers[0]}至{markers[-1]}")]
                break
    out = ""
    for lv, p in parts:
        joined = not out or (out.endswith(("、", "）", ".")) and lv not in (0, None))
        out += ("" if joined else " ") + p
    return out.strip()


def range_label(path: list[str], heads: list[tuple[int, str] | None]) -> str:
    """The label of a quote that runs over sibling items (their headings `heads`, as heading_of
    gives them), in the style of a clause that spans them: '二、（一）至（四）'."""
    return _compact(path, [h for h in heads if h])


def _pieces(text: str, start: int, is_row: bool) -> list[tuple[int, int]]:
    """Cut an over-long paragraph into (start, end) spans at sentence ends / list items."""
    if len(text) <= MAX_CLAUSE_CHARS:
        return [(start, start + len(text))]
    cuts = [m.start() for m in (_TABLE_ITEM if is_row else _SENTENCE_END).finditer(text)]
    spans, begin, last_ok = [], 0, 0
    for c in cuts + [len(text)]:
        if c - begin > MAX_CLAUSE_CHARS and last_ok > begin:
            spans.append((begin, last_ok))
            begin = last_ok
        last_ok = c
    spans.append((begin, len(text)))
    # trailing whitespace belongs to the piece before it; keep slices exact but trimmed
    out = []
    for b, e in spans:
        seg = text[b:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if seg.strip():
            out.append((start + b + lead, start + e - trail))
    return out


def split_document(doc: CleanDoc) -> list[Clause]:
    text = doc.text
    meta = doc.meta
    # paragraphs with their offsets
    paras: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            paras.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1

    gap_labels = dict(meta.source_gaps)
    clauses: list[Clause] = []
    stack: list[tuple[int, str]] = []  # (level, label) of the open headings
    pending: int | None = None         # start of heading-only lines waiting for their body
    gap_label: str | None = None       # set once the text has passed a declared source gap
    inner: list[tuple[int, str]] = []  # headings inside the slice being collected

    def emit(start: int, end: int, kind: str, path: list[str]) -> None:
        if gap_label and kind != "closing":
            path = [gap_label] + path
        section = _compact(path, inner if kind != "table_row" else [])
        inner.clear()
        spans = _pieces(text[start:end], start, kind == "table_row")
        for i, (s, e) in enumerate(spans):
            clauses.append(Clause(
                id=f"{doc.sha}:{len(clauses):04d}", doc=meta.doc, title=meta.title, section=section,
                section_path=list(path), text=text[s:e], start=s, end=e,
                province=meta.province, city=meta.city, kind=kind,
                cut_before=i > 0, cut_after=i < len(spans) - 1,
            ))

    def flush_pending(upto: int) -> None:
        nonlocal pending
        if pending is not None:
            emit(pending, upto, "closing", ["落款"])
            pending = None

    prev_end = 0
    for s, e in paras:
        line = text[s:e]
        h = heading_of(line)
        if "\t" in line:  # a table row
            cells = [c.strip() for c in line.split("\t")]
            if not cells[0].isdigit() and (not clauses or clauses[-1].kind != "table_row"):
                pending = s if pending is None else pending  # header row opens the first data row
            else:
                start, pending = (pending if pending is not None else s), None
                emit(start, e, "table_row", [lbl for _, lbl in stack] + [f"序号{cells[0]} {cells[1]}".strip()])
            prev_end = e
            continue
        if h and h[0] == 0:
            flush_pending(prev_end)  # attachment list and signature of the text before it
            stack = [(0, h[1])]
            gap_label = None
            pending = s
            prev_end = e
            continue
        if h:
            level, marker = h
            inner.append(h)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, _heading_label(line, marker)))
        if _is_heading_only(line):
            if not h and stack and stack[-1][0] == 0 and pending is not None and "\n" not in text[pending:s].strip():
                stack[-1] = (0, f"{stack[-1][1]} {line}")  # the attachment's title
            pending = s if pending is None else pending
            prev_end = e
            continue
        start, pending = (pending if pending is not None else s), None
        emit(start, e, "paragraph" if stack or gap_label else "preamble",
             [lbl for _, lbl in stack] or ([] if gap_label else ["文首"]))
        for after, label in gap_labels.items():
            if line.endswith(after):
                gap_label = label
                stack = []
        prev_end = e
    flush_pending(prev_end)
    _number_paragraphs(clauses)
    return clauses


def _number_paragraphs(clauses: list[Clause]) -> None:
    """Several body paragraphs under one label get their position (pieces of one paragraph share it)."""
    groups: dict[str, list[Clause]] = {}
    for c in clauses:
        if not c.cut_before:
            groups.setdefault(c.section, []).append(c)
    for same in groups.values():
        if len(same) > 1:
            for n, c in enumerate(same, 1):
                c.paragraph = n
    for prev, c in pairwise(clauses):
        if c.cut_before:
            c.paragraph = prev.paragraph


def split_all(docs: list[CleanDoc]) -> list[Clause]:
    return [c for d in docs for c in split_document(d)]
