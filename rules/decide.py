"""Reasoning over a reading: decide only on what was read with confidence.

`decide(reading, as_of, question)` runs the rule engine on the reading's facts, then applies the
two checks the engine alone cannot: a reading with doubts never yields a verdict (one confirming
question instead), and a path whose document is not in force on `as_of` never yields
`eligible: true`. The facts handed back are the reading's `carry` (a hypothetical is not carried).
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from . import deciding, render
from .conditions import target_label
from .engine import evaluate
from .model import RuleOutcome
from .reading import Reading
from .rulebook import RuleBook, load

VERDICT = re.compile(r"\*\*结论：[^*]*\*\*")


def document_state(book: RuleBook, doc: str, as_of: date) -> tuple[str, date | None]:
    """("in_force" | "expired" | "not_yet", the date that decides it)."""
    meta = book.documents.get(doc)
    if meta is None:
        return "in_force", None
    if meta.effective and as_of < meta.effective:
        return "not_yet", meta.effective
    if meta.valid_until and as_of > meta.valid_until:
        return "expired", meta.valid_until
    return "in_force", None


def rule_document(book: RuleBook, rule_id: str) -> str | None:
    try:
        rule = book.rule(rule_id)
    except KeyError:
        return None
    clause = book.clauses.get(rule.cite)
    return clause.doc if clause else None


def decide(reading: Reading, as_of: date | None = None, question: str = "") -> RuleOutcome:
    as_of = as_of or date.today()
    if reading.people:
        return _group(reading, as_of, question)
    counted_to = _deadline(reading)
    outcome = evaluate(reading.facts, counted_to or as_of, reading.question or question)
    decision = outcome.decision
    carry = replace(reading.carry, asked=outcome.facts.asked)
    if counted_to and decision is not None:
        outcome = replace(outcome, answer=render.deadline_note(counted_to) + "\n\n" + outcome.answer)
    region_doubt = next((d for d in reading.doubts if d.about == "region"), None)
    if region_doubt and outcome.route in ("rules", "out_of_scope") and (decision is not None or outcome.comparison):
        # which region's rules apply is itself unsure: a verdict (or a two-region table) would guess
        answer = render.confirm_answer(reading.facts.to_dict(), region_doubt.question)
        target = (decision or {}).get("target") or (target_label(None, reading.facts.target) if reading.facts.target else None)
        decision = dict(decision or {}, eligible=None, target=target, conditions=[], missing=["region"], follow_up=region_doubt.question,
                        unsure_about=region_doubt.words)
        return RuleOutcome("clarify", answer, decision, [], outcome.warnings, replace(carry, asked="region"),
                           trace=[*outcome.trace, f"doubt:{region_doubt.words}"])
    if decision is None or outcome.route not in ("rules", "clarify"):
        return replace(outcome, facts=carry)

    series = _unlisted_series(reading, decision)
    if series is not None:
        return replace(series, facts=carry)
    no_basis = deciding.no_skill_basis(reading, decision)
    if no_basis is not None:
        return replace(no_basis, facts=carry, warnings=outcome.warnings)

    eligible = decision.get("eligible")
    failed_on_credential = any(c.get("met") is False and c.get("kind") in ("credential", "requires", "honour")
                               for c in decision.get("conditions") or [])
    blocking = [d for d in reading.doubts
                if (d.blocks == "any" or eligible is not True) and not (d.about == "years" and failed_on_credential)
                and not _same_either_way(d, eligible, as_of, question)]
    if blocking and outcome.route == "rules":
        doubt = blocking[0]
        facts_dict = reading.facts.to_dict()
        answer = render.confirm_answer(facts_dict, doubt.question)
        decision = dict(decision, eligible=None, conditions=[], missing=["confirm"], follow_up=doubt.question,
                        unsure_about=doubt.words)
        return RuleOutcome("clarify", answer, decision, [], outcome.warnings, replace(carry, asked="confirm"),
                           trace=[*outcome.trace, f"doubt:{doubt.words}"])

    outcome, decision = deciding.order(reading, outcome, decision)
    answer = outcome.answer
    if eligible is True:
        book = load()
        fired = [decision.get("rule_id"), *(decision.get("fired_rules") or [])]
        docs = [d for d in (rule_document(book, r) for r in fired if r) if d]
        states = [(d, *document_state(book, d, as_of)) for d in dict.fromkeys(docs)]
        if states and all(state != "in_force" for _, state, _ in states):
            doc, state, day = states[0]
            note = render.validity_note(doc, book.documents[doc].title, state, day, as_of)
            decision = dict(decision, eligible=None, not_in_force={"doc": doc, "state": state,
                                                                  "date": day.isoformat() if day else None})
            answer = note + "\n\n以下是该文件的相关规定，仅供参考：\n\n" + VERDICT.sub(
                "**该文件的规定：**", answer, count=1)
    if reading.hypothetical:
        answer = render.hypothetical_note(reading.facts.to_dict()) + "\n\n" + answer
    elif reading.subject == "other":
        answer = render.other_person_note() + "\n\n" + answer
    return replace(outcome, answer=answer, decision=decision, facts=carry)


def _deadline(reading: Reading) -> date | None:
    """The stated filing deadline, where the region's document counts years to it (黄石)."""
    if reading.deadline is None or not reading.facts.region:
        return None
    return reading.deadline if reading.facts.region in (load().facts.get("years_to_deadline") or {}) else None


