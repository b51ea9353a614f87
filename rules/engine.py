"""Eligibility decisions from the YAML rules: three-valued conditions, green channels that
override base paths explicitly, the first blocking unknown as the follow-up question, and
document validity checked `as_of` a date."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from . import lexicon
from .model import SKILL_TO_SKILL, SKILL_TO_TITLE, TITLE_TO_SKILL, Condition, Facts, Rule, RuleOutcome
from .rulebook import RuleBook, load
from .years import check_years, format_years, years_view

MISSING_ORDER = ("region", "credential", "years", "honour")
REGION_QUESTION = "请问您在哪个地区（四川、上海、湖北黄石或江苏）？"
COVERED_TEXT = "四川省、上海市、湖北省黄石市和江苏省"


# ---------------------------------------------------------------------------------------------
# citations


class Citations:
    """Collects cited clauses in first-use order; `ref` returns the 0-based index."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self.ids: list[str] = []
        self.adhoc: dict[str, tuple[str, str, str]] = {}

    def ref(self, clause_id: str) -> int:
        if clause_id not in self.ids:
            self.ids.append(clause_id)
        return self.ids.index(clause_id)

    def ref_quote(self, doc: str, section: str, quote: str) -> int:
        """Cite a passage that is not a named clause (e.g. one entry of the Jiangsu directory)."""
        key = f"{doc}|{section}|{quote}"
        self.adhoc[key] = (doc, section, quote)
        return self.ref(key)

    def mark(self, clause_id: str) -> str:
        """The 1-based 【n】 marker for the answer text."""
        return f"【{self.ref(clause_id) + 1}】"

    def as_list(self) -> list[dict[str, str]]:
        out = []
        for cid in self.ids:
            doc, section, quote = self._parts(cid)
            out.append({"doc": doc, "title": self.book.documents[doc].title, "section": section, "quote": quote})
        return out

    def _parts(self, cid: str) -> tuple[str, str, str]:
        if cid in self.adhoc:
            return self.adhoc[cid]
        clause = self.book.clauses[cid]
        return clause.doc, clause.section, clause.quote

    def warnings(self, as_of: date) -> list[str]:
        """Validity warnings for every cited document (e.g. 川人社规〔2023〕15号 after 2026-01-31)."""
        out: list[str] = []
        for doc_id in dict.fromkeys(self._parts(c)[0] for c in self.ids):
            doc = self.book.documents[doc_id]
            if doc.valid_until and as_of > doc.valid_until:
                note = f"（{doc.validity_note}）" if doc.validity_note else ""
                out.append(
                    f"{doc.doc}的有效期至{doc.valid_until.isoformat()}{note}，按{as_of.isoformat()}计已过有效期；"
                    "以下依据该文件的内容仅供参考，请以现行规定为准。"
                )
            elif doc.effective and as_of < doc.effective:
                out.append(f"{doc.doc}自{doc.effective.isoformat()}起施行，按{as_of.isoformat()}计尚未施行。")
        return out


# ---------------------------------------------------------------------------------------------
# evaluating one rule


@dataclass
class Cond:
    """One evaluated condition: met is True / False / None (unknown)."""

    text: str
    met: bool | None
    cite: str
    deciding: bool  # False for standard conditions the user normally does not state
    kind: str  # credential | years | honour | requires | standard | unquantified


@dataclass
class RuleResult:
    """A rule evaluated against the facts."""

    rule: Rule
    status: bool | None
    conds: list[Cond]
    target: str | None
    missing: list[str] = field(default_factory=list)
    follow_up: str | None = None
    opens_on: date | None = None
    remaining: float | None = None
    honours_used: list[str] = field(default_factory=list)
    credential_exact: bool = True
    years_only_fail: bool = False  # False only because 满N年 is not yet reached


def _rank(key: str | None) -> int:
    return lexicon.level(key).rank if key else -1


def _label(key: str) -> str:
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


def _user_has_title_info(facts: Facts) -> bool:
    return facts.title_level is not None or "职称" in facts.lacks


def _user_has_skill_info(facts: Facts) -> bool:
    return facts.skill_level is not None or "技能等级" in facts.lacks


def _declared_basis(facts: Facts) -> bool:
    """The person put forward something as their basis that reading set aside (a sports or
    civil-service rank, another province's honour): they did describe themselves."""
    return any(e.get("role") in ("set_aside", "other_region") for e in facts.evidence)


def _any_credential_stated(facts: Facts) -> bool:
    return bool(facts.skill_level or facts.title_level or facts.honours or facts.lacks or _declared_basis(facts))


