"""Evaluating one rule against the facts: three-valued conditions (met / not met / unknown), the
target a relative rule opens, and the follow-up question a missing fact calls for. Pure: facts in,
`RuleResult` out, no text parsing and no answer wording."""

from __future__ import annotations

from datetime import date

from . import lexicon
from .model import SKILL_TO_SKILL, SKILL_TO_TITLE, TITLE_TO_SKILL, Condition, Facts, Rule
from .results import Cond, RuleResult
from .rulebook import RuleBook
from .years import check_years, years_view

REGION_QUESTION = "请问您在哪个地区（四川、上海、湖北黄石或江苏）？"


def _accepts(rule: Rule, key: str) -> bool:
    """Does the rule's from-credential accept this held level (exactly, or as "…以上")?"""
    kind = lexicon.level(key).kind
    accepted = rule.from_skill if kind == "skill" else rule.from_title
    if not accepted:
        return False
    if accepted == ("any",) or key in accepted:
        return True
    return rule.or_higher and level_rank(key) >= max(level_rank(a) for a in accepted)


def _years_for_rule(facts: Facts, rule: Rule, as_of: date):
    """The years check for a rule, counted from the held credential the rule is about. When the
    person holds several levels the rule accepts, each with its own years ("高级工3年、技师1年" for a
    高级工以上满2年 path), the one that meets the rule counts."""
    counted = facts.skill_level if rule.from_skill else facts.title_level if rule.from_title else None
    if counted is not None and not _accepts(rule, counted):
        counted = None  # a 高级工's years are not a 技师's: a credential the rule does not accept has no years here
    options = [counted] + [k for k in facts.years_by_level if k != counted and _accepts(rule, k)]
    best = None
    for key in options:
        view = years_view(facts, key, rule.years.basis)
        check = check_years(view, rule.years.n, as_of, rule.years.basis)
        if best is None or (check.met is True and best[1].met is not True):
            best = (view, check)
    return best


def level_rank(key: str | None) -> int:
    return lexicon.level(key).rank if key else -1


def level_label(key: str) -> str:
    return lexicon.level(key).label


def target_label(rule: Rule | None, key: str | None) -> str | None:
    """Display label of a target level, honouring the rule's own wording (上海 "初级职称")."""
    if key is None:
        return None
    if rule is not None and rule.target_label:
        return rule.target_label
    if key in ("any_skill", "next_skill"):
        return rule.target_text if rule else key
    lvl = lexicon.level(key)
    return f"{lvl.key}职称" if lvl.kind == "title" else lvl.key

def _declared_basis(facts: Facts) -> bool:
    """The person put forward something as their basis that reading set aside (a sports or
    civil-service rank, another province's honour): they did describe themselves."""
    return any(e.get("role") in ("set_aside", "other_region", "unlisted") for e in facts.evidence)


def _any_credential_stated(facts: Facts) -> bool:
    return bool(facts.skill_level or facts.title_level or facts.honours or facts.lacks or _declared_basis(facts))


def credential_check(
    kind: str, accepted: tuple[str, ...], or_higher: bool, facts: Facts
) -> tuple[bool | None, bool]:
    """(met, exact) for a from-credential; exact=False when the user holds a higher level the
    rule does not name (the years then refer to the lower level and stay open)."""
    held = facts.skill_level if kind == "skill" else facts.title_level
    if accepted == ("any",):
        if held:
            return True, True
        lacks_all = ("技能等级" if kind == "skill" else "职称") in facts.lacks
        return (False if lacks_all or _any_credential_stated(facts) else None), True
    if held is None:
        if any(a in facts.lacks for a in accepted) or ("技能等级" if kind == "skill" else "职称") in facts.lacks:
            return False, True
        # The user described a credential of the other kind only: this path is not theirs.
        other_known = facts.title_level if kind == "skill" else facts.skill_level
        if other_known or facts.honours or _declared_basis(facts):
            return False, True
        return None, True
    if held in accepted:
        return True, True
    top = max(level_rank(a) for a in accepted)
    if level_rank(held) > top:
        return True, or_higher
    return False, True


