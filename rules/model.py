"""Data types of the rule module: the user's facts, the outcome handed to the assistant, and
the rule/clause records loaded from YAML."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

SKILL_TO_TITLE = "skill_to_title"
TITLE_TO_SKILL = "title_to_skill"
SKILL_TO_SKILL = "skill_to_skill"
DIRECTIONS = (SKILL_TO_TITLE, TITLE_TO_SKILL, SKILL_TO_SKILL)


@dataclass
class Facts:
    """What we know about the person asking, merged across turns.

    Years are kept as bounds so colloquial answers stay exact: "两年多" is 2 ≤ y < 3,
    "还没满3年" is y < 3, "5年以上" is y ≥ 5. `obtained` ("2022", "2022-06", "2022-06-15")
    wins over the bounds because it lets `evaluate` compute 满N年 against `as_of`.
    """

    region: str | None = None  # covered region key: 四川 / 上海 / 黄石 / 江苏
    regions: list[str] = field(default_factory=list)  # every covered region named (compare mode)
    uncovered_region: str | None = None  # e.g. "广东", "湖北" (outside 黄石)
    region_from_province: bool = False  # "湖北" alone was read as 黄石 (the only Hubei document)
    skill_level: str | None = None  # canonical skill key, e.g. "技师"
    title_level: str | None = None  # canonical title key, e.g. "中级"
    lacks: list[str] = field(default_factory=list)  # levels explicitly not held; "职称"/"技能等级" = none
    target: str | None = None  # level key asked about
    direction: str | None = None
    years_min: float | None = None  # y ≥ years_min
    years_max: float | None = None  # y ≤ years_max (两年多 → 2.99)
    years_basis: str | None = None  # "since_credential" | "work" | "cumulative" (累计/一共…) | None
    obtained: str | None = None  # date the current credential was obtained, ISO prefix
    honours: list[str] = field(default_factory=list)
    assessment_ok: bool | None = None  # 近3年年度考核合格
    unmet: list[str] = field(default_factory=list)  # standard conditions the person says they fail (UNMET_FACTS)
    contest_place: int | None = None  # 国家级一类技能竞赛 名次 (第N名)
    contest_team: int | None = None  # its 赛项人数: 1 个人, 2 双人, 3 三人; None = not stated
    asked: str | None = None  # slot the last follow-up asked for (region/credential/years)
    years_of: str | None = None  # the level key the years were stated for (years never move to another credential)
    subject: str | None = None  # None = the asker; "other" = a colleague/spouse the asker is asking about
    saved_own: dict[str, Any] | None = None  # the asker's own facts while a turn is about someone else
    evidence: list[dict[str, Any]] = field(default_factory=list)  # {kind, words, role, value}: what each fact came from
    years_by_level: dict[str, dict[str, Any]] = field(default_factory=dict)  # level key -> its own years
    work_years: dict[str, Any] | None = None  # cumulative work years ("本专业干了12年", "2018年开始干")
    series: str | None = None  # 职称系列 the person names (卫生, 经济 …), checked against the region's list
    people: dict[str, str] = field(default_factory=dict)  # named people of an HR question: name -> their own words
    topic: str | None = None  # the fact table the last turn asked about (treatment, code …): "那首席技师呢" asks it again
    lookup: str | None = None  # the last lookup question ("黄石…由哪个部门受理"): "申报中级职称呢" asks it again

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the chat keeps it in session state)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Facts:
        """Inverse of `to_dict`; unknown keys are ignored so old sessions still load."""
        if not data:
            return cls()
        if not isinstance(data, dict):
            raise TypeError("facts must be an object")
        names = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in names}
        for key in ("regions", "lacks", "honours", "evidence"):
            if kwargs.get(key) is None:
                kwargs[key] = []
            elif isinstance(kwargs[key], (list, tuple)):
                kwargs[key] = list(kwargs[key])
            else:
                raise ValueError(f"facts.{key} must be a list")
        if kwargs.get("years_by_level") is None:
            kwargs["years_by_level"] = {}
        if kwargs.get("people") is None:
            kwargs["people"] = {}
        _validate(kwargs)
        return cls(**kwargs)

    @property
    def has_years(self) -> bool:
        """True when any years information was given."""
        return self.obtained is not None or self.years_min is not None or self.years_max is not None


@dataclass
class RuleOutcome:
    """The rule module's answer (see docs/DESIGN.md): route, Markdown answer with 【n】 markers,
    the contract's `decision` dict, citations, warnings, and the facts to carry forward."""

    route: str  # "rules" | "clarify" | "out_of_scope"
    answer: str
    decision: dict[str, Any] | None
    citations: list[dict[str, str]]
    warnings: list[str]
    facts: Facts
    comparison: list[dict[str, Any]] | None = None  # compare mode: one decision per region
    trace: list[str] = field(default_factory=list)  # rule ids considered/fired, for debugging

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "route": self.route,
            "answer": self.answer,
            "decision": self.decision,
            "citations": self.citations,
            "warnings": self.warnings,
            "facts": self.facts.to_dict(),
            "comparison": self.comparison,
            "trace": self.trace,
        }


@dataclass(frozen=True)
class Clause:
    """A cited passage: 文号, section label and the verbatim quote."""

    id: str
    doc: str
    section: str
    quote: str


