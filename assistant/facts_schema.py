"""The schema of the client-supplied `facts` (the previous turn's answer, sent back): checked at
the edge, before `rules.Facts.from_dict`, so a forged or damaged object is refused in Chinese
(`error_kind: input`) instead of costing seconds, crashing, or giving a confident wrong answer.

Allowed values come from the rule module itself (levels, regions, honours, directions, the
slots a follow-up can ask for), never from copies here. A field the lead adds to `rules.Facts`
gets the generic check of its type annotation until it is given a specific one in `CHECKS`.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import typing
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from typing import Any

import rules
from rules import lexicon

MAX_LIST = 20            # regions, honours, lacks: more than any real conversation produces
MAX_TEXT = 40            # any string field: the longest honour name is 21 characters
MAX_YEARS = 60           # a working life
EARLIEST = dt.date(1949, 1, 1)
MAX_PLACE = 100          # 第N名 in a national contest
# Facts.years_basis values, as documented on the field in rules/model.py (the rule module has
# no constant for them yet; if it gets one, read it from there instead).
YEARS_BASES = ("since_credential", "work", "cumulative")


class FactsError(ValueError):
    """A `facts` object that cannot be the previous turn's facts (message in Chinese)."""


def _fail(msg: str) -> FactsError:
    return FactsError(f"facts 格式不对：{msg}。请把上一轮答案里的 facts 原样传回，或不传（重新开始）。")


# --- allowed values, read from the rule module -------------------------------------------------

@lru_cache(maxsize=1)
def _enums() -> dict[str, frozenset[str]]:
    covered = frozenset(lexicon.regions())
    levels = frozenset(lexicon.levels_by_key())
    places = frozenset(lexicon.region_aliases().values()) - covered
    honours = set(lexicon.honours())
    extract = getattr(rules, "extract", None)
    honours |= set(getattr(extract, "CLASS_ONE_KEYS", ()))  # 国家级一类技能竞赛 placings
    from rules.selection import MISSING_ORDER

    asked = set(MISSING_ORDER) | {"confirm"}  # "confirm": a reading the assistant asked to confirm
    return {
        "region": covered, "regions": covered, "uncovered_region": places,
        "skill_level": frozenset(k.key for k in lexicon.skill_levels()),
        "title_level": frozenset(k.key for k in lexicon.title_levels()),
        "target": levels, "lacks": levels | {"职称", "技能等级"}, "years_of": levels,
        "direction": frozenset(rules.model.DIRECTIONS), "years_basis": frozenset(YEARS_BASES),
        "honours": frozenset(honours), "asked": frozenset(asked),
        "unmet": frozenset(("recommendation", "ability_test")),
    }


# --- field checks --------------------------------------------------------------------------------

def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(f"{key} 应为文字")
    if len(value) > MAX_TEXT:
        raise _fail(f"{key} 太长（{len(value)} 字）")
    return value


def _enum(key: str, value: Any) -> str:
    value = _text(key, value)
    if value not in _enums()[key]:
        raise _fail(f"{key} 的值“{value}”不是可识别的取值")
    return value