def _group(reading: Reading, as_of: date, question: str) -> RuleOutcome:
    """Several people, one date each: decide each; one verdict for all when they agree, else each apart."""
    outcomes = [decide(p, as_of, p.question or question) for p in reading.people]
    verdicts = [(o.decision or {}).get("eligible") if o.route == "rules" else None for o in outcomes]
    first = outcomes[0]
    lines = [f"- {w}：{render.short_verdict(v)}" for w, v in zip(reading.people_words, verdicts)]
    agree = len(set(verdicts)) == 1 and verdicts[0] is not None
    head = (f"按您列出的{len(outcomes)}位分别计算，结论一致：\n" if agree
            else f"按您列出的{len(outcomes)}位分别计算，结论不同，请按每个人的情况分别办理：\n") + "\n".join(lines)
    decision = dict(first.decision or {}, per_person=[{"words": w, "eligible": v} for w, v in zip(reading.people_words, verdicts)])
    if not agree:
        decision.update(eligible=None)
    route = first.route if agree else ("rules" if any(v is not None for v in verdicts) else first.route)
    example = first.answer.replace("**结论：", f"**第一位（{reading.people_words[0]}）：", 1)
    return replace(first, route=route, answer=head + "\n\n以下以第一位为例：\n\n" + example, decision=decision,
                   facts=reading.carry)


def _listed(entry: str) -> str:
    return re.sub(r"（[^）]*）|\(.*?\)", "", entry)


def _unlisted_series(reading: Reading, decision: dict) -> RuleOutcome | None:
    """A 职称系列 the person names that the region's document does not list: no 贯通 path."""
    facts = reading.facts
    region = facts.region
    if not facts.series or not region or decision.get("region") != region:
        return None
    book = load()
    table = (book.facts.get("series") or {}).get(region)
    if not table:
        return None
    from . import lexicon as _lexicon

    listed = [_listed(e) for e in table["list"]]
    names = _lexicon.series_list_names(facts.series)
    if any(n in e or e in n for e in listed for n in names):
        return None
    cite = table.get("t2s_cite") if decision.get("direction") == "title_to_skill" and table.get("t2s_cite") else table["cite"]
    clause = book.clauses[cite]
    citation = {"doc": clause.doc, "title": book.documents[clause.doc].title, "section": clause.section, "quote": clause.quote}
    from . import lexicon

    answer = render.series_answer(lexicon.region_label(region), facts.series, table["list"], "【1】")
    new = dict(decision, eligible=False, conditions=[{"text": f"所评/所持职称属于文件列出的贯通系列（{facts.series}系列不在其中）",
                                                      "met": False, "citation": 0, "kind": "requires"}],
               missing=[], follow_up=None, rule_id=f"series:{region}", rule_kind="scope")
    return RuleOutcome("rules", answer, new, [citation], [], facts, trace=[f"series_not_listed:{facts.series}"])


def _same_either_way(doubt, eligible, as_of: date, question: str) -> bool:
    """A doubt with an alternative reading need not be asked when both readings give the same verdict."""
    if doubt.alternative is None or eligible is None:
        return False
    other = evaluate(doubt.alternative, as_of, question).decision or {}
    return other.get("eligible") is eligible