@dataclass(frozen=True)
class Condition:
    """A condition listed with a rule. `fact` names the Facts field that can decide it
    (e.g. assessment_ok); without one it is reported with met=None."""

    text: str
    cite: str
    fact: str | None = None
    only_for: str | None = None  # honour the condition applies to
    asks: str | None = None  # a deciding detail: unknown → eligible null and this follow-up question


@dataclass(frozen=True)
class YearsRequirement:
    """满N年: `basis` is since_credential (取得…后满N年) or cumulative_work (累计…达到N年)."""

    n: float
    basis: str
    text: str
    cite: str


@dataclass(frozen=True)
class Rule:
    """One eligibility rule as written in rules/data/rules/<region>.yaml."""

    id: str
    region: str
    direction: str
    kind: str  # base | green_channel | exception | promotion | no_path | referral
    name: str
    cite: str
    from_skill: tuple[str, ...] = ()  # acceptable skill keys ("any" = any skill)
    from_title: tuple[str, ...] = ()
    from_honours: tuple[str, ...] = ()
    or_higher: bool = False
    from_label: str | None = None
    requires_skill: str | None = None
    requires_title: str | None = None
    requires_any_title: bool = False
    target: str | None = None  # level key, "any_skill", "next_skill" or None (no_path/referral)
    target_relative: int | None = None
    target_cap: str | None = None
    target_label: str | None = None
    target_text: str = ""
    wording: str = ""
    years: YearsRequirement | None = None
    unquantified: tuple[str, str] | None = None  # (text, cite)
    conditions: tuple[Condition, ...] = ()
    honour_cites: tuple[tuple[str, str], ...] = ()
    note: str | None = None

    @property
    def is_green(self) -> bool:
        """Green channels and exceptions override the base path explicitly."""
        return self.kind in ("green_channel", "exception")


def _validate(kwargs: dict[str, Any]) -> None:
    """Facts come back from clients (the /ask API, batch lines): a value the extractor could never
    have produced would make a confident wrong decision, so it is refused (ValueError)."""
    import datetime as _dt
    import re as _re

    from . import lexicon

    covered = set(lexicon.regions())
    levels = set(lexicon.levels_by_key())
    region = kwargs.get("region")
    if region is not None and region not in covered:
        raise ValueError(f"facts.region {region!r} is not a covered region")
    for r in kwargs.get("regions") or []:
        if r not in covered:
            raise ValueError(f"facts.regions has {r!r}")
    for key in ("skill_level", "title_level", "target"):
        value = kwargs.get(key)
        if value is not None and value not in levels:
            raise ValueError(f"facts.{key} {value!r} is not a level")
    for key in ("years_min", "years_max"):
        value = kwargs.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            raise ValueError(f"facts.{key} must be a non-negative number")
    people = kwargs.get("people")
    if not isinstance(people, dict) or len(people) > 10 or any(
            not isinstance(k, str) or not isinstance(v, str) or len(k) > 8 or len(v) > 200 for k, v in people.items()):
        raise ValueError("facts.people must map up to 10 short names to their words")
    by_level = kwargs.get("years_by_level")
    if not isinstance(by_level, dict) or len(by_level) > 12 or any(k not in levels for k in by_level):
        raise ValueError("facts.years_by_level must map level keys to years")
    for value in [*by_level.values(), kwargs.get("work_years") or {}]:
        _validate_years(value)
    series = kwargs.get("series")
    if series is not None and (not isinstance(series, str) or len(series) > 12):
        raise ValueError("facts.series must be a short string")
    years_of = kwargs.get("years_of")
    if years_of is not None and years_of not in levels:
        raise ValueError(f"facts.years_of {years_of!r} is not a level")
    if kwargs.get("subject") not in (None, "self", "other"):
        raise ValueError("facts.subject must be null, 'self' or 'other'")
    saved = kwargs.get("saved_own")
    if saved is not None:
        if not isinstance(saved, dict) or saved.get("saved_own"):
            raise ValueError("facts.saved_own must be a facts object (not nested)")
        Facts.from_dict(saved)
    evidence = kwargs.get("evidence") or []
    if len(evidence) > 60 or not all(
        isinstance(e, dict) and all(isinstance(v, (str, type(None))) for v in e.values()) and len(e) <= 6 for e in evidence
    ):
        raise ValueError("facts.evidence must be a short list of {kind, words, role, value} strings")
    obtained = kwargs.get("obtained")
    if obtained is not None:
        if not isinstance(obtained, str) or not _re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", obtained):
            raise ValueError("facts.obtained must be YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(x) for x in obtained.split("-")] + [1, 1]
        _dt.date(parts[0], parts[1], parts[2])  # raises ValueError for an impossible date


YEARS_KEYS = ("years_min", "years_max", "obtained", "years_basis")


def _validate_years(value: Any) -> None:
    """A years record ({years_min, years_max, obtained, years_basis}) as kept per credential."""
    import re as _re

    if not isinstance(value, dict) or set(value) - set(YEARS_KEYS):
        raise ValueError("a years record has only years_min, years_max, obtained, years_basis")
    for key in ("years_min", "years_max"):
        v = value.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 80):
            raise ValueError(f"{key} must be a number of years")
    obtained = value.get("obtained")
    if obtained is not None and (not isinstance(obtained, str) or not _re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", obtained)):
        raise ValueError("obtained must be YYYY, YYYY-MM or YYYY-MM-DD")
