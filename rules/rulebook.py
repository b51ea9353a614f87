"""Loads and validates the rule data (`rules/data/rules/*.yaml`, `documents.yaml`,
`facts.yaml`) once, so a broken reference fails loudly at import time, not mid-answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

from . import lexicon
from .lexicon import DATA_DIR
from .model import DIRECTIONS, Clause, Condition, Rule, YearsRequirement

RULE_KINDS = ("base", "green_channel", "exception", "promotion", "no_path", "referral")


class RuleDataError(ValueError):
    """The YAML rule data is inconsistent (unknown clause, level, honour, duplicate id …)."""


@dataclass(frozen=True)
class Document:
    """A policy document with its validity window."""

    doc: str
    title: str
    region: str
    effective: date | None
    valid_until: date | None
    validity_note: str | None = None


@dataclass(frozen=True)
class RuleBook:
    """Everything loaded from rules/data."""

    documents: dict[str, Document]
    clauses: dict[str, Clause]
    rules: tuple[Rule, ...]
    standard: dict[tuple[str, str], tuple[Condition, ...]]  # (region, direction) -> conditions
    facts: dict[str, Any]

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def region_rules(self, region: str, direction: str | None = None) -> list[Rule]:
        """Rules of a region (optionally one direction), in file order."""
        return [r for r in self.rules if r.region == region and (direction is None or r.direction == direction)]


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (str(value),)


def _condition(raw: dict[str, Any]) -> Condition:
    return Condition(text=raw["text"], cite=raw["cite"], fact=raw.get("fact"), only_for=raw.get("only_for"),
                     asks=raw.get("asks"))


def _rule(raw: dict[str, Any], region: str) -> Rule:
    src = raw.get("from") or {}
    requires = raw.get("requires") or {}
    target = raw.get("target")
    relative = cap = None
    if isinstance(target, dict):
        relative, cap, target = int(target["relative"]), target.get("cap"), "relative"
    years = raw.get("years")
    unq = raw.get("unquantified")
    return Rule(
        id=raw["id"],
        region=region,
        direction=raw["direction"],
        kind=raw["kind"],
        name=raw["name"],
        cite=raw["cite"],
        from_skill=_as_tuple(src.get("skill")),
        from_title=_as_tuple(src.get("title")),
        from_honours=_as_tuple(src.get("honours")),
        or_higher=bool(src.get("or_higher", False)),
        from_label=raw.get("from_label"),
        requires_skill=requires.get("skill"),
        requires_title=requires.get("title"),
        requires_any_title=bool(raw.get("requires_title", False)),
        target=target,
        target_relative=relative,
        target_cap=cap,
        target_label=raw.get("target_label"),
        target_text=raw.get("target_text", ""),
        wording=raw.get("wording", ""),
        years=YearsRequirement(float(years["n"]), years["basis"], years["text"], years["cite"]) if years else None,
        unquantified=(unq["text"], unq["cite"]) if unq else None,
        conditions=tuple(_condition(c) for c in (raw.get("conditions") or [])),
        honour_cites=tuple((raw.get("honour_cites") or {}).items()),
        note=raw.get("note"),
    )


def _to_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _validate(book: RuleBook) -> None:
    """Every reference must resolve; the loader refuses data a policy officer mistyped."""
    seen: set[str] = set()
    levels = lexicon.levels_by_key()
    honours = lexicon.honours()
    for rule in book.rules:
        where = f"rule {rule.id}"
        if rule.id in seen:
            raise RuleDataError(f"duplicate rule id {rule.id}")
        seen.add(rule.id)
        if rule.direction not in DIRECTIONS:
            raise RuleDataError(f"{where}: unknown direction {rule.direction}")
        if rule.kind not in RULE_KINDS:
            raise RuleDataError(f"{where}: unknown kind {rule.kind}")
        cites = [rule.cite, *(c.cite for c in rule.conditions), *(c for _, c in rule.honour_cites)]
        if rule.years:
            cites.append(rule.years.cite)
        if rule.unquantified:
            cites.append(rule.unquantified[1])
        for cite in cites:
            if cite not in book.clauses:
                raise RuleDataError(f"{where}: unknown clause {cite}")
        for key in (*rule.from_skill, *rule.from_title, rule.requires_skill, rule.requires_title, rule.target_cap):
            if key and key != "any" and key not in levels:
                raise RuleDataError(f"{where}: unknown level {key}")
        if rule.target and rule.target not in ("any_skill", "next_skill", "relative") and rule.target not in levels:
            raise RuleDataError(f"{where}: unknown target {rule.target}")
        for honour in rule.from_honours:
            if honour not in honours:
                raise RuleDataError(f"{where}: unknown honour {honour}")
        if rule.kind not in ("no_path", "referral") and not rule.target:
            raise RuleDataError(f"{where}: no target")
    for clause in book.clauses.values():
        if clause.doc not in book.documents:
            raise RuleDataError(f"clause {clause.id}: unknown document {clause.doc}")


@lru_cache(maxsize=1)
def load() -> RuleBook:
    """Load and validate all rule data (cached for the process)."""
    with open(DATA_DIR / "documents.yaml", encoding="utf-8") as fh:
        docs_raw = yaml.safe_load(fh)["documents"]
    documents = {
        doc: Document(
            doc=doc,
            title=meta["title"],
            region=meta["region"],
            effective=_to_date(meta.get("effective")),
            valid_until=_to_date(meta.get("valid_until")),
            validity_note=meta.get("validity_note"),
        )
        for doc, meta in docs_raw.items()
    }
    clauses: dict[str, Clause] = {}
    rules: list[Rule] = []
    standard: dict[tuple[str, str], tuple[Condition, ...]] = {}
    for path in sorted((DATA_DIR / "rules").glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
        region = raw["region"]
        for cid, clause in (raw.get("clauses") or {}).items():
            if cid in clauses:
                raise RuleDataError(f"duplicate clause id {cid}")
            clauses[cid] = Clause(cid, clause["doc"], clause["section"], clause["quote"])
        for direction, conds in (raw.get("standard") or {}).items():
            standard[(region, direction)] = tuple(_condition(c) for c in conds)
        rules.extend(_rule(r, region) for r in raw.get("rules") or [])
    with open(DATA_DIR / "facts.yaml", encoding="utf-8") as fh:
        facts = yaml.safe_load(fh)
    book = RuleBook(documents, clauses, tuple(rules), standard, facts)
    _validate(book)
    return book