def _credential_check(
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
    top = max(_rank(a) for a in accepted)
    if _rank(held) > top:
        return True, or_higher
    return False, True


def _resolve_target(rule: Rule, facts: Facts) -> str | None:
    """Level key the rule opens for this person (relative targets depend on the held title)."""
    if rule.target == "relative":
        if facts.title_level is None:
            return None
        ranks = [lvl for lvl in lexicon.title_levels() if lvl.rank == _rank(facts.title_level) + rule.target_relative]
        if not ranks:
            return None
        return ranks[0].key if _rank(ranks[0].key) <= _rank(rule.target_cap) else None
    if rule.target == "next_skill":
        if facts.skill_level is None:
            return None
        nxt = [lvl for lvl in lexicon.skill_levels() if lvl.rank == _rank(facts.skill_level) + 1]
        return nxt[0].key if nxt else None
    return rule.target


def matched_honours(rule: Rule, facts: Facts) -> list[str]:
    """The rule's honours the person holds (after implications; 江苏 counts a stated 特级技师)."""
    held = lexicon.expand_honours(facts.honours)
    if facts.skill_level == "特级技师":
        held.add("特级技师（经省人社厅认定）")
    return [h for h in rule.from_honours if h in held]


def _standard_conditions(book: RuleBook, rule: Rule) -> tuple[Condition, ...]:
    return book.standard.get((rule.region, rule.direction), ())


def _fact_condition(cond: Condition, facts: Facts) -> bool | None:
    if cond.fact == "assessment_ok":
        return facts.assessment_ok
    if cond.fact == "class_one_rank":
        return True if "国家级一类技能竞赛前5名" in facts.honours else None
    if cond.fact == "min_skill_senior_worker":
        if facts.skill_level is None:
            # "没有任何技能等级证书" (or no level from 高级工 up) is a stated fact that fails the scope
            said_none = "技能等级" in facts.lacks or {"高级工", "技师", "高级技师"} <= set(facts.lacks)
            return False if said_none else None
        return _rank(facts.skill_level) >= _rank("高级工")
    return None


def credential_question(direction: str | None, rule: Rule | None = None) -> str:
    """Follow-up asking for the credential the decision needs."""
    if rule is not None and rule.requires_title:
        return f"您目前是否已取得{rule.requires_title}职称？"
    if rule is not None and rule.requires_skill:
        return f"您目前是否已具备{_label(rule.requires_skill)}？"
    if direction == TITLE_TO_SKILL:
        return "您目前取得的是什么级别的职称（如助理级、中级、副高级）？"
    if direction in (SKILL_TO_TITLE, SKILL_TO_SKILL):
        return "您目前取得的是哪一级职业技能等级（如高级工、技师、高级技师）？"
    return "您目前持有什么职业技能等级或职称（如技师、高级技师，或助理级、中级职称）？"


def _from_label(rule: Rule) -> str:
    if rule.from_label:
        return rule.from_label
    if rule.from_skill and rule.from_skill != ("any",):
        return _label(rule.from_skill[0])
    if rule.from_skill == ("any",):
        return "职业资格或职业技能等级"
    if rule.from_title:
        return f"{rule.from_title[0]}职称"
    return "相应资格"


def years_question(rule: Rule, need_precise: bool, facts: Facts) -> str:
    """Follow-up asking for the years the decision needs."""
    if need_precise and facts.obtained:
        return f"您是{facts.obtained.split('-')[0]}年几月取得{_from_label(rule)}的？"
    assert rule.years is not None
    if rule.years.basis == "cumulative_work":
        return "您累计从事本专业技术技能工作多少年了？"
    return f"您取得{_from_label(rule)}后从事相关工作满几年了？（也可以告诉我取得的年月）"


def evaluate_rule(book: RuleBook, rule: Rule, facts: Facts, as_of: date) -> RuleResult:
    """Three-valued evaluation of one rule against the facts."""
    conds: list[Cond] = []
    missing: list[str] = []
    follow_up: str | None = None
    exact = True
    honours_used: list[str] = []
    target = _resolve_target(rule, facts)

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
        met, exact = _credential_check(kind, accepted, rule.or_higher, facts)
        label = _from_label(rule)
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
            met = _rank(held) >= _rank(key)
        elif key in facts.lacks or ("职称" if kind == "title" else "技能等级") in facts.lacks:
            met = False
        else:
            met = None  # an honour holder may well hold this credential too: ask
        label = f"{key}职称" if kind == "title" else _label(key)
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
        counted = facts.skill_level if rule.from_skill else facts.title_level if rule.from_title else None
        view = years_view(facts, counted, rule.years.basis)
        check = check_years(view, rule.years.n, as_of, rule.years.basis)
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


def _credential_met(res: RuleResult) -> bool:
    creds = [c for c in res.conds if c.kind in ("credential", "honour", "requires")]
    return bool(creds) and all(c.met is True for c in creds)


# ---------------------------------------------------------------------------------------------
# choosing rules


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
        return TITLE_TO_SKILL
    if facts.skill_level and facts.title_level:
        return SKILL_TO_TITLE
    if facts.honours:
        return SKILL_TO_TITLE
    return None


def _targeted_candidates(book: RuleBook, region: str, direction: str, target: str, facts: Facts) -> list[Rule]:
    out = []
    for rule in book.region_rules(region, direction):
        if rule.kind not in ACTIVE_KINDS:
            continue
        if rule.from_honours and not matched_honours(rule, facts):
            continue
        resolved = _resolve_target(rule, facts)
        if rule.target == "relative" and resolved is None:
            # 高一级: keep it when the honour matches, so the decision can say why it is open/closed
            out.append(rule)
            continue
        if resolved == target or rule.target == "any_skill" and lexicon.level(target).kind == "skill":
            out.append(rule)
    # green channels first: they override the base path explicitly
    return sorted(out, key=lambda r: 0 if r.is_green else 1)


def _open_candidates(book: RuleBook, region: str, direction: str, facts: Facts) -> list[Rule]:
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
            met, exact = _credential_check(kind, accepted, rule.or_higher, facts)
            ok = met is True and exact
        if ok:
            out.append(rule)
    return sorted(out, key=lambda r: 0 if r.is_green else 1)


def _no_path_rule(book: RuleBook, region: str, direction: str, target: str) -> Rule | None:
    for rule in book.region_rules(region, direction):
        if rule.kind == "no_path" and rule.target == target:
            return rule
    return None


def _referrals(book: RuleBook, region: str, direction: str, facts: Facts) -> list[Rule]:
    out = []
    for rule in book.region_rules(region, direction):
        if rule.kind != "referral":
            continue
        if rule.from_honours and not matched_honours(rule, facts):
            continue
        out.append(rule)
    return out


# ---------------------------------------------------------------------------------------------
# decision assembly


def _cond_dicts(result: RuleResult, cites: Citations) -> list[dict[str, Any]]:
    return [{"text": c.text, "met": c.met, "citation": cites.ref(c.cite), "kind": c.kind} for c in result.conds]


def _mark_of(met: bool | None) -> str:
    return {True: "✅", False: "❌", None: "❔"}[met]


def _conditions_md(result: RuleResult, cites: Citations, facts: Facts | None = None) -> str:
    """The deciding conditions one per line (✅ met / ❌ not met / ❔ unknown); the standard
    conditions a person normally does not state folded into one "另须" line. A credential the
    person never mentioned is not shown as ❌: the line says it was not mentioned."""
    lines = []
    standard: list[Cond] = []
    for c in result.conds:
        if c.met is None and not c.deciding and c.kind == "standard":
            standard.append(c)
            continue
        extra = "（文件未量化，须另行核实）" if c.met is None and not c.deciding else ""
        mark = _mark_of(c.met)
        if c.met is False and c.kind in ("credential", "requires") and facts is not None:
            held = [x for x in (facts.skill_level, facts.title_level) if x]
            if held:
                extra = f"（您现有：{'、'.join(_label(x) for x in held)}）"
            elif not facts.lacks:
                mark, extra = "➖", "（您没有提到持有）"
        lines.append(f"- {mark} {c.text}{extra}{cites.mark(c.cite)}")
    if standard:
        marks = "".join(dict.fromkeys(cites.mark(c.cite) for c in standard))
        lines.append("- 另须（一般条件，请自行核对）：" + "；".join(c.text for c in standard) + marks)
    return "\n".join(lines)


def _decision(
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
        "conditions": _cond_dicts(result, cites) if result else [],
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


def _first_missing(results: list[RuleResult]) -> tuple[list[str], str | None]:
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


def _opens_text(res: RuleResult) -> str:
    if res.opens_on:
        return f"将于{res.opens_on.year}年{res.opens_on.month}月{res.opens_on.day}日满{format_years(res.rule.years.n)}"
    if res.remaining is not None and res.remaining > 0:
        if res.remaining < 1:
            return f"不到1年后满{format_years(res.rule.years.n)}（请以取得证书的确切日期核算）"
        return f"约再过{format_years(res.remaining)}满{format_years(res.rule.years.n)}"
    return ""


def _rule_sentence(res: RuleResult, cites: Citations) -> str:
    rule = res.rule
    tgt = rule.target_text or target_label(rule, res.target) or ""
    if rule.target == "relative" and res.target:
        tgt = f"{res.target}职称（{rule.target_text}）"
    return f"{rule.wording}{tgt}{cites.mark(rule.cite)}"


def _standard_note(result: RuleResult) -> str:
    pending = [c.text for c in result.conds if c.met is None and not c.deciding and c.kind == "standard"]
    if not pending:
        return ""
    return "另须满足：" + "；".join(pending) + "。"


def _unquantified_note(result: RuleResult, cites: Citations) -> str:
    rule = result.rule
    if not rule.unquantified:
        return ""
    return (
        f"注意：{rule.unquantified[0]}{cites.mark(rule.unquantified[1])}——文件没有给出具体年限，"
        "本助手不推定数字，请向当地人社部门或评价机构核实。"
    )


def _referral_notes(refs: list[Rule], cites: Citations) -> str:
    return "\n".join(f"- {r.name}{cites.mark(r.cite)}。{r.note or ''}" for r in refs)


def _sources(results: list[RuleResult]) -> str:
    """Rule ids stay in the JSON (decision.rule_id, fired_rules, trace), never in the answer text."""
    return ""


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
        resolved = _resolve_target(rule, facts)
        if resolved is not None and resolved == target:
            continue
        out.append(rule)
    return sorted(out, key=lambda r: _rank(_resolve_target(r, facts)) if _resolve_target(r, facts) else 99)


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
        if target is not None and _resolve_target(rule, facts) != target and rule.target != target:
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


def _required_sentence(
    items: list[tuple[Rule, str, str, str]], tlabel: str, who: str, facts: Facts, cites: Citations
) -> str:
    parts = []
    for rule, wanted, cite, mine in items:
        parts.append(f"{lexicon.honour_requirement_label(wanted)}{cites.mark(cite)}")
    mine = "、".join(dict.fromkeys(x[3] for x in items))
    if facts.contest_place is not None and any(x[3].startswith("国家级一类") for x in items):
        team = {1: "个人赛项", 2: "双人赛项", 3: "三人赛项"}.get(facts.contest_team or 0, "赛项人数未说明")
        mine += f"（第{facts.contest_place}名，{team}）"
    return f"{who}据荣誉申报{tlabel}的条款要求的是：" + "；".join(parts) + f"。您的“{mine}”不在其列。"


def _honour_path_sentence(rule: Rule, facts: Facts, region: str, cites: Citations) -> str:
    used = matched_honours(rule, facts)
    cite = dict(rule.honour_cites).get(used[0], rule.cite) if used else rule.cite
    resolved = _resolve_target(rule, facts)
    tgt = rule.target_text or target_label(rule, resolved) or ""
    if rule.target == "relative":
        tgt = f"{resolved}职称（{rule.target_text}）" if resolved else rule.target_text
    return (
        f"您的“{'、'.join(used)}”在{lexicon.region_label(region)}的绿色通道中对应的是：{rule.wording}{tgt}"
        f"{cites.mark(cite)}（{rule.name}）"
    )


def evaluate_targeted(
    book: RuleBook, region: str, direction: str, target: str, facts: Facts, as_of: date, cites: Citations
) -> tuple[str, dict[str, Any], str, list[str]]:
    """Decide one region/target. Returns (route, decision, answer markdown, trace)."""
    label = lexicon.region_label(region)
    tlabel = target_label(None, target)
    candidates = _targeted_candidates(book, region, direction, target, facts)
    refs = _referrals(book, region, direction, facts)
    results = [evaluate_rule(book, r, facts, as_of) for r in candidates]
    # The path for the person's own credential decides: a path from a lower credential (whose years
    # we cannot know) is dropped when a path from exactly the held credential exists.
    if any(r.credential_exact and _credential_met(r) and not r.rule.from_honours for r in results):
        results = [r for r in results if r.credential_exact or r.rule.from_honours]
    fired = [r for r in results if r.status is True]
    undecided = [r for r in results if r.status is None]
    trace = [r.rule.id for r in results]

    if not results:
        no_path = _no_path_rule(book, region, direction, target)
        if no_path:
            cites.ref(no_path.cite)
            answer = (
                f"**结论：不能。** {label}的文件没有{tlabel}的申报路径。{no_path.note or ''}{cites.mark(no_path.cite)}"
            )
            greens = honour_paths(book, region, direction, target, facts)
            if greens:
                answer += "\n\n" + "；".join(_honour_path_sentence(r, facts, region, cites) for r in greens) + "。"
            if refs:
                answer += "\n\n相关规定：\n" + _referral_notes(refs, cites)
            decision = _decision(None, False, direction, region, target, cites, [], None, [], as_of,
                                 {"rule_id": no_path.id, "rule_kind": "no_path", "no_path": True})
            decision["conditions"] = [{"text": no_path.name, "met": False, "citation": cites.ref(no_path.cite)}]
            return "rules", decision, answer, [no_path.id]
        return _generic_no_path(book, region, direction, target, facts, as_of, cites, refs)

    if fired:
        main = fired[0]
        eligible: bool | None = True
        missing: list[str] = []
        follow_up = None
    elif undecided:
        main = undecided[0]
        eligible = None
        missing, follow_up = _first_missing(undecided)
    else:
        # closest failing rule: one whose credential matched (years short), else the first base rule
        years_short = [r for r in results if r.years_only_fail]
        own = [r for r in results if _credential_met(r)]
        base_first = sorted(results, key=lambda r: (0 if r.rule.kind == "base" else 1))
        main = years_short[0] if years_short else (own[0] if own else base_first[0])
        eligible = False
        missing, follow_up = [], None

    parts: list[str] = []
    who = label
    if eligible is True:
        head = "可以申报。" if "认定" not in main.rule.wording and "晋升" not in main.rule.wording else "可以。"
        if main.rule.kind == "green_channel":
            parts.append(f"**结论：{head}** 您在{who}，符合绿色通道（{main.rule.name}），{_rule_sentence(main, cites)}。")
        else:
            parts.append(f"**结论：{head}** 您在{who}，{_rule_sentence(main, cites)}。")
        others = [r for r in fired[1:]]
        if others:
            parts.append("同时满足：" + "；".join(f"{r.rule.name}{cites.mark(r.rule.cite)}" for r in others) + "。")
        base_not = [r for r in results if r.status is not True and r.rule.kind == "base"]
        if main.rule.is_green and base_not:
            parts.append(
                "（按基本路径"
                + "、".join(f"“{r.rule.name}”" for r in base_not)
                + "尚不满足或无法判断，但绿色通道优先适用。）"
            )
    elif eligible is None:
        parts.append(f"**还需要一个信息才能判断。** {follow_up or ''}")
        parts.append(f"您在{who}，相关规定是：{_rule_sentence(main, cites)}。")
    other_green = honour_paths(book, region, direction, target, facts) if eligible is not True else []
    honour_note = ""
    if other_green:
        levels = [_resolve_target(r, facts) for r in other_green]
        lower = [lv for lv in levels if lv and _rank(lv) < _rank(target)]
        if lower and len(lower) == len(levels):
            tail = f"该荣誉在{who}只到{'、'.join(target_label(None, lv) for lv in dict.fromkeys(lower))}，达不到{tlabel}。"
        else:
            tail = f"文件没有规定据此申报{tlabel}（绿色通道只在其所列层级适用）。"
        honour_note = "；".join(_honour_path_sentence(r, facts, region, cites) for r in other_green) + "。" + tail
    if eligible is False:
        opens = _opens_text(main) if main.years_only_fail else ""
        reason = "；".join(("需" + c.text if c.text.startswith("已取得") else c.text)
                          for c in main.conds if c.deciding and c.met is False)
        if honour_note and not (facts.skill_level or facts.title_level):
            # an honour-only asker: what the honour opens comes first, then the base path it lacks
            parts.append(f"**结论：暂不能申报{tlabel}。** {honour_note}")
            parts.append(f"按基本路径：{main.rule.name}{cites.mark(main.rule.cite)}；不满足：{reason}。")
            honour_note = ""
        else:
            parts.append(f"**结论：暂不能申报。** 您在{who}，{main.rule.name}{cites.mark(main.rule.cite)}；不满足：{reason}。")
        if opens:
            parts.append(f"按您提供的信息，{opens}，届时可以申报。")
    if honour_note:
        parts.append(honour_note)
    required = required_honours(book, region, direction, target, facts) if eligible is not True else []
    if required:
        parts.append(_required_sentence(required, tlabel, who, facts, cites))
    if eligible is False:
        now = _open_now(book, region, direction, facts, as_of, target)
        if now:
            parts.append("**您现在可以：** " + "；".join(f"{_rule_sentence(r, cites)}（{r.rule.name}）" for r in now) + "。")
    parts.append("\n**条件核对**\n" + _conditions_md(main, cites, facts))
    note = _unquantified_note(main, cites)
    if note:
        parts.append(note)
    if main.rule.note and main.rule.kind != "no_path":
        parts.append(f"说明：{main.rule.note}")
    if refs and eligible is not True:
        parts.append("相关规定：\n" + _referral_notes(refs, cites))
    parts.append(_sources(results))
    extra = {}
    if main.opens_on:
        extra["opens_on"] = main.opens_on.isoformat()
    if main.honours_used:
        extra["honours_used"] = main.honours_used
    if other_green:
        extra["honour_paths"] = [
            {"honours": matched_honours(r, facts), "target": target_label(r, _resolve_target(r, facts)),
             "target_level": _resolve_target(r, facts), "rule_id": r.id}
            for r in other_green
        ]
    decision = _decision(main, eligible, direction, region, target, cites, missing, follow_up, fired, as_of, extra)
    if other_green and eligible is False:
        for r in other_green:
            used = matched_honours(r, facts)
            cite = dict(r.honour_cites).get(used[0], r.cite) if used else r.cite
            lvl = target_label(r, _resolve_target(r, facts)) or r.target_text
            decision["conditions"].append({
                "text": f"“{'、'.join(used)}”在{who}对应{lvl}（绿色通道），不是{tlabel}",
                "met": False, "citation": cites.ref(cite),
            })
    if required:
        decision["required_honours"] = [
            {"honour": lexicon.honour_requirement_label(w), "rule_id": r.id, "citation": cites.ref(c), "yours": mine}
            for r, w, c, mine in required
        ]
        if eligible is False:
            for r, w, c, mine in required:
                decision["conditions"].append({
                    "text": f"{tlabel}要求“{lexicon.honour_requirement_label(w)}”，您为“{mine}”",
                    "met": False, "citation": cites.ref(c),
                })
    route = "clarify" if eligible is None and follow_up else "rules"
    return route, decision, "\n\n".join(p for p in parts if p), trace


def _generic_no_path(
    book: RuleBook, region: str, direction: str, target: str, facts: Facts, as_of: date, cites: Citations,
    refs: list[Rule],
) -> tuple[str, dict[str, Any], str, list[str]]:
    """No rule in this region opens the target: list what the region's documents do provide."""
    label = lexicon.region_label(region)
    tlabel = target_label(None, target)
    available = [r for r in book.region_rules(region, direction) if r.kind in ("base", "exception")]
    if direction == SKILL_TO_SKILL:
        text = (
            f"**结论：本库文件未规定。** {label}的贯通文件只规定技能等级与职称之间的贯通，"
            f"没有从{_label(facts.skill_level) if facts.skill_level else '现有等级'}晋升{tlabel}的条件"
            "（技能等级晋级按国家职业技能标准和评价机构的规定执行，不在本库文件中）。"
        )
        if refs:
            text += "\n\n相关规定：\n" + _referral_notes(refs, cites)
        decision = _decision(None, None, direction, region, target, cites, [], None, [], as_of, {"no_path": True})
        return "rules", decision, text, []
    lines = [f"- {r.name}{cites.mark(r.cite)}" for r in available]
    text = f"**结论：不能。** {label}的文件没有通往{tlabel}的路径。该地区文件规定的路径有：\n" + "\n".join(lines)
    if refs:
        text += "\n\n相关规定：\n" + _referral_notes(refs, cites)
    decision = _decision(None, False, direction, region, target, cites, [], None, [], as_of, {"no_path": True})
    return "rules", decision, text, []


def _open_now(book: RuleBook, region: str, direction: str, facts: Facts, as_of: date, asked: str | None) -> list[RuleResult]:
    """Paths open to the person now (other than the one asked about), highest first: what a "no"
    can still offer."""
    results = [evaluate_rule(book, r, facts, as_of) for r in _open_candidates(book, region, direction, facts)]
    now = [r for r in results if r.status is True and r.target not in (None, asked, "any_skill", "next_skill")]
    return sorted(now, key=lambda r: _rank(r.target), reverse=True)[:2]


def evaluate_open(
    book: RuleBook, region: str, direction: str, facts: Facts, as_of: date, cites: Citations
) -> tuple[str, dict[str, Any], str, list[str]]:
    """No target named: what can the person apply for now, and when does the next level open."""
    label = lexicon.region_label(region)
    candidates = _open_candidates(book, region, direction, facts)
    results = [evaluate_rule(book, r, facts, as_of) for r in candidates]
    trace = [r.rule.id for r in results]
    refs = _referrals(book, region, direction, facts)
    now = [r for r in results if r.status is True and r.target not in (None,)]
    pending = [r for r in results if r.status is False and r.years_only_fail]
    undecided = [r for r in results if r.status is None]

    def rank_of(res: RuleResult) -> int:
        if res.target in (None, "any_skill"):
            return -1
        return _rank(res.target)

    if not results:
        lowest = [r for r in book.region_rules(region, direction) if r.kind == "base"]
        if not lowest:
            return _generic_no_path(book, region, direction, facts.target or "正高级", facts, as_of, cites, refs)
        first = lowest[0]
        held = facts.skill_level or facts.title_level
        text = (
            f"**结论：暂无可申报的路径。** 您在{label}"
            + (f"，目前为{_label(held)}" if held else "")
            + f"。该地区最低一级的路径是：{first.name}{cites.mark(first.cite)}。"
        )
        if refs:
            text += "\n\n相关规定：\n" + _referral_notes(refs, cites)
        res0 = evaluate_rule(book, first, facts, as_of)
        decision = _decision(res0, False, direction, region, None, cites, [], None, [], as_of,
                             {"rule_id": first.id, "lowest_path": target_label(first, first.target)})
        return "rules", decision, text, [first.id]

    if not now and undecided:
        main = undecided[0]
        missing, follow_up = _first_missing(undecided)
        text = (
            f"**还需要一个信息才能判断。** {follow_up or ''}\n\n您在{label}，相关规定是："
            + "；".join(_rule_sentence(r, cites) for r in undecided)
            + "。"
        )
        # no target was named: the decision names none until the person's facts pick one
        decision = _decision(main, None, direction, region, None, cites, missing, follow_up, [], as_of)
        return ("clarify" if follow_up else "rules"), decision, text, trace

    parts: list[str] = []
    if now:
        best = max(now, key=rank_of)
        main = best
        eligible: bool | None = True
        parts.append(f"**结论：您在{label}现在可以：**")
        for res in sorted(now, key=rank_of, reverse=True):
            green = "（绿色通道）" if res.rule.kind == "green_channel" else ""
            parts.append(f"- {_rule_sentence(res, cites)}{green}——{res.rule.name}")
    else:
        main = min(pending, key=lambda r: (r.opens_on or date.max, r.remaining or 0)) if pending else results[0]
        eligible = False
        parts.append(f"**结论：您在{label}目前还不能申报。**")
    later = [r for r in pending if not now or rank_of(r) > rank_of(main) or rank_of(r) == -1]
    if later:
        parts.append("**下一级何时开放：**")
        for res in sorted(later, key=lambda r: (r.opens_on or date.max, r.remaining or 99)):
            parts.append(f"- {res.rule.name}{cites.mark(res.rule.cite)}：{_opens_text(res) or '年限尚未满足'}")
    if undecided and now:
        parts.append("**还无法判断：** " + "；".join(f"{r.rule.name}（{r.follow_up or '信息不足'}）" for r in undecided))
    parts.append("\n**条件核对（" + main.rule.name + "）**\n" + _conditions_md(main, cites, facts))
    note = _unquantified_note(main, cites)
    if note:
        parts.append(note)
    if main.rule.note:
        parts.append(f"说明：{main.rule.note}")
    if refs:
        parts.append("相关规定：\n" + _referral_notes(refs, cites))
    parts.append(_sources(results))
    extra: dict[str, Any] = {"eligible_now": [target_label(r.rule, r.target) for r in sorted(now, key=rank_of, reverse=True)]}
    nxt = sorted(later, key=lambda r: (r.opens_on or date.max, r.remaining or 99))
    if nxt:
        extra["next"] = {
            "target": target_label(nxt[0].rule, nxt[0].target),
            "rule_id": nxt[0].rule.id,
            "opens_on": nxt[0].opens_on.isoformat() if nxt[0].opens_on else None,
            "remaining_years": nxt[0].remaining,
        }
    if main.opens_on:
        extra["opens_on"] = main.opens_on.isoformat()
    best_target = main.target if main.target not in ("any_skill", "next_skill") else None
    decision = _decision(main, eligible, direction, region, best_target, cites, [], None, now, as_of, extra)
    return "rules", decision, "\n\n".join(parts), trace


# ---------------------------------------------------------------------------------------------
# public entry point


def evaluate(facts: Facts, as_of: date | None = None, question: str = "") -> RuleOutcome:
    """Decide an eligibility (or fact-table) question from the facts, as of a date.

    route "clarify" when a deciding fact is missing (decision.follow_up asks for the first one),
    "out_of_scope" for a region the corpus does not cover, else "rules".
    """
    from .facts_tables import answer_fact_question, fact_topic  # local: avoids an import cycle

    as_of = as_of or date.today()
    facts = replace(facts)  # the caller's object is left untouched; the outcome carries the copy
    book = load()
    cites = Citations(book)
    warnings: list[str] = []

    from .extract import OTHER_HR_TOPIC, PERSON_CUES, extract_facts, normalise

    norm_q = normalise(question) if question else ""
    other = OTHER_HR_TOPIC.search(norm_q) if norm_q else None
    if other:
        answer = (
            f"这个问题的主题是“{other.group(0)}”，不属于本库贯通政策文件（高技能人才与专业技术人才职业发展贯通）"
            "规定的内容，本助手不作判断。请咨询当地人力资源社会保障、税务、医保或公积金等主管部门。"
        )
        return RuleOutcome("out_of_scope", answer, None, [], [], facts, trace=["out_of_scope:other_topic"])

    topic = fact_topic(norm_q) if norm_q else None
    # a fact-table question is answered from the table unless this question itself states a path
    # (a target or years); 待遇/比照 questions always are, even when they name a level
    stated = extract_facts(norm_q, None, as_of) if topic else None
    if topic and (topic == "treatment" or not (stated.target or stated.has_years)):
        answer = answer_fact_question(book, topic, norm_q, facts, cites)
        return RuleOutcome("rules", answer, None, cites.as_list(), cites.warnings(as_of), facts, trace=[f"facts:{topic}"])

    covered = [r for r in facts.regions if lexicon.is_covered(r)]
    if len(covered) >= 2:
        from .compare import compare_regions

        personal = not norm_q or bool(PERSON_CUES.search(norm_q)) or facts.has_years or bool(facts.honours)
        answer, comparison, trace = compare_regions(book, covered, facts, as_of, cites, personal=personal)
        return RuleOutcome("rules", answer, None, cites.as_list(), cites.warnings(as_of), facts,
                           comparison=comparison, trace=trace)

    direction = infer_direction(facts)
    region = facts.region
    if region is None:
        if facts.uncovered_region:
            where = facts.uncovered_region
            extra = "湖北省内本库只收录了黄石市（含大冶市、阳新县）的通知。" if where == "湖北" else ""
            answer = (
                f"本库只收录了{COVERED_TEXT}的贯通政策文件，没有{where}的文件，无法据此判断。{extra}"
                f"请以{where}当地人力资源社会保障部门的规定为准。"
            )
            decision = _decision(None, None, direction, where, facts.target, cites, [], None, [], as_of,
                                 {"covered": False})
            return RuleOutcome("out_of_scope", answer, decision, [], [], facts, trace=["uncovered_region"])
        facts.asked = "region"
        decision = _decision(None, None, direction, None, facts.target, cites, ["region"], REGION_QUESTION, [], as_of)
        answer = f"**还需要一个信息才能判断。** {REGION_QUESTION}本库收录了{COVERED_TEXT}的贯通政策。"
        return RuleOutcome("clarify", answer, decision, [], [], facts, trace=["missing:region"])

    if facts.region_from_province:
        warnings.append("您只说了“湖北”：本库湖北省只收录黄石市的通知（黄人社发〔2021〕12号），以下按黄石市规定回答。")

    if direction is None:
        facts.asked = "credential"
        q = credential_question(None)
        decision = _decision(None, None, None, region, facts.target, cites, ["credential"], q, [], as_of)
        answer = f"**还需要一个信息才能判断。** {q}"
        return RuleOutcome("clarify", answer, decision, [], warnings, facts, trace=["missing:credential"])

    if facts.target:
        route, decision, answer, trace = evaluate_targeted(book, region, direction, facts.target, facts, as_of, cites)
    else:
        if not (facts.skill_level or facts.title_level or facts.honours):
            facts.asked = "credential"
            q = credential_question(direction)
            decision = _decision(None, None, direction, region, None, cites, ["credential"], q, [], as_of)
            return RuleOutcome("clarify", f"**还需要一个信息才能判断。** {q}", decision, [], warnings, facts,
                               trace=["missing:credential"])
        route, decision, answer, trace = evaluate_open(book, region, direction, facts, as_of, cites)
    facts.asked = decision["missing"][0] if decision.get("missing") else None
    warnings = cites.warnings(as_of) + warnings
    return RuleOutcome(route, answer, decision, cites.as_list(), warnings, facts, trace=trace)
