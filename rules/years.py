"""满N年 arithmetic, three-valued.

Partial-year rule (documented in docs/rules_coverage.md): "满N年" is met on the day the
credential's anniversary is reached, i.e. as_of ≥ obtained + N calendar years (29 Feb → 28 Feb).
A date given only to the year ("2022年取得") or month ("2022年6月") is a range: the condition is
met when even the latest possible date qualifies, not met when even the earliest does not, and
unknown in between (then we ask for the month/day). Half years ("3年半") count as 6 months.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from .model import Facts

# "两年多" is stored as 2 ≤ y ≤ 2.99 so it satisfies 满2年 but not 满3年.
JUST_UNDER = 0.01


def add_years(start: date, years: float) -> date:
    """start + years (whole years and months); the day is clipped to the month's end."""
    months_total = round(years * 12)
    year = start.year + (start.month - 1 + months_total) // 12
    month = (start.month - 1 + months_total) % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def obtained_range(obtained: str) -> tuple[date, date]:
    """("2022") → (2022-01-01, 2022-12-31); ("2022-06") → (2022-06-01, 2022-06-30)."""
    parts = [int(p) for p in obtained.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    day = date(parts[0], parts[1], parts[2])
    return day, day


def years_between(start: date, end: date) -> float:
    """Completed years (with months as twelfths) from start to end, never negative."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0) / 12


def format_years(value: float) -> str:
    """3 → "3年", 3.5 → "3年半", 2.25 → "2年3个月"."""
    months = round(value * 12)
    whole, rest = divmod(months, 12)
    if rest == 0:
        return f"{whole}年"
    if rest == 6:
        return f"{whole}年半" if whole else "半年"
    return f"{whole}年{rest}个月" if whole else f"{rest}个月"


@dataclass(frozen=True)
class YearsCheck:
    """Outcome of one 满N年 condition."""

    met: bool | None
    have: str  # how long the person has, in words ("4年", "2年多", "取得于2022年6月")
    opens_on: date | None = None  # the day the condition is surely met (dates given)
    remaining: float | None = None  # years still needed (years given)
    need_precise_date: bool = False  # a year-only date left it undecided


def describe_years(facts: Facts) -> str:
    """The person's stated years in words, for condition texts ("累计6年" for cumulative years)."""
    text = _describe_years(facts)
    if facts.years_basis == "cumulative" and not facts.obtained and text != "未说明":
        return f"累计{text}"
    return text


def _describe_years(facts: Facts) -> str:
    if facts.obtained:
        y, *rest = facts.obtained.split("-")
        return f"{y}年{int(rest[0])}月取得" if rest else f"{y}年取得"
    lo, hi = facts.years_min, facts.years_max
    if lo is not None and hi is not None:
        if lo == hi:
            return format_years(lo)
        if hi - lo < 1:
            return f"{format_years(lo)}多"
    if lo is not None:
        return f"{format_years(lo)}以上"
    if hi is not None:
        return f"不满{format_years(round(hi + JUST_UNDER, 2))}"
    return "未说明"


def check_years(facts: Facts, n: float, as_of: date, basis: str) -> YearsCheck:
    """Is 满n年 met? `basis` cumulative_work accepts years since the credential as a lower
    bound only (work before the credential also counts), so a shortfall there is unknown."""
    have = describe_years(facts)
    if facts.obtained:
        lo, hi = obtained_range(facts.obtained)
        surely = add_years(hi, n)
        if as_of >= surely:
            return YearsCheck(True, have)
        if as_of < add_years(lo, n):
            if basis == "cumulative_work" and facts.years_basis != "cumulative":
                return YearsCheck(None, have)
            return YearsCheck(False, have, opens_on=surely)
        return YearsCheck(None, have, opens_on=surely, need_precise_date=True)
    lo_y, hi_y = facts.years_min, facts.years_max
    if lo_y is not None and lo_y >= n:
        return YearsCheck(True, have)
    if hi_y is not None and hi_y < n:
        if basis == "cumulative_work" and facts.years_basis not in ("cumulative", None, "work"):
            return YearsCheck(None, have)
        remaining = n - (lo_y if lo_y is not None and lo_y == hi_y else hi_y)
        return YearsCheck(False, have, remaining=max(remaining, 0.0))
    return YearsCheck(None, have)


def years_view(facts: Facts, credential: str | None, basis: str) -> Facts:
    """The facts with the years that count for one rule: cumulative work years for a 累计 rule
    when stated; otherwise the years stated for `credential` itself. Years stated for another
    credential never count ("技师2019年、中级2023年": 中级's date is not 技师's)."""
    from dataclasses import replace

    none = {"years_min": None, "years_max": None, "obtained": None, "years_basis": None}
    if basis == "cumulative_work" and facts.work_years:
        return replace(facts, **(none | facts.work_years | {"years_basis": "cumulative"}))
    if credential is None:
        return replace(facts, **none)  # the rule's credential is not held: no stated years are its years
    if credential in facts.years_by_level:
        return replace(facts, **(none | facts.years_by_level[credential]))
    if facts.years_of and facts.years_of != credential and facts.years_basis != "cumulative":
        return replace(facts, **none)
    return facts
