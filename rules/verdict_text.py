"""Rendering a verdict as Markdown: the "**结论：…**" sentences, the condition checklist, honour-path
and required-honour sentences, when a level opens, what a "no" still offers and the no-path texts.
It reads the structured verdicts of `verdicts` and decides nothing; nothing in reasoning imports it."""

from __future__ import annotations

from . import lexicon
from .conditions import level_label, matched_honours, resolve_target, target_label
from .model import SKILL_TO_SKILL, Facts, Rule
from .results import Citations, Cond, RuleResult
from .verdicts import NoPath, Open, Targeted
from .years import format_years

COVERED_TEXT = "四川省、上海市、湖北省黄石市和江苏省"


# ---------------------------------------------------------------------------------------------
# pieces


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
                extra = f"（您现有：{'、'.join(level_label(x) for x in held)}）"
            elif facts.lacks:
                extra = "（您说没有）"
            else:
                mark, extra = "➖", "（您没有提到持有）"
        lines.append(f"- {mark} {c.text}{extra}{cites.mark(c.cite)}")
    if standard:
        marks = "".join(dict.fromkeys(cites.mark(c.cite) for c in standard))
        lines.append("- 另须（一般条件，请自行核对）：" + "；".join(c.text for c in standard) + marks)
    return "\n".join(lines)


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
    # a green channel that fired cites the honour's own item first, then the clause's lead-in
    own = dict(rule.honour_cites).get(res.honours_used[0]) if res.honours_used else None
    marks = (cites.mark(own) if own and own != rule.cite else "") + cites.mark(rule.cite)
    return f"{rule.wording}{tgt}{marks}"


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
    resolved = resolve_target(rule, facts)
    tgt = rule.target_text or target_label(rule, resolved) or ""
    if rule.target == "relative":
        tgt = f"{resolved}职称（{rule.target_text}）" if resolved else rule.target_text
    return (
        f"您的“{'、'.join(used)}”在{lexicon.region_label(region)}的绿色通道中对应的是：{rule.wording}{tgt}"
        f"{cites.mark(cite)}（{rule.name}）"
    )


# ---------------------------------------------------------------------------------------------
# whole answers


def no_path_text(v: NoPath, cites: Citations) -> str:
    """No rule in this region opens the target: list what the region's documents do provide."""
    label = lexicon.region_label(v.region)
    tlabel = target_label(None, v.target)
    if v.direction == SKILL_TO_SKILL:
        held = v.facts.skill_level
        text = (
            f"**结论：本库文件未规定。** {label}的贯通文件只规定技能等级与职称之间的贯通，"
            f"没有从{level_label(held) if held else '现有等级'}晋升{tlabel}的条件"
            "（技能等级晋级按国家职业技能标准和评价机构的规定执行，不在本库文件中）。"
        )
    else:
        lines = [f"- {r.name}{cites.mark(r.cite)}" for r in v.available]
        text = f"**结论：不能。** {label}的文件没有通往{tlabel}的路径。该地区文件规定的路径有：\n" + "\n".join(lines)
    if v.refs:
        text += "\n\n相关规定：\n" + _referral_notes(v.refs, cites)
    return text


def targeted_text(v: Targeted, cites: Citations) -> str:
    """The answer to one region/target question."""
    facts, region, target = v.facts, v.region, v.target
    who = lexicon.region_label(region)
    tlabel = target_label(None, target)
    if v.no_path is not None:
        no_path = v.no_path
        cites.ref(no_path.cite)
        answer = (f"**结论：不能。** 按您说的情况，{who}的文件里没有您可以申报{tlabel}的路径。"
                  f"{no_path.note or ''}{cites.mark(no_path.cite)}")
        if v.greens:
            answer += "\n\n" + "；".join(_honour_path_sentence(r, facts, region, cites) for r in v.greens) + "。"
        if v.refs:
            answer += "\n\n相关规定：\n" + _referral_notes(v.refs, cites)
        return answer

    main, eligible = v.main, v.eligible
    assert main is not None
    parts: list[str] = []
    if eligible is True:
        head = "可以申报。" if "认定" not in main.rule.wording and "晋升" not in main.rule.wording else "可以。"
        if main.rule.kind == "green_channel":
            parts.append(f"**结论：{head}** 您在{who}，符合绿色通道（{main.rule.name}），{_rule_sentence(main, cites)}。")
        else:
            parts.append(f"**结论：{head}** 您在{who}，{_rule_sentence(main, cites)}。")
        others = v.fired[1:]
        if others:
            parts.append("同时满足：" + "；".join(f"{r.rule.name}{cites.mark(r.rule.cite)}" for r in others) + "。")
        base_not = [r for r in v.results if r.status is not True and r.rule.kind == "base"]
        if main.rule.is_green and base_not:
            parts.append(
                "（按基本路径"
                + "、".join(f"“{r.rule.name}”" for r in base_not)
                + "尚不满足或无法判断，但绿色通道优先适用。）"
            )
    elif eligible is None:
        parts.append("**还需要一个信息才能判断。** " + (v.follow_up or "文件没有写明您这种情况可申报哪一级，请向当地评审受理部门确认。"))
        parts.append(f"您在{who}，相关规定是：{_rule_sentence(main, cites)}。")
    honour_only_no = eligible is False and bool(facts.honours) and not (facts.skill_level or facts.title_level)
    # an honour-only "no": the clause listing what opens the asked level is what decides: cite it first
    required_first = _required_sentence(v.required, tlabel, who, facts, cites) if honour_only_no and v.required else ""
    honour_note = ""
    if v.other_green:
        if v.honour_levels_lower:
            lower = "、".join(target_label(None, lv) for lv in dict.fromkeys(v.honour_levels_lower))
            tail = f"该荣誉在{who}只到{lower}，达不到{tlabel}。"
        else:
            tail = f"文件没有规定据此申报{tlabel}（绿色通道只在其所列层级适用）。"
        honour_note = "；".join(_honour_path_sentence(r, facts, region, cites) for r in v.other_green) + "。" + tail
    if eligible is False:
        opens = _opens_text(main) if main.years_only_fail else ""
        reason = "；".join(("需" + c.text if c.text.startswith("已取得") else c.text)
                          for c in main.conds if c.deciding and c.met is False)
        if honour_note and not (facts.skill_level or facts.title_level):
            # an honour-only asker: what the honour opens comes first, then the base path it lacks
            parts.append(f"**结论：暂不能申报{tlabel}。** {required_first}{honour_note}")
            required_first = "-"  # said
            parts.append(f"按基本路径：{main.rule.name}{cites.mark(main.rule.cite)}；不满足：{reason}。")
            honour_note = ""
        else:
            parts.append(f"**结论：暂不能申报。** 您在{who}，{main.rule.name}{cites.mark(main.rule.cite)}；不满足：{reason}。")
        if opens:
            parts.append(f"按您提供的信息，{opens}，届时可以申报。")
    if honour_note:
        parts.append(honour_note)
    if required_first and required_first != "-":
        parts.insert(0 if not parts else 1, required_first)
    elif v.required and not required_first:
        parts.append(_required_sentence(v.required, tlabel, who, facts, cites))
    if v.open_now:
        parts.append("**您现在可以：** " + "；".join(f"{_rule_sentence(r, cites)}（{r.rule.name}）" for r in v.open_now) + "。")
    elif getattr(v, "next_up", None):
        r = v.next_up[0]
        parts.append(f"**下一步：** {_rule_sentence(r, cites)}（{r.rule.name}），{_opens_text(r)}。")
    parts.append("\n**条件核对**\n" + _conditions_md(main, cites, facts))
    note = _unquantified_note(main, cites)
    if note:
        parts.append(note)
    if main.rule.note and main.rule.kind != "no_path":
        parts.append(f"说明：{main.rule.note}")
    if v.refs and eligible is not True:
        parts.append("相关规定：\n" + _referral_notes(v.refs, cites))
    parts.append(_sources(v.results))
    return "\n\n".join(p for p in parts if p)


