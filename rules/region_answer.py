"""One region's answer: decide the verdict (reasoning), write it (rendering), then build the JSON
decision. The order matters: citation numbers follow first use, and the text cites first."""

from __future__ import annotations

from datetime import date
from typing import Any

from .model import Facts
from .results import Citations
from .rulebook import RuleBook
from .verdict_text import no_path_text, open_text, targeted_text
from .verdicts import NoPath, decide_open, decide_targeted, no_path_decision, open_decision, targeted_decision

Answer = tuple[str, dict[str, Any], str, list[str]]  # (route, decision, answer markdown, trace)


def _no_path(v: NoPath, cites: Citations) -> Answer:
    text = no_path_text(v, cites)
    return "rules", no_path_decision(v, cites), text, []


def evaluate_targeted(
    book: RuleBook, region: str, direction: str, target: str, facts: Facts, as_of: date, cites: Citations
) -> Answer:
    """Decide one region/target. Returns (route, decision, answer markdown, trace)."""
    v = decide_targeted(book, region, direction, target, facts, as_of)
    if isinstance(v, NoPath):
        return _no_path(v, cites)
    text = targeted_text(v, cites)
    return v.route, targeted_decision(v, cites), text, v.trace


def evaluate_open(book: RuleBook, region: str, direction: str, facts: Facts, as_of: date, cites: Citations) -> Answer:
    """No target named: what can the person apply for now, and when does the next level open."""
    v = decide_open(book, region, direction, facts, as_of)
    if isinstance(v, NoPath):
        return _no_path(v, cites)
    text = open_text(v, cites)
    return v.route, open_decision(v, cites), text, v.trace
