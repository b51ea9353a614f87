"""Text helpers shared by reading and routing: numerals, alias scanning, relative dates, masks.

One place for the small text facts that several readers need, so the router and the rule
module cannot disagree about what "三年前" or "去年年底" means.
"""
from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

import cn2an

from . import lexicon

NUM = r"(\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十]{1,3})"
_CN_SMALL = {"两": "二", "俩": "二", "〇": "零"}
V = TypeVar("V")


def cn_number(token: str) -> float | None:
    """'3' → 3.0, '三' → 3.0, '十二' → 12.0, '两' → 2.0, '一百零五' → 105.0, '三万' → 30000.0;
    None for anything else (cn2an does the work). The one numeral reader of the router, the
    rules and the writer's number check."""
    if not token:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    text = "".join(_CN_SMALL.get(ch, ch) for ch in token)
    if not re.fullmatch(r"[零一二三四五六七八九十百千万亿]+", text):
        return None
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None


_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "o": "0", "O": "0"}
# a year written digit by digit in Chinese numerals ("二〇二四年", "二零二一年"): four digits before 年
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")


_CN_MONTH = re.compile(r"(?<=\d{4}年)([一二三四五六七八九十]{1,3})(?=月)")


def digit_years(text: str) -> str:
    """'二〇二四年十二月' → '2024年12月': a year spelled digit by digit becomes Arabic digits, so no
    reader takes its last three characters for a number of years; the month after it too."""
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group(0)), text)
    return _CN_MONTH.sub(lambda m: str(int(cn_number(m.group(1)) or 0)) if 1 <= (cn_number(m.group(1)) or 0) <= 12
                         else m.group(1), text)


def scan_aliases(
    text: str, aliases: dict[str, V], taken: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, V]]:
    """Longest-alias-first, non-overlapping matches of `aliases` in `text` as (start, end, value),
    in the order found (longest alias first, then left to right), so that 南京 is 江苏 and not 京.
    Spans already in `taken` are skipped; each match is appended to it."""
    taken = [] if taken is None else taken
    out: list[tuple[int, int, V]] = []
    for alias in sorted(aliases, key=len, reverse=True):
        start = 0
        while True:
            idx = text.find(alias, start)
            if idx < 0:
                break
            end = idx + len(alias)
            if not any(idx < t_end and end > t_start for t_start, t_end in taken):
                out.append((idx, end, aliases[alias]))
                taken.append((idx, end))
            start = idx + 1
    return out