def open_text(v: Open, cites: Citations) -> str:
    """The answer to "what can I apply for" in one region."""
    label = lexicon.region_label(v.region)
    if v.kind == "lowest":
        first = v.lowest
        assert first is not None
        held = v.facts.skill_level or v.facts.title_level
        text = (
            f"**结论：暂无可申报的路径。** 您在{label}"
            + (f"，目前为{level_label(held)}" if held else "")
            + f"。该地区最低一级的路径是：{first.name}{cites.mark(first.cite)}。"
        )
        if v.refs:
            text += "\n\n相关规定：\n" + _referral_notes(v.refs, cites)
        return text
    if v.kind == "ask":
        # no fact we could ask for ("高一级" with no title held): the document does not say; say so
        question = v.follow_up or "文件没有写明您这种情况可申报哪一级，请向当地职称（技能等级）评审受理部门确认。"
        return (
            f"**还需要一个信息才能判断。** {question}\n\n您在{label}，相关规定是："
            + "；".join(_rule_sentence(r, cites) for r in v.undecided)
            + "。"
        )
    main = v.main
    parts: list[str] = []
    if v.now:
        parts.append(f"**结论：您在{label}现在可以：**")
        for res in v.now_ranked:
            green = "（绿色通道）" if res.rule.kind == "green_channel" else ""
            parts.append(f"- {_rule_sentence(res, cites)}{green}——{res.rule.name}")
    else:
        parts.append(f"**结论：您在{label}目前还不能申报。**")
    if v.later:
        parts.append("**下一级何时开放：**")
        for res in v.later:
            parts.append(f"- {res.rule.name}{cites.mark(res.rule.cite)}：{_opens_text(res) or '年限尚未满足'}")
    if v.undecided and v.now:
        parts.append("**还无法判断：** " + "；".join(f"{r.rule.name}（{r.follow_up or '信息不足'}）" for r in v.undecided))
    parts.append("\n**条件核对（" + main.rule.name + "）**\n" + _conditions_md(main, cites, v.facts))
    note = _unquantified_note(main, cites)
    if note:
        parts.append(note)
    if main.rule.note:
        parts.append(f"说明：{main.rule.note}")
    if v.refs:
        parts.append("相关规定：\n" + _referral_notes(v.refs, cites))
    parts.append(_sources(v.results))
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# answers without a rule verdict


def other_topic_text(topic: str) -> str:
    return (
        f"这个问题的主题是“{topic}”，不属于本库贯通政策文件（高技能人才与专业技术人才职业发展贯通）"
        "规定的内容，本助手不作判断。请咨询当地人力资源社会保障、税务、医保或公积金等主管部门。"
    )


def uncovered_region_text(where: str) -> str:
    extra = "湖北省内本库只收录了黄石市（含大冶市、阳新县）的通知。" if where == "湖北" else ""
    return (
        f"本库只收录了{COVERED_TEXT}的贯通政策文件，没有{where}的文件，无法据此判断。{extra}"
        f"请以{where}当地人力资源社会保障部门的规定为准。"
    )


def region_question_text(question: str) -> str:
    return f"**还需要一个信息才能判断。** {question}本库收录了{COVERED_TEXT}的贯通政策。"


def ask_text(question: str) -> str:
    return f"**还需要一个信息才能判断。** {question}"


PROVINCE_ONLY_HUBEI = "您只说了“湖北”：本库湖北省只收录黄石市的通知（黄人社发〔2021〕12号），以下按黄石市规定回答。"
