"""The corpus: catalogue, source loading (.txt/.docx/.pdf) and artefact cleaning that keeps every word."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ingest import config


class CorpusError(Exception):
    """A corpus problem a person can fix (message in Chinese, names the file)."""


@dataclass(frozen=True)
class DocMeta:
    doc: str  # 文号 exactly as printed: the citation key
    file: str
    title: str
    issuer: str
    province: str
    city: str | None = None
    issued: dt.date | None = None
    effective: dt.date | None = None
    valid_until: dt.date | None = None
    validity_note: str | None = None
    forwards: str | None = None
    forwarded_by: str | None = None
    starts_at: str | None = None
    source_gaps: tuple[tuple[str, str], ...] = ()

    @property
    def region(self) -> str:
        return f"{self.province}·{self.city}" if self.city else self.province

    def validity_on(self, as_of: dt.date) -> str:
        """'valid', 'expired' or 'not_yet' on a date (documents without stated validity stay valid)."""
        if self.effective and as_of < self.effective:
            return "not_yet"
        if self.valid_until and as_of > self.valid_until:
            return "expired"
        return "valid"


@dataclass(frozen=True)
class CleanDoc:
    meta: DocMeta
    text: str
    sha: str = field(default="")


_REQUIRED = ("doc", "file", "title", "issuer", "province")


class _CatalogLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: `2026-13-01` then gets our message with its line,
    not a ValueError from inside PyYAML."""


_CatalogLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CorpusError(f"{where}的日期不对（应为真实存在的日期，格式 YYYY-MM-DD）：{value}") from exc


def _entry_lines(root) -> list[tuple[int, dict[str, int]]]:
    """(line of the entry, {key: line of its value}) for each item of `documents`, 1-based."""
    out: list[tuple[int, dict[str, int]]] = []
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        if getattr(key, "value", None) == "documents" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                keys = {k.value: v.start_mark.line + 1 for k, v in item.value} \
                    if isinstance(item, yaml.MappingNode) else {}
                out.append((item.start_mark.line + 1, keys))
    return out


def _where(name: str, entry: int, line: int, key_lines: dict[str, int], key: str | None = None) -> str:
    return f"{name} 第 {key_lines.get(key, line)} 行（第 {entry} 条）"


def load_catalog(corpus: Path | None = None) -> list[DocMeta]:
    """corpus/catalog.yaml, checked. Every mistake is a CorpusError naming the file and line."""
    corpus = Path(corpus or config.corpus_dir())
    path = corpus / "catalog.yaml"
    if not path.exists():
        raise CorpusError(f"找不到语料目录文件：{path}")
    try:
        loader = _CatalogLoader(path.read_text(encoding="utf-8"))
        try:
            root = loader.get_single_node()
            raw = (loader.construct_document(root) if root is not None else None) or {}
        finally:
            loader.dispose()
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise CorpusError(f"语料目录文件 {path.name} 无法解析：{exc}") from exc
    entries = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CorpusError(f"语料目录文件 {path.name} 里没有 documents 列表")
    lines = _entry_lines(root)
    metas: list[DocMeta] = []
    seen: set[str] = set()
    for i, e in enumerate(entries, 1):
        line, key_lines = lines[i - 1] if i <= len(lines) else (0, {})
        where = functools.partial(_where, path.name, i, line, key_lines)

        if not isinstance(e, dict):
            raise CorpusError(f"{where()}不是键值对")
        missing = [k for k in _REQUIRED if not e.get(k)]
        if missing:
            raise CorpusError(f"{where()}缺少字段：{', '.join(missing)}")
        if e["doc"] in seen:
            raise CorpusError(f"{where('doc')}文号重复：{e['doc']}")
        seen.add(e["doc"])
        if not (corpus / str(e["file"])).is_file():
            raise CorpusError(f"{where('file')}（{e['doc']}）指向的文件不存在：{e['file']}")
        try:
            gaps = tuple((str(g["after"]), str(g.get("label", "〔原文缺失〕"))) for g in e.get("source_gaps") or [])
        except (TypeError, KeyError, AttributeError) as exc:
            raise CorpusError(f"{where('source_gaps')}的 source_gaps 应为 after/label 列表") from exc
        metas.append(DocMeta(
            doc=str(e["doc"]), file=str(e["file"]), title=str(e["title"]), issuer=str(e["issuer"]),
            province=str(e["province"]), city=e.get("city") or None,
            issued=_date(e.get("issued"), where("issued")), effective=_date(e.get("effective"), where("effective")),
            valid_until=_date(e.get("valid_until"), where("valid_until")), validity_note=e.get("validity_note"),
            forwards=e.get("forwards"), forwarded_by=e.get("forwarded_by"),
            starts_at=e.get("starts_at"), source_gaps=gaps,
        ))
    return metas


