"""Deciding one region: which evaluated rule answers a targeted or an open question, what else is
open now or later, and the JSON decision dict. Pure reasoning: it returns structured verdicts;
the sentences that say them are written by `verdict_text`, which imports this module (never the
reverse)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import lexicon
from .conditions import (
    credential_met,
    evaluate_rule,
    level_rank,
    matched_honours,
    resolve_target,
    target_label,
)
from .model import SKILL_TO_SKILL, Facts, Rule
from .results import Citations, RuleResult
from .rulebook import RuleBook
from .selection import (
    first_missing,
    honour_paths,
    next_up,
    no_path_rule,
    open_candidates,
    open_now,
    referrals,
    required_honours,
    targeted_candidates,
)


@dataclass
class NoPath:
    """No rule of the region opens the target; `available` are the paths its documents do give."""

    region: str
    direction: str
    target: str
    facts: Facts
    as_of: date
    available: list[Rule]
    refs: list[Rule]


@dataclass
class Targeted:
    """A question about one target level in one region."""

    region: str
    direction: str
    target: str
    facts: Facts
    as_of: date
    refs: list[Rule]
    results: list[RuleResult] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)
    no_path: Rule | None = None  # the region's explicit "no path to this level" rule
    greens: list[Rule] = field(default_factory=list)  # honour paths to other levels (with no_path)
    main: RuleResult | None = None
    eligible: bool | None = None
    missing: list[str] = field(default_factory=list)
    follow_up: str | None = None
    fired: list[RuleResult] = field(default_factory=list)
    other_green: list[Rule] = field(default_factory=list)  # the person's honours open other levels
    honour_levels_lower: list[str] = field(default_factory=list)  # … and every one is below the target
    required: list[tuple[Rule, str, str, str]] = field(default_factory=list)
    open_now: list[RuleResult] = field(default_factory=list)
    next_up: list[RuleResult] = field(default_factory=list)  # nothing open now: the path that only waits for years

    @property
    def route(self) -> str:
        if self.no_path is not None:
            return "rules"
        return "clarify" if self.eligible is None and self.follow_up else "rules"


@dataclass
class Open:
    """No target named: what the person can apply for now and what opens later.
    `kind`: "lowest" (nothing matches: the region's lowest path), "ask" (undecided: one follow-up)
    or "list" (what is open now / next)."""

    kind: str
    region: str
    direction: str
    facts: Facts
    as_of: date
    refs: list[Rule]
    results: list[RuleResult]
    trace: list[str]
    main: RuleResult
    eligible: bool | None = None
    missing: list[str] = field(default_factory=list)
    follow_up: str | None = None
    now: list[RuleResult] = field(default_factory=list)  # open now, in rule order
    now_ranked: list[RuleResult] = field(default_factory=list)  # the same, highest level first
    later: list[RuleResult] = field(default_factory=list)  # soonest first
    undecided: list[RuleResult] = field(default_factory=list)
    lowest: Rule | None = None

    @property
    def route(self) -> str:
        return "clarify" if self.kind == "ask" and self.follow_up else "rules"


# ---------------------------------------------------------------------------------------------
# deciding


def decide_targeted(
    book: RuleBook, region: str, direction: str, target: str, facts: Facts, as_of: date
) -> Targeted | NoPath:
    """Decide one region/target: the deciding rule, the verdict and what else to offer."""
    candidates = targeted_candidates(book, region, direction, target, facts)
    refs = referrals(book, region, direction, facts)
    results = [evaluate_rule(book, r, facts, as_of) for r in candidates]
    # The path for the person's own credential decides: a path from a lower credential (whose years
    # we cannot know) is dropped when a path from exactly the held credential exists.
    if any(r.credential_exact and credential_met(r) and not r.rule.from_honours for r in results):
        results = [r for r in results if r.credential_exact or r.rule.from_honours]
    v = Targeted(region, direction, target, facts, as_of, refs, results, trace=[r.rule.id for r in results])
    v.fired = [r for r in results if r.status is True]
    undecided = [r for r in results if r.status is None]

    if not results:
        v.no_path = no_path_rule(book, region, direction, target)
        if v.no_path is None:
            return no_path(book, region, direction, target, facts, as_of, refs)
        v.greens = honour_paths(book, region, direction, target, facts)
        v.eligible = False
        v.trace = [v.no_path.id]
        return v

    if v.fired:
        v.main, v.eligible = v.fired[0], True
    elif undecided:
        v.main, v.eligible = undecided[0], None
        v.missing, v.follow_up = first_missing(undecided)
    else:
        # closest failing rule: one whose credential matched (years short), else the first base rule
        years_short = [r for r in results if r.years_only_fail]
        own = [r for r in results if credential_met(r)]
        base_first = sorted(results, key=lambda r: (0 if r.rule.kind == "base" else 1))
        v.main = years_short[0] if years_short else (own[0] if own else base_first[0])
        v.eligible = False

    if v.eligible is not True:
        v.other_green = honour_paths(book, region, direction, target, facts)
        levels = [resolve_target(r, facts) for r in v.other_green]
        lower = [lv for lv in levels if lv and level_rank(lv) < level_rank(target)]
        if lower and len(lower) == len(levels):
            v.honour_levels_lower = lower
        v.required = required_honours(book, region, direction, target, facts)
    if v.eligible is False:
        v.open_now = open_now(book, region, direction, facts, as_of, target)
        if not v.open_now:
            v.next_up = next_up(book, region, direction, facts, as_of, target)
    return v


def no_path(
    book: RuleBook, region: str, direction: str, target: str, facts: Facts, as_of: date, refs: list[Rule]
) -> NoPath:
    available = [r for r in book.region_rules(region, direction) if r.kind in ("base", "exception")]
    return NoPath(region, direction, target, facts, as_of, available, refs)


def open_rank(res: RuleResult) -> int:
    if res.target in (None, "any_skill"):
        return -1
    return level_rank(res.target)


def decide_open(book: RuleBook, region: str, direction: str, facts: Facts, as_of: date) -> Open | NoPath:
    """No target named: what can the person apply for now, and when does the next level open."""
    candidates = open_candidates(book, region, direction, facts)
    results = [evaluate_rule(book, r, facts, as_of) for r in candidates]
    trace = [r.rule.id for r in results]
    refs = referrals(book, region, direction, facts)
    now = [r for r in results if r.status is True and r.target not in (None,)]
    pending = [r for r in results if r.status is False and r.years_only_fail]
    undecided = [r for r in results if r.status is None]

    if not results:
        lowest = [r for r in book.region_rules(region, direction) if r.kind == "base"]
        if not lowest:
            return no_path(book, region, direction, facts.target or "正高级", facts, as_of, refs)
        first = lowest[0]
        res0 = evaluate_rule(book, first, facts, as_of)
        return Open("lowest", region, direction, facts, as_of, refs, results, [first.id], res0, False, lowest=first)

    if not now and undecided:
        missing, follow_up = first_missing(undecided)
        return Open("ask", region, direction, facts, as_of, refs, results, trace, undecided[0], None,
                    missing, follow_up, undecided=undecided)

    if now:
        main = max(now, key=open_rank)
        eligible = True
    else:
        main = min(pending, key=lambda r: (r.opens_on or date.max, r.remaining or 0)) if pending else results[0]
        eligible = False
    later = [r for r in pending if not now or open_rank(r) > open_rank(main) or open_rank(r) == -1]
    return Open(
        "list", region, direction, facts, as_of, refs, results, trace, main, eligible,
        now=now,
        now_ranked=sorted(now, key=open_rank, reverse=True),
        later=sorted(later, key=lambda r: (r.opens_on or date.max, r.remaining or 99)),
        undecided=undecided,
    )


# ---------------------------------------------------------------------------------------------
# the JSON decision (called after the text is written: citation numbers follow first use)


def cond_dicts(result: RuleResult, cites: Citations) -> list[dict[str, Any]]:
    return [{"text": c.text, "met": c.met, "citation": cites.ref(c.cite), "kind": c.kind} for c in result.conds]


def decision_dict(
    result: RuleResult | None,
    eligible: bool | None,
    direction: str | None,
    region: str | None,
    target_key: str | None,
    cites: Citations,
    missing: list[str],
    follow_up: str | None,
    fired: list[RuleResult],
    as_of: date,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    rule = result.rule if result else None
    out: dict[str, Any] = {
        "eligible": eligible,
        "direction": direction,
        "region": region,
        "target": target_label(rule, target_key) if target_key else None,
        "conditions": cond_dicts(result, cites) if result else [],
        "missing": missing,
        "follow_up": follow_up,
        "target_level": target_key,
        "rule_id": rule.id if rule else None,
        "rule_kind": rule.kind if rule else None,
        "fired_rules": [r.rule.id for r in fired],
        "as_of": as_of.isoformat(),
    }
    if extra:
        out.update(extra)
    return out


def no_path_decision(v: NoPath, cites: Citations) -> dict[str, Any]:
    eligible = None if v.direction == SKILL_TO_SKILL else False
    return decision_dict(None, eligible, v.direction, v.region, v.target, cites, [], None, [], v.as_of, {"no_path": True})


def targeted_decision(v: Targeted, cites: Citations) -> dict[str, Any]:
    facts, who, tlabel = v.facts, lexicon.region_label(v.region), target_label(None, v.target)
    if v.no_path is not None:
        decision = decision_dict(None, False, v.direction, v.region, v.target, cites, [], None, [], v.as_of,
                                 {"rule_id": v.no_path.id, "rule_kind": "no_path", "no_path": True})
        decision["conditions"] = [{"text": v.no_path.name, "met": False, "citation": cites.ref(v.no_path.cite)}]
        return decision
    main = v.main
    assert main is not None
    extra: dict[str, Any] = {}
    if main.opens_on:
        extra["opens_on"] = main.opens_on.isoformat()
    if main.honours_used:
        extra["honours_used"] = main.honours_used
    if v.other_green:
        extra["honour_paths"] = [
            {"honours": matched_honours(r, facts), "target": target_label(r, resolve_target(r, facts)),
             "target_level": resolve_target(r, facts), "rule_id": r.id}
            for r in v.other_green
        ]
    decision = decision_dict(main, v.eligible, v.direction, v.region, v.target, cites, v.missing, v.follow_up,
                             v.fired, v.as_of, extra)
    if v.other_green and v.eligible is False:
        for r in v.other_green:
            used = matched_honours(r, facts)
            cite = dict(r.honour_cites).get(used[0], r.cite) if used else r.cite
            lvl = target_label(r, resolve_target(r, facts)) or r.target_text
            decision["conditions"].append({
                "text": f"“{'、'.join(used)}”在{who}对应{lvl}（绿色通道），不是{tlabel}",
                "met": False, "citation": cites.ref(cite),
            })
    if v.required:
        decision["required_honours"] = [
            {"honour": lexicon.honour_requirement_label(w), "rule_id": r.id, "citation": cites.ref(c), "yours": mine}
            for r, w, c, mine in v.required
        ]
        if v.eligible is False:
            for r, w, c, mine in v.required:
                decision["conditions"].append({
                    "text": f"{tlabel}要求“{lexicon.honour_requirement_label(w)}”，您为“{mine}”",
                    "met": False, "citation": cites.ref(c),
                })
    return decision


def open_decision(v: Open, cites: Citations) -> dict[str, Any]:
    if v.kind == "lowest":
        assert v.lowest is not None
        return decision_dict(v.main, False, v.direction, v.region, None, cites, [], None, [], v.as_of,
                             {"rule_id": v.lowest.id, "lowest_path": target_label(v.lowest, v.lowest.target)})
    if v.kind == "ask":
        # no target was named: the decision names none until the person's facts pick one
        return decision_dict(v.main, None, v.direction, v.region, None, cites, v.missing, v.follow_up, [], v.as_of)
    main = v.main
    extra: dict[str, Any] = {"eligible_now": [target_label(r.rule, r.target) for r in v.now_ranked]}
    if v.later:
        nxt = v.later[0]
        extra["next"] = {
            "target": target_label(nxt.rule, nxt.target),
            "rule_id": nxt.rule.id,
            "opens_on": nxt.opens_on.isoformat() if nxt.opens_on else None,
            "remaining_years": nxt.remaining,
        }
    if main.opens_on:
        extra["opens_on"] = main.opens_on.isoformat()
    best_target = main.target if main.target not in ("any_skill", "next_skill") else None
    return decision_dict(main, v.eligible, v.direction, v.region, best_target, cites, [], None, v.now, v.as_of, extra)
