"""Query normalisation: traditional→simplified, full→half width, Chinese numerals, synonyms, region."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
import zhconv

from ingest.tokenize import is_word
from rules.text import cn_number, scan_aliases

_SYNONYMS = Path(__file__).with_name("data") / "synonyms.yaml"
# a Chinese number directly followed by a unit of time ('三年', '十二个月', '两年半'); not 三人赛项
_CN_NUMBER_UNIT = re.compile(r"([零〇一二两三四五六七八九十]{1,3})(?=(个)?(年|个月|月|岁))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# the router rewrites only one- and two-digit numerals ('三', '十二', '二十'); runs like '两三' stay words
_SMALL_NUMERAL = re.compile(r"[零〇一二两三四五六七八九]|[一二两三四五六七八九]?十[一二两三四五六七八九]?")


def cn_to_int(s: str) -> int | None:
    """'三'→3, '十二'→12, '二十'→20, '两'→2; None for anything else (read by `rules.text.cn_number`)."""
    if not s or not _SMALL_NUMERAL.fullmatch(s):
        return None
    value = cn_number(s)
    return int(value) if value is not None else None


def to_simplified_halfwidth(text: str) -> str:
    """Traditional→simplified and full-width→half-width letters/digits, keeping Chinese punctuation."""
    text = _CONTROL.sub(" ", text)
    text = zhconv.convert(text, "zh-cn")
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            ch = unicodedata.normalize("NFKC", ch)
        elif ch == "\u3000":
            ch = " "
        out.append(ch)
    return "".join(out)


def numerals_to_digits(text: str) -> str:
    def repl(m: re.Match) -> str:
        n = cn_to_int(m.group(1))
        return str(n) if n is not None else m.group(1)

    return _CN_NUMBER_UNIT.sub(repl, text)


@lru_cache(maxsize=1)
def _expansions() -> list[tuple[str, list[str]]]:
    data = yaml.safe_load(_SYNONYMS.read_text(encoding="utf-8")) or {}
    pairs = [(k, list(v)) for k, v in (data.get("expansions") or {}).items()]
    return sorted(pairs, key=lambda kv: -len(kv[0]))  # longest first: 高级工程师 before 工程师


def expand(text: str) -> list[str]:
    """Canonical words for the colloquial terms in `text` (longest match, no overlaps)."""
    added: list[str] = []
    taken = [False] * len(text)
    for key, words in _expansions():
        start = 0
        while (i := text.find(key, start)) >= 0:
            # a term whose first character ends a word with the one before it is not that term
            # ("监管用" holds no 管用; "报副高" does hold 副高)
            if not any(taken[i:i + len(key)]) and not (i > 0 and is_word(text[i - 1:i + 1])):
                for j in range(i, i + len(key)):
                    taken[j] = True
                added.extend(w for w in words if w not in added and w not in text)
            start = i + 1
    return added


@dataclass(frozen=True)
class NormalizedQuery:
    original: str
    text: str               # simplified, half-width, digits
    expanded: str           # text + canonical words, for retrieval
    provinces: tuple[str, ...]  # covered provinces named (directly or via a city), e.g. ('四川',)
    uncovered: str | None       # a named region the corpus does not cover (广东), if no covered one is named
    docs: tuple[str, ...] = ()  # documents named by 文号 ('川人社规〔2023〕15号', '132号文')


def find_places(text: str) -> list[str]:
    """Region keys (covered: 四川/上海/黄石/江苏) or province names (uncovered) named in the text,
    longest alias first so that 南京 is Jiangsu and not 京 (Beijing); the scan is the rules'."""
    from rules import lexicon

    return list(dict.fromkeys(region for _, _, region in scan_aliases(text, lexicon.region_aliases())))


def detect_provinces(places: list[str]) -> tuple[str, ...]:
    """Provinces of the corpus named (directly or through a city), e.g. ('四川',) or ('湖北',)."""
    from rules import lexicon

    regions = lexicon.regions()
    return tuple(dict.fromkeys(regions[p]["province"] for p in places if p in regions))


def uncovered_place(places: list[str]) -> str | None:
    """The first named place the corpus has no document for (广东, or 武汉 → 湖北), if no covered one is named."""
    from rules import lexicon

    if any(lexicon.is_covered(p) for p in places):
        return None
    return next((p for p in places if not lexicon.is_covered(p)), None)


_DOC_NUMBER = re.compile(r"(\d{1,4})\s*号")
# a written 文号 or a short reference to one: 川人社规〔2023〕15号, 132号文, 15号文件
_DOC_REF = re.compile(r"[\u4e00-\u9fff]{0,6}[〔\[(（【]?\d{4}[〕\])）】]?\d{1,4}\s*号|\d{1,4}\s*号(文件|文)?")


@lru_cache(maxsize=1)
def _doc_numbers() -> dict[str, list[str]]:
    """'15' → ['川人社规〔2023〕15号'] for every catalogued 文号."""
    from ingest.index import current_catalog

    out: dict[str, list[str]] = {}
    for meta in current_catalog():  # the index's own catalogue: a typo in catalog.yaml stops no answer
        m = re.search(r"(\d+)号$", meta.doc)
        if m:
            out.setdefault(m.group(1), []).append(meta.doc)
    return out


def named_documents(text: str) -> tuple[str, ...]:
    """Documents a question names by their number: the full 文号, or '132号文' / '15号文件'.
    A bare number is ambiguous between documents (12号 and 1号 both exist), so only numbers
    that identify exactly one document count, unless the full 文号 is written."""
    found: list[str] = []
    for docs in _doc_numbers().values():
        for doc in docs:
            if squash_brackets(doc) in squash_brackets(text):
                found.append(doc)
    for m in _DOC_NUMBER.finditer(text):
        docs = _doc_numbers().get(m.group(1), [])
        if len(docs) == 1 and docs[0] not in found:
            found.append(docs[0])
    return tuple(found)


def squash_brackets(text: str) -> str:
    """文号 compare equal whatever brackets people type: 〔2023〕, [2023], (2023), 【2023】."""
    return re.sub(r"[〔〕\[\]()（）【】\s]", "", text)


def normalize(question: str) -> NormalizedQuery:
    text = numerals_to_digits(to_simplified_halfwidth(question)).strip()
    extra = expand(text)
    places = find_places(text)
    provinces = detect_provinces(places)
    docs = named_documents(text)
    # A named 文号 already filters the ranking; left in the query it would make the clause that
    # prints it (the document's header) the best match for every question about that document.
    words = _DOC_REF.sub(" ", text) if docs else text
    expanded = words + (" " + " ".join(extra) if extra else "") + (" " + " ".join(provinces) if provinces else "")
    return NormalizedQuery(original=question, text=text, expanded=expanded, provinces=provinces,
                           uncovered=uncovered_place(places), docs=docs)
