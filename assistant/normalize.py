"""Query normalisation: traditional→simplified, full→half width, Chinese numerals, synonyms, region."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
import zhconv

_SYNONYMS = Path(__file__).with_name("data") / "synonyms.yaml"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# a Chinese number directly followed by a unit of time/count ('三年', '十二个月', '两年半')
_CN_NUMBER_UNIT = re.compile(r"([零〇一二两三四五六七八九十]{1,3})(?=(个)?(年|个月|月|岁|名|人|项|次))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cn_to_int(s: str) -> int | None:
    """'三'→3, '十二'→12, '二十'→20, '两'→2; None for anything else."""
    if not s:
        return None
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_DIGITS.get(head, None) if head else 1
        ones = _CN_DIGITS.get(tail, None) if tail else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(s) == 1:
        return _CN_DIGITS.get(s)
    return None


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
            if not any(taken[i:i + len(key)]):
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


def detect_provinces(text: str) -> tuple[str, ...]:
    """Provinces of the corpus that the text names, directly or through a city/county."""
    from rules import lexicon

    found: list[str] = []
    for alias, region in lexicon.region_aliases():
        if alias in text:
            province = lexicon.region_province(region)
            if province not in found:
                found.append(province)
    return tuple(found)


def normalize(question: str) -> NormalizedQuery:
    text = numerals_to_digits(to_simplified_halfwidth(question)).strip()
    extra = expand(text)
    provinces = detect_provinces(text)
    expanded = text + (" " + " ".join(extra) if extra else "") + (" " + " ".join(provinces) if provinces else "")
    return NormalizedQuery(original=question, text=text, expanded=expanded, provinces=provinces)
