"""Compare mode: a question naming two or more regions ("四川和上海有什么不同") is answered
side by side, each region with its own decision (when the facts allow one) and citations."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from . import lexicon
from .model import SKILL_TO_TITLE, TITLE_TO_SKILL, Facts
from .region_answer import evaluate_open, evaluate_targeted
from .results import Citations
from .rulebook import RuleBook
from .selection import infer_direction

TITLE_TARGETS = ("助理级", "中级", "副高级", "正高级")
SKILL_TARGETS = ("高级工", "技师", "高级技师")


def _path_summary(book: RuleBook, region: str, direction: str, target: str, cites: Citations) -> str:
    rules = [
        r for r in book.region_rules(region, direction)
        if r.kind in ("base", "exception", "no_path") and r.target == target
    ]
    if not rules:
        return "—"
    return "；".join(f"{r.name}{cites.mark(r.cite)}" for r in rules)


def compare_regions(
    book: RuleBook, regions: list[str], facts: Facts, as_of: date, cites: Citations, personal: bool = True,
    with_green: bool = False,
) -> tuple[str, list[dict[str, Any]], list[str]]:
    """(markdown answer, per-region decisions, trace). `personal=False` (a rule lookup such as
    "技师评中级，四川和上海各要干满几年": no 我, no years) gives the side-by-side path table; the
    green channels are listed only when the question asks about them (`with_green`)."""
    direction = infer_direction(facts) or SKILL_TO_TITLE
    has_person = bool(facts.skill_level or facts.title_level or facts.honours) and personal
    comparison: list[dict[str, Any]] = []
    trace: list[str] = []
    if has_person:
        sections = []
        for region in regions:
            sub = replace(facts, region=region, regions=[region])
            if sub.target:
                route, decision, answer, tr = evaluate_targeted(book, region, direction, sub.target, sub, as_of, cites)
            else:
                route, decision, answer, tr = evaluate_open(book, region, direction, sub, as_of, cites)
            decision["route"] = route
            comparison.append(decision)
            trace.extend(tr)
            sections.append(f"### {lexicon.region_label(region)}\n\n{answer}")
        return "\n\n".join(sections), comparison, trace

    targets = TITLE_TARGETS if direction == SKILL_TO_TITLE else SKILL_TARGETS
    if facts.target:
        targets = (facts.target,)
    header = "| 目标 | " + " | ".join(lexicon.region_label(r) for r in regions) + " |"
    rows = [header, "|---" * (len(regions) + 1) + "|"]
    for target in targets:
        cells = [_path_summary(book, r, direction, target, cites) for r in regions]
        rows.append(f"| {target}{'职称' if direction == SKILL_TO_TITLE else ''} | " + " | ".join(cells) + " |")
    for region in regions:
        comparison.append({"region": region, "direction": direction, "eligible": None})
    what = "高技能人才申报职称" if direction == SKILL_TO_TITLE else "专业技术人才申报职业技能等级"
    greens = []
    if direction == SKILL_TO_TITLE and with_green:
        for region in regions:
            g = [r for r in book.region_rules(region, direction) if r.kind == "green_channel"
                 and (not facts.target or r.target in (facts.target, None))]
            greens.append(
                f"- **{lexicon.region_label(region)}** 绿色通道："
                + "；".join(f"{r.name}{cites.mark(r.cite)}" for r in g)
            )
    text = f"{'、'.join(lexicon.region_label(r) for r in regions)}{what}的基本路径对比：\n\n" + "\n".join(rows)
    if greens:
        text += "\n\n" + "\n".join(greens)
    if direction == TITLE_TO_SKILL:
        text += "\n\n注：黄石的“累计工作年限达到……申报条件”文件未量化具体年限。"
    return text, comparison, trace
