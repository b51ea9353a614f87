"""Loading and validating a question set (the schema in evals/README.md)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from evals.metrics import ROUTES

DEFAULT_SET = Path(__file__).resolve().parent / "questions.jsonl"
DEFAULT_AS_OF = "2026-11-21"


class SetError(ValueError):
    """A question set that does not follow the schema (message names the line)."""


def load_set(path: Path | str | None = None) -> list[dict]:
    path = Path(path or DEFAULT_SET)
    items: list[dict] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SetError(f"{path.name}:{n}: not JSON ({exc})") from exc
        problems = validate_item(item)
        if problems:
            raise SetError(f"{path.name}:{n} ({item.get('id')}): " + "; ".join(problems))
        items.append(item)
    ids = [i["id"] for i in items]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SetError(f"{path.name}: duplicate ids {dupes}")
    return items


def turns_of(item: dict) -> list[str]:
    return list(item["turns"]) if "turns" in item else [item["question"]]


def validate_item(item) -> list[str]:
    """Schema problems of one item (empty list when it is valid)."""
    if not isinstance(item, dict):
        return ["item is not an object"]
    p: list[str] = []
    if not isinstance(item.get("id"), str) or not item["id"]:
        p.append("id must be a non-empty string")
    has_q, has_t = "question" in item, "turns" in item
    if has_q == has_t:
        p.append("exactly one of question / turns")
    elif has_q and not isinstance(item["question"], str):
        p.append("question must be a string")
    elif has_t and (not isinstance(item["turns"], list) or not item["turns"]
                    or not all(isinstance(t, str) for t in item["turns"])):
        p.append("turns must be a non-empty list of strings")
    if item.get("route") not in ROUTES:
        p.append(f"route must be one of {ROUTES}")
    for r in item.get("also_accept_routes") or []:
        if r not in ROUTES:
            p.append(f"also_accept_routes: unknown route {r}")
    if "as_of" in item:
        try:
            dt.date.fromisoformat(item["as_of"])
        except (TypeError, ValueError):
            p.append("as_of must be YYYY-MM-DD")
    dec = item.get("decision")
    if dec is not None and (not isinstance(dec, dict) or "eligible" not in dec
                            or dec["eligible"] not in (True, False, None)):
        p.append("decision must be null or {eligible: true|false|null, target, region}")
    if not isinstance(item.get("gold_docs", []), list):
        p.append("gold_docs must be a list")
    kp = item.get("key_passage")
    if kp is not None and not (isinstance(kp, str) or (isinstance(kp, list) and all(isinstance(k, str) for k in kp))):
        p.append("key_passage must be null, a string or a list of strings")
    if kp and not item.get("gold_docs"):
        p.append("key_passage needs gold_docs")
    facts = item.get("key_facts", [])
    if not isinstance(facts, list) or not all(isinstance(f, str) and f for f in facts):
        p.append("key_facts must be a list of non-empty strings")
    if "expect_warning" in item and not isinstance(item["expect_warning"], bool):
        p.append("expect_warning must be true/false")
    return p
