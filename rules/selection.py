"""Choosing the rules that bear on a question: the direction, the candidate paths for a target or
for an open question, referrals, honour paths at other levels, required honours of another grade,
and the first missing fact. Pure reasoning over `Facts` and the rulebook."""

from __future__ import annotations

from datetime import date

from . import lexicon
from .conditions import credential_check, evaluate_rule, level_rank, matched_honours, resolve_target
from .model import SKILL_TO_SKILL, SKILL_TO_TITLE, TITLE_TO_SKILL, Facts, Rule
from .results import RuleResult
from .rulebook import RuleBook

MISSING_ORDER = ("region", "credential", "years", "honour")

ACTIVE_KINDS = ("base", "green_channel", "exception", "promotion")


def infer_direction(facts: Facts) -> str | None:
    """skill_to_title / title_to_skill / skill_to_skill from the target and the credential held."""
    if facts.target:
        if lexicon.level(facts.target).kind == "title":
            return SKILL_TO_TITLE
        # a skill level is the target: professionals (title or Jiangsu honours) use title_to_skill;
        # a skill holder without a title asks about the skill ladder itself
        if facts.title_level or facts.honours:
            return TITLE_TO_SKILL
        if facts.skill_level:
            return SKILL_TO_SKILL
        return TITLE_TO_SKILL
    if facts.direction:
        return facts.direction
    if facts.skill_level and not facts.title_level:
        return SKILL_TO_TITLE
    if facts.title_level and not facts.skill_level:
        # "江苏工匠，手上有中级职称，还能往上报什么": an honour that lifts a title (高一级) asks the title way
        return SKILL_TO_TITLE if facts.honours else TITLE_TO_SKILL
    if facts.skill_level and facts.title_level:
        return SKILL_TO_TITLE
    if facts.honours:
        return SKILL_TO_TITLE
    return None


def targeted_candidates(book: RuleBook, region: str, direction: str, target: str, facts: Facts) -> list[Rule]:
    out = []
    for rule in book.region_rules(region, direction):
        if rule.kind not in ACTIVE_KINDS:
            continue
        if rule.from_honours and not matched_honours(rule, facts):
            continue
        resolved = resolve_target(rule, facts)
        if rule.target == "relative" and resolved is None:
            # 高一级: keep it when the honour matches, so the decision can say why it is open/closed
            out.append(rule)
            continue
        if resolved == target or rule.target == "any_skill" and lexicon.level(target).kind == "skill":
            out.append(rule)
    # green channels first: they override the base path explicitly
    return sorted(out, key=lambda r: 0 if r.is_green else 1)


def open_candidates(book: RuleBook, region: str, direction: str, facts: Facts) -> list[Rule]:
    """Rules whose from-credential is the person's own (exactly, or 以上) or whose honour they hold."""
    out = []
    for rule in book.region_rules(region, direction):
        if rule.kind not in ACTIVE_KINDS:
            continue
        if rule.from_honours:
            if matched_honours(rule, facts):
                out.append(rule)
            continue
        ok = False
        for kind, accepted in (("skill", rule.from_skill), ("title", rule.from_title)):
            if not accepted:
                continue
            met, exact = credential_check(kind, accepted, rule.or_higher, facts)
            ok = met is True and exact
        if ok:
            out.append(rule)
    return sorted(out, key=lambda r: 0 if r.is_green else 1)


def no_path_rule(book: RuleBook, region: str, direction: str, target: str) -> Rule | None:
    for rule in book.region_rules(region, direction):
        if rule.kind == "no_path" and rule.target == target:
            return rule
    return None


def referrals(book: RuleBook, region: str, direction: str, facts: Facts) -> list[Rule]:
    out = []
    for rule in book.region_rules(region, direction):
        if rule.kind != "referral":
            continue
        if rule.from_honours and not matched_honours(rule, facts):
            continue
        out.append(rule)
    return out


def first_missing(results: list[RuleResult]) -> tuple[list[str], str | None]:
    """Missing facts across the undecided rules, ordered region → credential → years, with the
    follow-up for the first one."""
    names: list[str] = []
    question: str | None = None
    for wanted in MISSING_ORDER:
        for res in results:
            if wanted in res.missing:
                if wanted not in names:
                    names.append(wanted)
                if question is None and res.follow_up and res.missing[0] == wanted:
                    question = res.follow_up
    if question is None:
        for res in results:
            if res.follow_up:
                question = res.follow_up
                break
    return names, question


def honour_paths(book: RuleBook, region: str, direction: str, target: str | None, facts: Facts) -> list[Rule]:
    """Green channels of the region opened by the person's honours at another level than the
    target (黄石: 全国技术能手 opens 中级, not 副高级), lowest level first."""
    if not facts.honours:
        return []
    out = []
    for rule in book.region_rules(region, direction):
        if rule.kind not in ("green_channel", "exception") or not rule.from_honours:
            continue
        if not matched_honours(rule, facts):
            continue
        resolved = resolve_target(rule, facts)
        if resolved is not None and resolved == target:
            continue
        out.append(rule)
    return sorted(out, key=lambda r: level_rank(resolve_target(r, facts)) if resolve_target(r, facts) else 99)


def required_honours(
    book: RuleBook, region: str, direction: str, target: str | None, facts: Facts
) -> list[tuple[Rule, str, str, str]]:
    """(rule, required honour, its clause id, the person's honour) for green channels of the target
    level that list another grade/group of the person's honour: 四川 世赛银牌 → 正高级 needs 金牌
    (六（三）3); 黄石 国赛银奖 → 副高级 needs 全国技能大赛金奖; 江苏 状元大赛学生组 → 职工组."""
    if not facts.honours:
        return []
    held = lexicon.expand_honours(facts.honours)
    own = [h for h in facts.honours]
    out: list[tuple[Rule, str, str, str]] = []
    for rule in book.region_rules(region, direction):
        if rule.kind not in ("green_channel", "exception") or not rule.from_honours:
            continue
        if target is not None and resolve_target(rule, facts) != target and rule.target != target:
            continue
        for wanted in rule.from_honours:
            if wanted in held or lexicon.honour_requirement_label(wanted) is None:
                continue
            family = next((f for f in lexicon.honour_families() if wanted in f and f & held), None)
            if family is None:
                continue
            mine = next((h for h in own if h in family), None) or next(h for h in held if h in family)
            cite = dict(rule.honour_cites).get(wanted, rule.cite)
            if all(x[1] != wanted for x in out):
                out.append((rule, wanted, cite, mine))
    return out


def open_now(book: RuleBook, region: str, direction: str, facts: Facts, as_of: date, asked: str | None) -> list[RuleResult]:
    """Paths open to the person now (other than the one asked about), highest first: what a "no"
    can still offer."""
    results = [evaluate_rule(book, r, facts, as_of) for r in open_candidates(book, region, direction, facts)]
    now = [r for r in results if r.status is True and r.target not in (None, asked, "any_skill", "next_skill")]
    return sorted(now, key=lambda r: level_rank(r.target), reverse=True)[:2]



def next_up(book: RuleBook, region: str, direction: str, facts: Facts, as_of: date, asked: str | None) -> list[RuleResult]:
    """When nothing is open now: the path from what the person holds that only waits for its years
    (soonest first) — what a "no" can still tell them ("高级工满2年 → 初级，还差约半年")."""
    results = [evaluate_rule(book, r, facts, as_of) for r in open_candidates(book, region, direction, facts)]
    waiting = [r for r in results if r.status is False and r.years_only_fail and r.target not in (None, asked)]
    return sorted(waiting, key=lambda r: (r.opens_on or as_of, r.remaining or 0))[:1]