def mask(text: str, spans: list[tuple[int, int]], char: str = "＃") -> str:
    """`text` with each span overwritten (same length, so offsets stay valid)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = char
    return "".join(chars)


# ------------------------------------------------------------------------------ relative dates

def _month_back(day: date, months: int) -> tuple[int, int]:
    total = day.year * 12 + (day.month - 1) - months
    return total // 12, total % 12 + 1


_YEAR_WORDS = {"大前年": 3, "前年": 2, "去年": 1, "今年": 0}
RELATIVE = re.compile(
    r"(大前年|前年|去年|今年)(年初|年底|年末|上半年|下半年|这个月|同月|(\d{1,2}|[一二三四五六七八九十]{1,2})月)?"
    r"|(上上个?月|上个?月|这个月|本月)"
    r"|" + NUM + r"个(多)?月(以)?前"
)


OBTAINED_NEAR = re.compile(r"^[^，,。；;！!？?]{0,6}?(取得|拿到|拿的|拿了|拿证|考到|考的|考了|考取|考过|考下|获得|评上|评的|评了|评到|评下|"
                           r"通过|认定|发的|颁发|开始|入职|参加工作|上班|干|做|(才|刚|刚刚)(拿|考|评|取得|下来|到手))")


def absolute_dates(text: str, as_of: date | None) -> tuple[str, list[tuple[str, str]]]:
    """Rewrite dates stated relative to `as_of` as absolute ones ("去年年底" → "2025年12月"), so one
    date reader serves every phrasing. Returns the new text and (original words, rewrite) pairs.
    "去年"/"前年" alone stay a year ("2025年"): the month is not known, and the caller must not
    pretend it is. Without `as_of` nothing is rewritten."""
    if as_of is None:
        return text, []
    changes: list[tuple[str, str]] = []

    def repl(m: re.Match[str]) -> str:
        words = m.group(0)
        # only a date something was obtained or begun on: "今年能不能报" is the asking time
        if not OBTAINED_NEAR.search(text[m.end():m.end() + 12]):
            return words
        if m.group(1):
            year = as_of.year - _YEAR_WORDS[m.group(1)]
            part = m.group(2) or ""
            if part in ("年底", "年末"):
                out = f"{year}年12月"
            elif part == "年初":
                out = f"{year}年1月"
            elif part in ("这个月", "同月"):
                out = f"{year}年{as_of.month}月"
            elif part == "上半年":
                out = f"{year}年"  # a range: the year alone keeps it honest
            elif part == "下半年":
                out = f"{year}年"
            elif m.group(3):
                month = int(cn_number(m.group(3)) or 0)
                out = f"{year}年{month}月" if 1 <= month <= 12 else f"{year}年"
            else:
                out = f"{year}年"
        elif m.group(4):
            back = 2 if m.group(4).startswith("上上") else (1 if m.group(4).startswith("上") else 0)
            y, mo = _month_back(as_of, back)
            out = f"{y}年{mo}月"
        else:
            n = cn_number(m.group(5))
            if n is None or n != int(n) or n > 600:
                return words
            y, mo = _month_back(as_of, int(n))
            out = f"{y}年{mo}月"
        changes.append((words, out))
        return out

    return RELATIVE.sub(repl, text), changes


# ------------------------------------------------------------------------------ temporal mentions

# phrases whose numbers are not the person's years (the policy's 近3年, 有效期2年, a 施行 date)
NOT_PERSONAL_YEARS = re.compile(
    r"近\s*" + NUM + r"\s*年(年度)?(考核)?|有效期\s*" + NUM + r"\s*年|哪(一|几)?年|差(几|一点|" + NUM + r")\s*(个月|天|年)"
    r"|\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日起施行|" + NUM + r"\s*年(内|以内)(有效|考核)"
)
TEMPORAL = re.compile(
    r"(?:19|20)\d{2}\s*(?:年|\.|-|/)(?:\s*\d{1,2}\s*(?:月|\.|-|/)?(?:\s*\d{1,2}\s*[日号])?)?"
    r"|" + NUM + r"\s*(?:个多月|个月|年多|年半|多年|来年|年)"
    r"|半年|几个月"
)


def temporal_spans(text: str) -> list[tuple[int, int, str]]:
    """Dates and durations that may be a person's years (policy numbers masked out)."""
    masked = mask(text, [m.span() for m in NOT_PERSONAL_YEARS.finditer(text)])
    out = []
    for m in TEMPORAL.finditer(masked):
        words = m.group(0)
        if re.fullmatch(r"[一二三四五六七八九十]年", words) and re.search(r"[一二三四五六七八九十]年级", text[m.start():m.end() + 1]):
            continue
        out.append((m.start(), m.end(), words))
    return out


# ------------------------------------------------------------------------------ set-aside ranks

def non_vocational_spans(text: str) -> list[tuple[int, int, str]]:
    """Numbered ranks that are not 职业技能等级 (二级运动员, 一级警长, 三级主任科员, 一级士官…)."""
    return [(m.start(), m.end(), m.group(0)) for m in lexicon.non_vocational_rank_pattern().finditer(text)]


# "受理材料截止时间是2026年11月30日" / "今年材料截止到12月10日": the day years are counted to
DEADLINE = re.compile(
    r"(?:受理)?(?:申报)?(?:材料)?(?:申报)?(?:截止|截至)(?:时间|日期|日)?(?:是|为|到|在)?\s*"
    r"(?:(?P<y>(?:19|20)\d{2})\s*年)?\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"
)


def deadline_spans(text: str, as_of: date | None) -> list[tuple[int, int, date]]:
    """(start, end, day) of each stated filing deadline; a deadline without a year is in as_of's year."""
    out = []
    for m in DEADLINE.finditer(text):
        year = int(m.group("y")) if m.group("y") else (as_of.year if as_of else None)
        if year is None:
            continue
        try:
            out.append((m.start(), m.end(), date(year, int(m.group("m")), int(m.group("d")))))
        except ValueError:
            continue
    return out