def resolve_target(rule: Rule, facts: Facts) -> str | None:
    """Level key the rule opens for this person (relative targets depend on the held title)."""
    if rule.target == "relative":
        if facts.title_level is None:
            return None
        ranks = [lvl for lvl in lexicon.title_levels() if lvl.rank == level_rank(facts.title_level) + rule.target_relative]
        if not ranks:
            return None
        return ranks[0].key if level_rank(ranks[0].key) <= level_rank(rule.target_cap) else None
    if rule.target == "next_skill":
        if facts.skill_level is None:
            return None
        nxt = [lvl for lvl in lexicon.skill_levels() if lvl.rank == level_rank(facts.skill_level) + 1]
        return nxt[0].key if nxt else None
    return rule.target


def matched_honours(rule: Rule, facts: Facts) -> list[str]:
    """The rule's honours the person holds (after implications; 江苏 counts a stated 特级技师)."""
    held = lexicon.expand_honours(facts.honours)
    if facts.skill_level == "特级技师" and "特级技师（未经省人社厅认定）" not in facts.honours:
        held.add("特级技师（经省人社厅认定）")
    return [h for h in rule.from_honours if h in held]


def _standard_conditions(book: RuleBook, rule: Rule) -> tuple[Condition, ...]:
    return book.standard.get((rule.region, rule.direction), ())


def _fact_condition(cond: Condition, facts: Facts) -> bool | None:
    if cond.fact == "assessment_ok":
        return facts.assessment_ok
    if cond.fact in ("recommendation", "ability_test"):
        return False if cond.fact in facts.unmet else None  # only a stated failure is known
    if cond.fact == "class_one_rank":
        return True if "国家级一类技能竞赛前5名" in facts.honours else None
    if cond.fact == "min_skill_senior_worker":
        if facts.skill_level is None:
            # "没有任何技能等级证书" (or no level from 高级工 up) is a stated fact that fails the scope
            said_none = "技能等级" in facts.lacks or {"高级工", "技师", "高级技师"} <= set(facts.lacks)
            return False if said_none else None
        return level_rank(facts.skill_level) >= level_rank("高级工")
    return None


def credential_question(direction: str | None, rule: Rule | None = None) -> str:
    """Follow-up asking for the credential the decision needs."""
    if rule is not None and rule.requires_title:
        return f"您目前是否已取得{rule.requires_title}职称？"
    if rule is not None and rule.requires_skill:
        return f"您目前是否已具备{level_label(rule.requires_skill)}？"
    if direction == TITLE_TO_SKILL:
        return "您目前取得的是什么级别的职称（如助理级、中级、副高级）？"
    if direction in (SKILL_TO_TITLE, SKILL_TO_SKILL):
        return "您目前取得的是哪一级职业技能等级（如高级工、技师、高级技师）？"
    return "您目前持有什么职业技能等级或职称（如技师、高级技师，或助理级、中级职称）？"


def from_label(rule: Rule) -> str:
    if rule.from_label:
        return rule.from_label
    if rule.from_skill and rule.from_skill != ("any",):
        return level_label(rule.from_skill[0])
    if rule.from_skill == ("any",):
        return "职业资格或职业技能等级"
    if rule.from_title:
        return f"{rule.from_title[0]}职称"
    return "相应资格"


def years_question(rule: Rule, need_precise: bool, facts: Facts) -> str:
    """Follow-up asking for the years the decision needs."""
    if need_precise and facts.obtained:
        return f"您是{facts.obtained.split('-')[0]}年几月取得{from_label(rule)}的？"
    assert rule.years is not None
    if rule.years.basis == "cumulative_work":
        return "您累计从事本专业技术技能工作多少年了？"
    return f"您取得{from_label(rule)}后从事相关工作满几年了？（也可以告诉我取得的年月）"