# --- loading sources -------------------------------------------------------------------------

def read_source(path: Path) -> str:
    """Plain text of a source file; tables in .docx become one tab-separated line per row."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".txt":
            return path.read_bytes().decode("utf-8-sig")
        if suffix == ".docx":
            return _read_docx(path)
        if suffix == ".pdf":
            return _read_pdf(path)
    except UnicodeDecodeError as exc:
        raise CorpusError(f"文件不是 UTF-8 编码，请另存为 UTF-8 后再导入：{path.name}") from exc
    except CorpusError:
        raise
    except Exception as exc:  # a broken .docx/.pdf: say which file, not a traceback
        raise CorpusError(f"无法读取文件 {path.name}：{exc}") from exc
    raise CorpusError(f"不支持的文件类型 {suffix}（支持 .txt / .docx / .pdf）：{path.name}")


def _read_docx(path: Path) -> str:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                lines.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))
        lines.append("")
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n\n".join((page.extract_text() or "") for page in reader.pages)


# --- cleaning -----------------------------------------------------------------------------------

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_P_TAG = re.compile(r"</?p>")
_FOOTER = re.compile(r"^\s*[—\-－]+\s*\d+\s*[—\-－]+\s*$")
# A paragraph that ends in one of these is complete; anything else may run on after a page break.
_TERMINAL = tuple("。；;：:！？!?…”」）)")
_HEADING_START = re.compile(
    r"^(附件|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\s*[.．、]|[（(]\d+[）)]|第[一二三四五六七八九十]+阶段|——)"
)
_ITEM_START = re.compile(r"^(\d+\s*[.．、]|[（(]\d+[）)])")


def _is_run_on(a: str, b: str, gaps: tuple[str, ...]) -> bool:
    """True when paragraph `a` is a sentence cut by a page break and `b` is its rest."""
    if not a or not b or "\t" in a or "\t" in b:
        return False
    if a.endswith(_TERMINAL) or any(a.endswith(g) for g in gaps):
        return False
    if _HEADING_START.match(b):
        return False
    prose = any(p in a for p in "，、；“。") or bool(_ITEM_START.match(a))
    return prose and len(a) >= 12


def clean_text(raw: str, gaps: tuple[str, ...] = ()) -> str:
    """Remove conversion artefacts and re-join what page breaks split, without changing a word.

    Output: one paragraph per line. Table rows become one line with cells separated by tabs.
    Only whitespace and markup (bookmarks, <p> tags, page footers) is ever removed.
    """
    lines = []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").split("\n"):
        line = _P_TAG.sub("", _BOOKMARK.sub("", line)).rstrip()
        if _FOOTER.match(line):
            line = ""
        lines.append(line)

    # Tables: cells on their own lines, each starting with a tab (rows separated by blank
    # lines), or continuation lines with empty leading cells. Both become one line per row.
    paragraphs: list[str] = []
    prev_blank = True
    for line in lines:
        if not line.strip():
            prev_blank = True
            continue
        if line.startswith("\t\t") and paragraphs and "\t" in paragraphs[-1]:
            # empty leading cells: the rest of the previous row's last cell
            paragraphs[-1] = paragraphs[-1].rstrip("\t ") + "\t" + line.strip()
        elif line.startswith("\t") and not prev_blank and paragraphs and paragraphs[-1].startswith("\t"):
            paragraphs[-1] = paragraphs[-1] + "\t" + line.strip()  # next cell of the same row
        elif line.startswith("\t"):
            paragraphs.append("\t" + line.strip())
        else:
            paragraphs.append(line.strip())
        prev_blank = False
    paragraphs = [p.strip() for p in paragraphs]

    joined: list[str] = []
    for p in paragraphs:
        if joined and _is_run_on(joined[-1], p, gaps):
            joined[-1] += p
        else:
            joined.append(p)
    return "\n".join(p for p in joined if p) + "\n"


def _slice_for(meta: DocMeta, text: str, siblings: list[DocMeta]) -> str:
    """The part of a shared file that belongs to `meta` (from its starts_at to the next one's)."""
    starts = sorted(
        (text.find(m.starts_at) if m.starts_at else 0, m.doc) for m in siblings
    )
    for pos, doc in starts:
        if pos < 0:
            raise CorpusError(f"{doc} 的 starts_at 在文件 {meta.file} 中找不到")
    bounds = [pos for pos, _ in starts] + [len(text)]
    i = [doc for _, doc in starts].index(meta.doc)
    return text[bounds[i]:bounds[i + 1]]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the code and data that turn text into clauses and tokens. It is part of every
    document's hash, so changing the cleaner, the splitter or the jieba dictionary re-splits and
    re-indexes the corpus on the next ingest instead of keeping stale clauses."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in ("corpus.py", "split.py", "tokenize.py", "data/userdict.txt"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def load_documents(corpus: Path | None = None) -> list[CleanDoc]:
    """Every catalogued document, cleaned. Raises CorpusError with a Chinese message."""
    corpus = Path(corpus or config.corpus_dir())
    metas = load_catalog(corpus)
    raws: dict[str, str] = {}
    docs: list[CleanDoc] = []
    for meta in metas:
        if meta.file not in raws:
            raws[meta.file] = read_source(corpus / meta.file)
        siblings = [m for m in metas if m.file == meta.file]
        part = _slice_for(meta, raws[meta.file], siblings) if len(siblings) > 1 else raws[meta.file]
        text = clean_text(part, tuple(g for g, _ in meta.source_gaps))
        if not text.strip():
            raise CorpusError(f"{meta.doc}（{meta.file}）清洗后没有正文")
        sha = hashlib.sha256((pipeline_version() + repr(meta) + text).encode("utf-8")).hexdigest()[:16]
        docs.append(CleanDoc(meta=meta, text=text, sha=sha))
    return docs


@lru_cache(maxsize=4)
def _cached_documents(corpus: str) -> tuple[CleanDoc, ...]:
    return tuple(load_documents(Path(corpus)))


def cleaned_documents(corpus: Path | None = None) -> list[CleanDoc]:
    """Cached per process: the cleaned corpus that quotes are checked against."""
    return list(_cached_documents(str(Path(corpus or config.corpus_dir()).resolve())))


_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace-free form used for verbatim comparisons."""
    return _WS.sub("", text)


@lru_cache(maxsize=4)
def _squashed(corpus: str) -> dict[str, str]:
    return {d.meta.doc: squash(d.text) for d in _cached_documents(corpus)}


def is_verbatim(quote: str, doc: str | None = None, corpus: Path | None = None) -> bool:
    """Is `quote` a passage of the cleaned text of `doc` (or of any document), whitespace ignored?"""
    needle = squash(quote or "")
    if not needle:
        return False
    texts = _squashed(str(Path(corpus or config.corpus_dir()).resolve()))
    if doc is not None:
        return doc in texts and needle in texts[doc]
    return any(needle in t for t in texts.values())
