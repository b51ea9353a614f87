"""Years in any form: a date obtained (2022年6月, 去年), durations (三年零两个月, 两年多, 差两个月满
三年, 快五年), the basis they are counted on (since the credential, cumulative, work), "那三年以后呢"
on top of the prior years, and a bare "5" answering our years question."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .cues import NUM
from .model import Facts
from .text import cn_number
from .years import JUST_UNDER

# 累计/一共/总共/前前后后/加起来…: the total years in the profession (四川 附件2 “累计从事本专业…达到N年”)
CUMULATIVE_CUES = re.compile(
    r"累计|一共|总共|总计|合计|共计|前前后后|前后加|加起来|加在一起|算起来|算下来|满打满算|从业|工龄|参加工作|"
    r"本专业|本行|这行|本行业|这个行业|这个专业|相关工作.{0,2}(干|做)"
)
# 取得/拿到…以来/后: years since the credential ("前前后后" is not a 后)
SINCE_CUES = re.compile(r"取得|拿到|拿证|考到|考取|获得|评上|评到|拿了|考了|证书|以来|之后|(?<![前后])后(?!后)")


@dataclass
class YearsReading:
    years_min: float | None = None
    years_max: float | None = None
    obtained: str | None = None
    basis: str | None = None
    found: bool = False


def read_years(text: str, as_of: date | None) -> YearsReading:
    out = YearsReading()
    # remove phrases whose numbers are not the person's years
    masked = re.sub(r"近\s*" + NUM + r"\s*年(年度)?(考核)?", lambda m: "＃" * len(m.group(0)), text)
    masked = re.sub(r"有效期\s*" + NUM + r"\s*年", lambda m: "＃" * len(m.group(0)), masked)
    # "到哪一年" / "哪几年" ask for a year of the policy, not the person's service years
    masked = re.sub(r"哪(一|几)?年", lambda m: "＃" * len(m.group(0)), masked)
    masked = re.sub(r"\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日起施行", lambda m: "＃" * len(m.group(0)), masked)

    def basis_near(start: int) -> str | None:
        window = masked[max(0, start - 14):start]
        # the number's own clause decides first: "副高，本专业前前后后一共干了六年" is cumulative
        clause = re.split(r"[，。,.;；！!？?、]", window)[-1]
        if CUMULATIVE_CUES.search(clause):
            return "cumulative"
        for part in (clause, window):
            if SINCE_CUES.search(part):
                return "since_credential"
            if re.search(r"工作|干了|从事|做了|工龄|上班", part):
                return "work"
        return None

    # explicit dates: 2022年6月(15日)
    date_match = re.search(r"((?:19|20)\d{2})\s*(?:年|\.|-|/)\s*(?:(\d{1,2})\s*(?:月|\.|-|/)?\s*(?:(\d{1,2})\s*[日号])?)?", masked)
    if date_match and not re.match(r"\s*年(以上|多|半|了)", masked[date_match.end(1):date_match.end(1) + 4]):
        year, month, day = date_match.group(1), date_match.group(2), date_match.group(3)
        if month and 1 <= int(month) <= 12:
            # an impossible day ("2月30日") is dropped: the month is still known
            valid_day = day and 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]
            out.obtained = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if valid_day else "")
        else:
            out.obtained = year
        out.found = True
        out.basis = "since_credential"
        return out
    rel = re.search(r"(大前年|前年|去年|今年)", masked)
    if rel and as_of is not None and re.search(r"(取得|拿到|拿的|考到|考的|考取|获得|评上|评的|拿证|通过|评到)", masked):
        offset = {"大前年": 3, "前年": 2, "去年": 1, "今年": 0}[rel.group(1)]
        out.obtained = str(as_of.year - offset)
        out.found = True
        out.basis = "since_credential"
        return out

    # durations
    patterns: tuple[tuple[str, str], ...] = (
        # 差两个月满三年 → 3年 − 2个月
        ("short_of", r"(差|还差)\s*" + NUM + r"\s*个(多)?月(就|才)?满\s*" + NUM + r"\s*年"),
        # 三年零两个月 / 3年零2个月 / 两年又八个月 / 3年2个月
        ("years_months", NUM + r"\s*年\s*(零|又|加|再)?\s*" + NUM + r"\s*个(多)?月"),
        ("years_months", NUM + r"\s*年\s*(零|又)\s*" + NUM + r"\s*(多)?月"),
        # 十几年 / 二十几年: more than ten (twenty), fewer than twenty (thirty)
        ("tens_and_some", r"([一二三四五六七八九]?十)几\s*(个)?年"),
        # 第九个年头 / 第5年: in the Nth year, so N−1 full years, not yet N
        ("nth", r"第\s*" + NUM + r"\s*(个)?(年头|年)(?!级|度)"),
        ("below", r"(还没满|还没有满|还没|没满|未满|不满|不到|还不到|没到|差.{0,4}满|快满|快|将近|接近|差不多快)\s*" + NUM + r"\s*(个)?(整)?年"),
        ("below_m", r"(还没满|没满|未满|不满|不到|还不到)\s*" + NUM + r"\s*个月"),
        ("range", r"(?<![\d一二三四五六七八九十])([一二三四五六七八九])([二三四五六七八九十])\s*(个)?年(?!级)"),
        ("half", NUM + r"\s*年半"),
        ("more", NUM + r"\s*(多年|年多|来年)"),
        ("atleast", r"(超过|多于|大于)\s*" + NUM + r"\s*年"),
        ("atleast2", NUM + r"\s*年(以上|及以上|多以上|\+)"),
        ("ago", NUM + r"\s*年前"),
        ("few_months", r"(?<![差满])(才|刚|就|只有|仅)?(几|两三|三四|四五|五六|七八|八九)个(多)?月"),
        ("months", NUM + r"\s*个(多)?月"),
        ("exact", r"(满|整整|已满|已经满|刚满|足)?\s*" + NUM + r"\s*(整)?年"),
        ("half_only", r"(半年)"),
    )
    for kind, pattern in patterns:
        for m in re.finditer(pattern, masked):
            if kind == "few_months":
                out.years_max = 1 - JUST_UNDER
                out.found = True
                out.basis = basis_near(m.start())
                return out
            if kind == "half_only":
                out.years_min = out.years_max = 0.5
                out.found = True
                out.basis = basis_near(m.start())
                return out
            if kind == "range":
                lo_n, hi_n = cn_number(m.group(1)), cn_number(m.group(2))
                if lo_n is None or hi_n is None or hi_n != lo_n + 1:
                    continue
                out.years_min, out.years_max = lo_n, hi_n + 1 - JUST_UNDER
                out.found = True
                out.basis = basis_near(m.start())
                return out
            nums = [g for g in m.groups() if g and cn_number(g) is not None and not re.fullmatch(r"[满整足]", g)]
            if not nums:
                continue
            n = cn_number(nums[0])
            if n is None or n > 60:
                continue
            # a leading 4-digit year was handled above; skip "2年度"
            if masked[m.end():m.end() + 1] == "度":
                continue
            if kind == "short_of":
                months, whole = cn_number(m.group(2)), cn_number(m.group(5))
                if months is None or whole is None or whole > 60:
                    continue
                out.years_max = whole - months / 12
                out.years_min = None if m.group(3) else out.years_max
            elif kind == "years_months":
                months = cn_number(m.group(3))
                if months is None or months >= 12:
                    continue
                out.years_min = out.years_max = n + months / 12
                if m.group(4):
                    out.years_max = n + (months + 1) / 12 - JUST_UNDER
            elif kind == "below":
                out.years_max = n - JUST_UNDER
                if re.match(r"(快满|快|将近|接近|差不多快)", m.group(1) or ""):
                    out.years_min = n - 1  # "快11年": more than 10, not yet 11
            elif kind == "tens_and_some":
                out.years_min, out.years_max = n + 1, n + 10 - JUST_UNDER
            elif kind == "nth":
                out.years_min, out.years_max = max(n - 1, 0), n - JUST_UNDER
            elif kind == "below_m":
                out.years_max = n / 12 - JUST_UNDER
            elif kind == "half":
                out.years_min = out.years_max = n + 0.5
            elif kind == "more":
                out.years_min, out.years_max = n, n + 1 - JUST_UNDER
            elif kind in ("atleast", "atleast2"):
                out.years_min = n
            elif kind == "ago":
                out.years_min = out.years_max = n
            elif kind == "months":
                out.years_min = out.years_max = n / 12
                if m.group(2):
                    out.years_max = (n + 1) / 12 - JUST_UNDER
            else:
                out.years_min = out.years_max = n
            out.found = True
            out.basis = basis_near(m.start())
            return out
    return out



# "那三年以后呢" / "再过一年呢": the same person some years later (prior years + N)
LATER_YEARS = re.compile(
    r"(?:(?:再过|再等|再干|再做|再熬|等|过)了?\s*(半|" + NUM[1:-1] + r")\s*(个)?(年|个?月)(?:以后|之后|后)?"
    r"|(半|" + NUM[1:-1] + r")\s*(个)?(年|个月)(?:以后|之后|后))"
)


def later_years(norm: str, prior: Facts | None, as_of: date | None = None) -> YearsReading | None:
    """"那三年以后呢": the prior years plus N (durations only; a stated date is left as it was)."""
    if prior is None or prior.obtained or not (prior.years_min is not None or prior.years_max is not None):
        return None
    if re.search(r"取得|拿到|拿证|考到|评上|获得|之前|以前|前", norm):
        return None
    m = LATER_YEARS.search(norm)
    if m:
        groups = [g for g in m.groups()]
        num = groups[0] if groups[0] is not None else groups[3]
        unit = groups[2] if groups[0] is not None else groups[5]
        n = 0.5 if num == "半" else cn_number(num or "")
        delta = None if n is None else (n if unit == "年" else n / 12)
    else:
        delta = _years_to_day(norm, as_of)
    if delta is None:
        return None
    lo = prior.years_min + delta if prior.years_min is not None else None
    hi = prior.years_max + delta if prior.years_max is not None else None
    return YearsReading(years_min=lo, years_max=hi, basis=prior.years_basis, found=True)


# A later day a follow-up supposes, read two ways (unify them next): over a date obtained
# (rules.reading_turns._later: SUPPOSED_DAY, NEXT_YEAR) and over stated durations (later_years: the two below).
# "要是等到2028年3月呢" / "假如到了2030年再报": a supposed later day named by its date
SUPPOSED_DAY = re.compile(r"(?:假如|如果|要是|假设|等到|到了|那到|^到|^那)(?:到|等到)?(?P<y>20\d\d)年(?:(?P<m>\d{1,2})月)?")
NEXT_YEAR = re.compile(r"明年(这时候|这个时候|今天|此时|同期|这会儿|(?P<m>\d{1,2})月)")
# "明年这个时候再看呢" / "明年8月呢" / "到2029年5月那会儿呢": a later day supposed in a follow-up
NEXT_YEAR_DAY = re.compile(r"明年(这时候|这个时候|今天|此时|同期|这会儿|(?P<m>\d{1,2})月|(?P<end>年?底|年?末)|(?=呢|吧|的话|再报|再申报|$))")
NAMED_DAY = re.compile(r"(?:假如|如果|要是|假设|等到|到了|那)?(?:到|等到)?(?P<y>20\d\d)年(?:(?P<m>\d{1,2})月|(?P<end>底|末))?(?:份)?"
                       r"(?=的时候|时候|那会|呢|再报|能|可以|够)")


def _years_to_day(norm: str, as_of: date | None) -> float | None:
    """Years from the asking day to a later day the turn supposes (None when it names none)."""
    if as_of is None:
        return None
    if (m := NEXT_YEAR_DAY.search(norm)):
        if not m.group("m") and not m.group("end"):
            return 1.0
        month = 12 if m.group("end") else int(m.group("m"))  # 明年底: its last month
        return (12 + month - as_of.month) / 12 if 1 <= month <= 12 else None
    if (m := NAMED_DAY.search(norm)):
        year, month = int(m.group("y")), 12 if m.group("end") else int(m.group("m") or 1)
        months = (year - as_of.year) * 12 + (month - as_of.month)
        return months / 12 if months > 0 and 1 <= month <= 12 else None
    return None


def bare_years_answer(text: str) -> YearsReading | None:
    """A follow-up answer that is just a number ("5", "五") after we asked for years."""
    m = re.fullmatch(r"[，。,.!！?？\s]*" + NUM + r"[，。,.!！?？\s]*", text)
    if m and cn_number(m.group(1)) is not None:
        n = cn_number(m.group(1))
        return YearsReading(years_min=n, years_max=n, found=True)
    return None