def _enum_list(key: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _fail(f"{key} 应为列表")
    if len(value) > MAX_LIST:  # before touching the items: a forged 50,000-entry list costs nothing
        raise _fail(f"{key} 最多 {MAX_LIST} 项（收到 {len(value)} 项）")
    return list(dict.fromkeys(_enum(key, v) for v in value))  # duplicates merged, order kept


def _years(key: str, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _fail(f"{key} 应为数字（年数）")
    if not 0 <= value <= MAX_YEARS:
        raise _fail(f"{key} 应在 0 到 {MAX_YEARS} 年之间（收到 {value}）")
    return value


def _int_range(lo: int, hi: int) -> Callable[[str, Any], int]:
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise _fail(f"{key} 应为 {lo} 到 {hi} 之间的整数")
        return value
    return check


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(f"{key} 应为 true 或 false")
    return value


_OBTAINED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _obtained(key: str, value: Any, as_of: dt.date) -> str:
    value = _text(key, value)
    m = _OBTAINED.fullmatch(value)
    if not m:
        raise _fail(f"{key} 应为 YYYY、YYYY-MM 或 YYYY-MM-DD")
    try:
        first_day = dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        raise _fail(f"{key} 不是真实存在的日期：{value}") from None
    if not EARLIEST <= first_day <= as_of:
        raise _fail(f"{key} 应在 {EARLIEST:%Y-%m-%d} 到 {as_of:%Y-%m-%d} 之间（收到 {value}）")
    return value


MAX_EVIDENCE = 60        # the words each fact came from, kept for the facts panel


def _years_record(key: str, value: Any) -> dict[str, Any]:
    """One credential's own years ({years_min, years_max, obtained, years_basis})."""
    if not isinstance(value, dict) or set(value) - {"years_min", "years_max", "obtained", "years_basis"}:
        raise _fail(f"{key} 应为 years_min/years_max/obtained/years_basis 组成的对象")
    out = {k: (None if v is None else _years(f"{key}.{k}", v) if k in ("years_min", "years_max")
               else _text(f"{key}.{k}", v)) for k, v in value.items()}
    if out.get("obtained") and not _OBTAINED.fullmatch(out["obtained"]):
        raise _fail(f"{key}.obtained 应为 YYYY、YYYY-MM 或 YYYY-MM-DD")
    if out.get("years_basis") and out["years_basis"] not in YEARS_BASES:
        raise _fail(f"{key}.years_basis 不是可识别的取值")
    return out


def _years_by_level(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or len(value) > 12:
        raise _fail(f"{key} 应为不超过 12 项的对象")
    levels = _enums()["target"]
    if any(k not in levels for k in value):
        raise _fail(f"{key} 的键应为等级名称")
    return {k: _years_record(f"{key}.{k}", v) for k, v in value.items()}


def _evidence(key: str, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > MAX_EVIDENCE:
        raise _fail(f"{key} 应为不超过 {MAX_EVIDENCE} 项的列表")
    out = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"kind", "words", "role", "value"}:
            raise _fail(f"{key} 的每一项应为 {{kind, words, role, value}}")
        out.append({k: None if v is None else _text(f"{key}.{k}", v) for k, v in item.items()})
    return out


def _subject(key: str, value: Any) -> str:
    if value not in ("self", "other"):
        raise _fail(f"{key} 只能是 self 或 other")
    return value


def _saved_own(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("saved_own"):
        raise _fail(f"{key} 应为一个（不嵌套的）facts 对象")
    checks = _field_checks()
    unknown = [k for k in value if k not in checks]
    if unknown or len(value) > len(checks):
        raise _fail(f"{key} 有不认识的字段")
    return {k: v if v is None else checks[k](k, v) for k, v in value.items() if k != "obtained"} | (
        {"obtained": value["obtained"]} if value.get("obtained") is None or _OBTAINED.fullmatch(str(value["obtained"]))
        else {})


def _people(key: str, value: Any) -> dict[str, str]:
    """Named people of an HR question ({"老王": "老王高级技师2015年"}): short names, short texts."""
    if not isinstance(value, dict) or len(value) > 10:
        raise _fail(f"{key} 应为不超过 10 项的对象")
    out = {}
    for name, text in value.items():
        if not isinstance(name, str) or not 1 <= len(name) <= 8:
            raise _fail(f"{key} 的键应为 1 到 8 个字的称呼")
        text = _text(f"{key}.{name}", text)
        if len(text) > 200:
            raise _fail(f"{key}.{name} 不应超过 200 字")
        out[name] = text
    return out


FACT_TOPICS = ("code", "school", "directory", "treatment", "ladder", "series", "exams", "theory")


def _topic(key: str, value: Any) -> str:
    if value not in FACT_TOPICS:
        raise _fail(f"{key} 只能是 {'、'.join(FACT_TOPICS)} 之一")
    return value


def _lookup(key: str, value: Any) -> str:
    value = _text(key, value)
    if len(value) > 200:
        raise _fail(f"{key} 不应超过 200 字")
    return value


CHECKS: dict[str, Callable[..., Any]] = {
    "region": _enum, "regions": _enum_list, "uncovered_region": _enum, "region_from_province": _bool,
    "skill_level": _enum, "title_level": _enum, "lacks": _enum_list, "target": _enum, "direction": _enum,
    "years_min": _years, "years_max": _years, "years_basis": _enum, "obtained": _obtained,
    "honours": _enum_list, "assessment_ok": _bool, "unmet": _enum_list, "contest_place": _int_range(1, MAX_PLACE),
    "contest_team": _int_range(1, 3), "asked": _enum,
    "years_of": _enum, "subject": _subject, "saved_own": _saved_own, "evidence": _evidence,
    "years_by_level": _years_by_level, "work_years": _years_record, "series": _text, "people": _people, "topic": _topic, "lookup": _lookup,
}


def _generic(annotation: str) -> Callable[[str, Any], Any]:
    """The check for a Facts field without an entry in CHECKS, from its type annotation."""
    if "list" in annotation:
        def check(key, value):
            if not isinstance(value, list) or len(value) > MAX_LIST:
                raise _fail(f"{key} 应为不超过 {MAX_LIST} 项的列表")
            return list(dict.fromkeys(_text(key, v) for v in value))
        return check
    if "bool" in annotation:
        return _bool
    if "float" in annotation:
        return _years
    if "int" in annotation:
        return _int_range(0, 10_000)
    return _text


@lru_cache(maxsize=1)
def _field_checks() -> dict[str, Callable[..., Any]]:
    hints = typing.get_type_hints(rules.Facts)
    return {f.name: CHECKS.get(f.name) or _generic(str(hints.get(f.name, ""))) for f in fields(rules.Facts)}


# --- the whole object ------------------------------------------------------------------------

def validate_facts(facts: Any, as_of: dt.date) -> dict[str, Any]:
    """The checked facts (lists de-duplicated), or FactsError with a Chinese message.
    None or {} means a new conversation."""
    if facts is None:
        return {}
    if not isinstance(facts, dict):
        raise _fail("应为对象（JSON object）")
    checks = _field_checks()
    if len(facts) > len(checks):  # before listing the keys of a forged giant object
        raise _fail(f"字段太多（{len(facts)} 个）")
    unknown = [str(k)[:MAX_TEXT] for k in facts if k not in checks]
    if unknown:
        raise _fail(f"有不认识的字段 {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for key, value in facts.items():
        if value is None:
            out[key] = None
        elif key == "obtained":
            out[key] = _obtained(key, value, as_of)
        else:
            out[key] = checks[key](key, value)
    _refuse_contradictions(out)
    return out


def _refuse_contradictions(f: dict[str, Any]) -> None:
    lo, hi = f.get("years_min"), f.get("years_max")
    if lo is not None and hi is not None and lo > hi:
        raise _fail(f"years_min（{lo}）大于 years_max（{hi}），两者矛盾")
    lacks = set(f.get("lacks") or ())
    for key, generic in (("skill_level", "技能等级"), ("title_level", "职称")):
        held = f.get(key)
        if held and (held in lacks or generic in lacks):
            raise _fail(f"{key} 是“{held}”，lacks 里却说没有{held if held in lacks else generic}，两者矛盾")
    if f.get("region") and f.get("uncovered_region"):
        raise _fail("region 与 uncovered_region 不能同时给出")
    if f.get("region") and f.get("regions") and f["region"] not in f["regions"]:
        raise _fail(f"region“{f['region']}”不在 regions 里")


__all__ = ["CHECKS", "FactsError", "validate_facts"]
