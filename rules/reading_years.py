"""Reading, years: each date or duration bound to the credential it is said of; work years apart."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from . import lexicon
from .extract import CUMULATIVE_CUES, _exclusion_spans, _scan, _years
from .model import SKILL_TO_SKILL, SKILL_TO_TITLE, Facts
from .reading_cues import CLAUSE, RULE_TALK, SINCE_WORDS, WORK_WORDS
from .reading_model import Doubt, Mention
from .text import temporal_spans


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    starts = [m.end() for m in CLAUSE.finditer(text, 0, pos)]
    end = CLAUSE.search(text, pos)
    return (starts[-1] if starts else 0), (end.start() if end else len(text))


# a number said again to correct the earlier one ("记错了，是9年"), not a later day ("再过两年")
RESTATED = re.compile(r"错|不对|不是|应该是|其实是|准确(说|地说)|实际(上)?是")


def _level_mentions(text: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.key) for m in _scan(text, dict(lexicon.level_aliases()), _exclusion_spans(text))]


def _relevant_kind(facts: Facts) -> str | None:
    """Which credential's years a path is counted from: the skill level for skill→title and the
    skill ladder, the title for title→skill; None when the question leaves it open."""
    if facts.target:
        if lexicon.level(facts.target).kind == "title":
            return "skill"
        return "title" if facts.title_level else "skill"
    if facts.direction in (SKILL_TO_TITLE, SKILL_TO_SKILL):
        return "skill"
    if facts.direction:
        return "title"
    if facts.skill_level and not facts.title_level:
        return "skill"
    if facts.title_level and not facts.skill_level:
        return "title"
    return None


def _clear_years(facts: Facts) -> Facts:
    return replace(facts, years_min=None, years_max=None, obtained=None, years_basis=None, years_of=None)


def _years_record(y) -> dict:
    return {"years_min": y.years_min, "years_max": y.years_max, "obtained": y.obtained, "years_basis": y.basis}


def _bind_years(norm: str, facts: Facts, prior: Facts | None, stated: Facts, as_of: date | None,
                mentions: list[Mention]) -> tuple[Facts, Doubt | None]:
    """Each date or duration belongs to the credential it is said of ("高级工是2019年拿的，技师是
    2024年10月才拿到的"); work years ("本专业干了12年", "2018年开始干的") are kept apart. The single
    years slot then holds the years of the credential the path counts from, and `years_by_level`
    keeps every credential's own, so no rule counts one credential's years for another."""
    spans = temporal_spans(norm)
    negated = set(stated.lacks)
    held = [(s, e, k) for s, e, k in _level_mentions(norm) if k not in negated and k != stated.target]
    by_level = dict(facts.years_by_level) if prior is not None else {}
    work = facts.work_years if prior is not None else None
    owners: list[tuple[tuple[int, int, str], str | None]] = []
    fresh: dict[str, dict] = {}
    first_clause: dict[str, int] = {}
    conflict: str | None = None
    unowned: dict | None = None  # years said with no level and no work words ("记错了，是9年")
    for span in spans:
        c0, c1 = _clause_bounds(norm, span[0])
        clause = norm[c0:c1]
        same = [h for h in held if c0 <= h[0] < c1]
        before = [h for h in held if h[1] <= span[0]]
        pick = min(same, key=lambda h: abs(h[0] - span[0])) if same else (before[-1] if before else None)
        # "于2025年12月15日取得助理工程师": the level obtained right after the date is the one it dates
        got = next((h for h in same if h[0] >= span[1] and re.fullmatch(
            r"(的时候|时)?(通过\S{0,4}?)?(取得|拿到|拿的|评上|评的|考取|考的|获得|通过|晋升|评下)(了|的)?", norm[span[1]:h[0]])), None)
        pick = got or pick
        owner = pick[2] if pick else None
        cumulative = bool(CUMULATIVE_CUES.search(clause) or re.search(r"开始(干|做|从事|工作)", clause))
        # "高级工干了五年": years as that credential; "这一行一共干了12年": work years only
        is_work = cumulative or (WORK_WORDS.search(clause) and not SINCE_WORDS.search(clause) and not same)
        y = _years(clause, as_of)
        if not cumulative and WORK_WORDS.search(clause) and same and y.found:
            work = work or (_years_record(y) | {"years_basis": "work"})
        if RULE_TALK.search(clause) or "考核" in clause:
            # "听说高级技师干满十年就能评正高": the rule's number, not the person's years
            mentions.append(Mention("years", span[2], "rule", None))
            owners.append((span, None))
            continue
        if is_work:
            if y.found:
                work = _years_record(y) | {"years_basis": "cumulative"}
            mentions.append(Mention("years", span[2], "work", None))
            owner = None
        elif owner and y.found:
            record = _years_record(y)
            if owner in fresh:
                first = fresh[owner]
                if first["obtained"] and record["obtained"] and first["obtained"] != record["obtained"]:
                    conflict = span[2]  # two different dates for one certificate: ask
                elif not first["obtained"] and not record["obtained"]:
                    # "还没满四年，差两个月": the later clause qualifies the earlier; read them together
                    together = _years(norm[first_clause[owner]:c1], as_of)
                    if together.found:
                        fresh[owner] = _years_record(together)
                elif record["obtained"]:
                    fresh[owner] = record  # a date beats a rounded duration
            else:
                fresh[owner] = record
                first_clause[owner] = c0
            by_level[owner] = fresh[owner]
            mentions.append(Mention("years", span[2], "bound", owner))
        elif y.found:
            unowned = _years_record(y)
        owners.append((span, owner))
    if unowned and prior is not None and not fresh and RESTATED.search(norm):
        # a bare number said again to correct the earlier one ("记错了，是9年") replaces the years the
        # earlier turn gave: the work years, or the one credential's years
        if work is not None and work == facts.work_years and not any(by_level.values()):
            work = unowned | {"years_basis": work.get("years_basis") or "cumulative"}
        elif len(by_level) == 1:
            key = next(iter(by_level))
            by_level[key] = unowned | {"years_basis": by_level[key].get("years_basis") or unowned.get("years_basis")}
    facts = replace(facts, years_by_level=by_level, work_years=work)
    if conflict:
        return replace(_clear_years(facts), years_by_level={k: v for k, v in by_level.items() if k not in fresh}), Doubt(
            conflict, f"您说了两个不同的年限（其中有“{conflict}”），请确认取得现有证书的年月或已满几年。", about="years")
    relevant = _relevant_kind(facts)
    current = {"skill": facts.skill_level, "title": facts.title_level}.get(relevant or "", None)
    owned_keys = {o for _, o in owners if o}
    if owned_keys and len({lexicon.level(k).kind for k in owned_keys}) >= 2 and relevant is None:
        return replace(_clear_years(facts), years_by_level=by_level, work_years=work), Doubt(
            "、".join(s[2] for s, _ in owners),
            "您想申报的是职称还是技能等级？请说一下目标，我按对应证书的取得时间来算。")
    if owned_keys and current:
        record = by_level.get(current)
        if record is None:
            # the path's credential has no date of its own: ask for it rather than borrow another's
            return replace(_clear_years(facts), years_by_level=by_level, work_years=work), None
        return replace(facts, **record, years_of=current), None
    if owned_keys and not current and len(owned_keys) == 1:
        key = next(iter(owned_keys))
        return replace(facts, years_of=key), None
    if stated.has_years and not owned_keys and not any(m.role == "work" for m in mentions if m.kind == "years"):
        if not held and prior is not None:
            # a bare duration answering our question counts for the credential the path starts from
            facts = replace(facts, years_of=current or prior.years_of)
        elif len({k for _, _, k in held}) == 1:
            facts = replace(facts, years_of=held[0][2])
    # years said of one credential are not another's: a correction or a newly named credential
    if (facts.has_years and facts.years_of and facts.years_basis != "cumulative" and current
            and facts.years_of != current and lexicon.level(facts.years_of).kind == relevant):
        mentions.append(Mention("years", facts.years_of, "not_carried", current))
        return replace(_clear_years(facts), years_by_level=by_level, work_years=work), None
    if facts.has_years and facts.years_of:
        by_level[facts.years_of] = {k: getattr(facts, k) for k in ("years_min", "years_max", "obtained", "years_basis")}
    return facts, None