def evaluate_rule(book: RuleBook, rule: Rule, facts: Facts, as_of: date) -> RuleResult:
    """Three-valued evaluation of one rule against the facts."""
    conds: list[Cond] = []
    missing: list[str] = []
    follow_up: str | None = None
    exact = True
    honours_used: list[str] = []
    target = resolve_target(rule, facts)

    # from-credential
    if rule.from_honours:
        honours_used = matched_honours(rule, facts)
        cites = dict(rule.honour_cites)
        cite = cites.get(honours_used[0], rule.cite) if honours_used else rule.cite
        text = f"获得/担任：{'、'.join(honours_used)}" if honours_used else f"具有下列荣誉之一：{'、'.join(rule.from_honours)}"
        conds.append(Cond(text, bool(honours_used), cite, True, "honour"))
    for kind, accepted in (("skill", rule.from_skill), ("title", rule.from_title)):
        if not accepted:
            continue
        met, exact = credential_check(kind, accepted, rule.or_higher, facts)
        label = from_label(rule)
        suffix = "及以上" if rule.or_higher and accepted != ("any",) else ""
        conds.append(Cond(f"已取得{label}{suffix}", met, rule.cite, True, "credential"))
        if met is None:
            missing.append("credential")
            follow_up = follow_up or credential_question(rule.direction)
    # extra required credential (江苏: 已有副高级职称; 已具备技师)
    for kind, key in (("title", rule.requires_title), ("skill", rule.requires_skill)):
        if not key:
            continue
        held = facts.title_level if kind == "title" else facts.skill_level
        if held is not None:
            met = level_rank(held) >= level_rank(key)
        elif key in facts.lacks or ("职称" if kind == "title" else "技能等级") in facts.lacks:
            met = False
        else:
            met = None  # an honour holder may well hold this credential too: ask
        label = f"{key}职称" if kind == "title" else level_label(key)
        conds.append(Cond(f"已取得{label}", met, rule.cite, True, "requires"))
        if met is None:
            missing.append("credential")
            follow_up = follow_up or credential_question(rule.direction, rule)
    if rule.requires_any_title:
        met = True if facts.title_level else (False if "职称" in facts.lacks else None)
        conds.append(Cond("为取得职称的专业技术人员", met, rule.cite, True, "requires"))
        if met is None:
            missing.append("credential")
            follow_up = follow_up or credential_question(TITLE_TO_SKILL)
    if rule.target == "relative":
        if facts.title_level is None:
            text = "“高一级”以现有职称为基准：需要知道您现有的职称级别"
            if "职称" in facts.lacks:
                text = "“高一级”以现有职称为基准；您尚无职称，文件未说明此时从哪一级算起"
                conds.append(Cond(text, None, rule.cite, True, "requires"))
            else:
                conds.append(Cond(text, None, rule.cite, True, "requires"))
                missing.append("credential")
                follow_up = follow_up or "您目前已有什么级别的职称（如没有职称也请说明）？"
        elif target is None:
            conds.append(
                Cond(f"高一级职称最高到{rule.target_cap}；您已是{facts.title_level}职称", False, rule.cite, True, "requires")
            )

    # years
    opens_on = remaining = None
    need_precise = False
    credential_ok = all(c.met is True for c in conds if c.kind in ("credential", "honour", "requires"))
    years_only_fail = False
    if rule.years:
        view, check = _years_for_rule(facts, rule, as_of)
        met = check.met
        if not exact and met is False:
            met = None  # years with the higher level say nothing about years since the lower one
        text = f"{rule.years.text}（您：{check.have}）" if view.has_years else rule.years.text
        conds.append(Cond(text, met, rule.years.cite, True, "years"))
        opens_on, remaining, need_precise = check.opens_on, check.remaining, check.need_precise_date
        if met is None and not (credential_ok is False and any(c.met is False for c in conds)):
            missing.append("years")
            follow_up = follow_up or years_question(rule, need_precise, facts)
        years_only_fail = met is False and credential_ok
    if rule.unquantified:
        conds.append(Cond(rule.unquantified[0], None, rule.unquantified[1], False, "unquantified"))

    # standard and rule-specific conditions
    for cond in (*_standard_conditions(book, rule), *rule.conditions):
        if cond.only_for and cond.only_for not in honours_used:
            continue
        met = _fact_condition(cond, facts) if cond.fact else None
        asks = bool(cond.asks) and met is None  # a deciding detail of the honour (赛项人数)
        conds.append(Cond(cond.text, met, cond.cite, met is False or asks, "honour" if asks else "standard"))
        if asks:
            missing.append("honour")
            follow_up = follow_up or cond.asks

    deciding = [c for c in conds if c.deciding]
    if any(c.met is False for c in deciding):
        status: bool | None = False
        missing, follow_up = [], None
    elif any(c.met is None for c in deciding):
        status = None
    else:
        status = True
    return RuleResult(
        rule=rule,
        status=status,
        conds=conds,
        target=target,
        missing=list(dict.fromkeys(missing)),
        follow_up=follow_up,
        opens_on=opens_on if status is False else None,
        remaining=remaining if status is False else None,
        honours_used=honours_used,
        credential_exact=exact,
        years_only_fail=years_only_fail and status is False,
    )


def credential_met(res: RuleResult) -> bool:
    creds = [c for c in res.conds if c.kind in ("credential", "honour", "requires")]
    return bool(creds) and all(c.met is True for c in creds)

