"""Shared Chinese vocabulary (regions, cities, level aliases, honours), loaded once from
`rules/data/lexicon.yaml`.

The assistant imports this module for query normalisation, so every alias lives in one data
file and never in `if` chains spread through the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Level:
    """A skill level (职业技能等级) or title level (职称等级) with its rank and aliases."""

    kind: str  # "skill" | "title"
    key: str  # canonical name used in rules, e.g. "高级技师", "副高级"
    rank: int
    label: str  # display label, e.g. "高级技师（一级）"
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    with open(DATA_DIR / "lexicon.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=1)
def regions() -> dict[str, dict[str, Any]]:
    """Covered regions: key (decision.region) -> {label, province, aliases, cities}."""
    return {key: dict(value) for key, value in _raw()["regions"].items()}


@lru_cache(maxsize=1)
def city_to_province() -> dict[str, str]:
    """Every known city/county/district name -> covered region key or other province name.

    Cities of Hubei outside Huangshi map to "湖北" (the corpus only holds Huangshi's notice).
    """
    out: dict[str, str] = {}
    for key, region in _raw()["regions"].items():
        for city in region.get("cities", []):
            out[city] = key
    for city in _raw().get("hubei_other_cities", []):
        out[city] = "湖北"
    for province, names in _raw().get("other_regions", {}).items():
        for name in names:
            out.setdefault(name, province)
    return out


@lru_cache(maxsize=1)
def region_aliases() -> dict[str, str]:
    """Every place name (province alias or city) -> region key; uncovered places map to their
    province name, which is not a key of `regions()`."""
    out: dict[str, str] = dict(city_to_province())
    for key, region in _raw()["regions"].items():
        for alias in region.get("aliases", []):
            out[alias] = key
    for name in _raw().get("hubei_names", []):
        out[name] = "湖北"
    return out


def is_covered(region: str | None) -> bool:
    """True when the corpus has a document for this region key."""
    return region in regions()


def region_label(region: str) -> str:
    """Display label, e.g. "湖北省黄石市" for "黄石"."""
    return regions().get(region, {}).get("label", region)


@lru_cache(maxsize=1)
def skill_levels() -> tuple[Level, ...]:
    """The eight skill levels, lowest first."""
    return tuple(
        Level("skill", item["key"], item["rank"], item["label"], tuple(item["aliases"]))
        for item in _raw()["skill_levels"]
    )


@lru_cache(maxsize=1)
def title_levels() -> tuple[Level, ...]:
    """The five title levels (员级 … 正高级), lowest first."""
    return tuple(
        Level("title", item["key"], item["rank"], item["label"], tuple(item["aliases"]))
        for item in _raw()["title_levels"]
    )


@lru_cache(maxsize=1)
def levels_by_key() -> dict[str, Level]:
    """Canonical key -> Level, for both kinds (keys never collide)."""
    return {lvl.key: lvl for lvl in (*skill_levels(), *title_levels())}


def level(key: str) -> Level:
    """The Level for a canonical key; KeyError on an unknown key."""
    return levels_by_key()[key]


@lru_cache(maxsize=1)
def level_aliases() -> dict[str, tuple[str, str]]:
    """Alias -> (kind, canonical key), e.g. "三级工" -> ("skill", "高级工"),
    "高级工程师" -> ("title", "副高级")."""
    out: dict[str, tuple[str, str]] = {}
    for lvl in (*skill_levels(), *title_levels()):
        for alias in lvl.aliases:
            out.setdefault(alias, (lvl.kind, lvl.key))
    # typo variants ("工程帅" → 工程师) never shadow a real alias
    for alias, value in list(out.items()):
        for variant in typo_variants(alias):
            out.setdefault(variant, value)
    return out


def typo_variants(alias: str) -> list[str]:
    """Typo spellings of one alias from `alias_typos` in lexicon.yaml: a fixed character at a fixed
    position ("师" at the end → "帅"/"狮", "助理" at the start → "助力"); at most one substitution."""
    out: list[str] = []
    for item in _raw().get("alias_typos", []):
        real = item["real"]
        for typo in item["typos"]:
            if item.get("at") == "end" and alias.endswith(real) and len(alias) > len(real):
                if alias[: -len(real)] + typo not in item.get("not", []):
                    out.append(alias[: -len(real)] + typo)
            elif item.get("at") == "start" and alias.startswith(real) and len(alias) > len(real):
                out.append(typo + alias[len(real):])
    return out


@lru_cache(maxsize=1)
def skill_alias_exclusions() -> tuple[str, ...]:
    """Phrases whose 一级/二级/三级 is not a skill level (一级建造师, 高一级 …)."""
    return tuple(_raw().get("skill_alias_exclusions", [])) + ("高一级", "低一级", "高一等级")


@lru_cache(maxsize=1)
def non_vocational_rank_pattern() -> re.Pattern[str]:
    """"二级运动员", "一级警长", "三级主任科员": numbered ranks that are not 职业技能等级."""
    raw = _raw().get("non_vocational_ranks", {})
    nouns = "|".join(sorted(map(re.escape, raw.get("nouns", [])), key=len, reverse=True))
    return re.compile(f"(?:{raw.get('numbers', '[一二三]')})级(?:{nouns})")


@lru_cache(maxsize=1)
def series_words() -> tuple[tuple[str, str], ...]:
    """(word, series) longest word first: "中级经济师" → 经济, "卫生系列" → 卫生."""
    pairs = [(w, name) for name, words in (_raw().get("series_words") or {}).items() for w in words]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@lru_cache(maxsize=1)
def honours() -> dict[str, dict[str, Any]]:
    """Honour key -> {aliases: [...], implies: [...]}."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in _raw()["honours"].items():
        value = value or {}
        out[key] = {"aliases": list(value.get("aliases", [])), "implies": list(value.get("implies", []))}
    return out


@lru_cache(maxsize=1)
def honour_aliases() -> dict[str, str]:
    """Alias -> honour key (the key itself is always an alias)."""
    out: dict[str, str] = {}
    for key, value in honours().items():
        out.setdefault(key, key)
        for alias in value["aliases"]:
            out.setdefault(alias, key)
    return out


def expand_honours(keys: list[str] | tuple[str, ...]) -> set[str]:
    """The honours plus everything they imply (世赛金牌 ⇒ 世赛铜牌以上; 国务院津贴 ⇒ 省级以上政府津贴)."""
    seen: set[str] = set()
    stack = list(keys)
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        stack.extend(honours().get(key, {}).get("implies", []))
    return seen


@lru_cache(maxsize=1)
def honour_hints() -> tuple[str, ...]:
    """Words that signal the user talks about an award even if no honour alias matched."""
    return tuple(_raw().get("honour_hints", []))


@lru_cache(maxsize=1)
def honour_patterns() -> tuple[tuple[str, str], ...]:
    """(regex, honour key) for honours said in pieces ("世赛拿了金牌")."""
    return tuple((item["pattern"], item["honour"]) for item in _raw().get("honour_patterns", []))


@lru_cache(maxsize=1)
def honour_span_patterns() -> tuple[tuple[str, str], ...]:
    """(regex, honour key) matched before the aliases; the matched span is then taken, so a
    "世赛金奖选手教练组组长" is not also read as a 金牌 or a 指导教练."""
    return tuple((item["pattern"], item["honour"]) for item in _raw().get("honour_span_patterns", []))


@lru_cache(maxsize=1)
def honour_regions() -> dict[str, str]:
    """Region-specific honour -> region key ("湖北" for Hubei provincial honours)."""
    return dict(_raw().get("honour_regions", {}))


@lru_cache(maxsize=1)
def honour_qualifiers() -> dict[str, tuple[tuple[str, str], ...]]:
    """Honour key -> ((regex, replacement key), ...): a nearby 学生组/复赛… turns the honour into
    the variant the clause does not list."""
    return {key: tuple((item["pattern"], item["becomes"]) for item in items)
            for key, items in (_raw().get("honour_qualifiers") or {}).items()}


@lru_cache(maxsize=1)
def honour_families() -> tuple[frozenset[str], ...]:
    """Groups of honours of the same competition/title at different grades or groups."""
    return tuple(frozenset(group) for group in _raw().get("honour_families", []))


def honour_requirement_label(key: str) -> str | None:
    """How a required honour is named in an explanation (with the clause's qualifier); None for
    a key that is no separate requirement."""
    return (_raw().get("honour_requirement_labels") or {}).get(key, key)


@lru_cache(maxsize=1)
def text_typos() -> tuple[tuple[str, str], ...]:
    """Typing slips corrected before reading (竟赛 → 竞赛, 副搞 → 副高), longest first."""
    pairs = (_raw().get("text_typos") or {}).items()
    return tuple(sorted(((str(k), str(v)) for k, v in pairs), key=lambda kv: -len(kv[0])))


def series_list_names(series: str) -> tuple[str, ...]:
    """How a region's list may write a 职称系列 ("中等职业和技工院校教师" covers 中等职业学校教师)."""
    return (series, *((_raw().get("series_list_names") or {}).get(series) or ()))
