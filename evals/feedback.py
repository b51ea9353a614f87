"""`python -m evals feedback export`: the 👎 answers from the chat as draft eval items.

Each draft follows the schema of evals/README.md with the gold left empty (`route`, `decision`,
`gold_docs`, `key_passage`, `key_facts`): a person reads what the assistant said (under `draft`)
and the user's comment, fills the gold, removes `draft`, and moves the item into a set.
Until then `load_set` refuses the file, so an unfilled draft can never be scored by accident.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from evals.dataset import DEFAULT_AS_OF

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "evals" / "drafts" / "feedback.jsonl"


def draft_item(row: dict) -> dict:
    """One feedback row → one draft eval item."""
    answer = row.get("answer") or {}
    context = [q for q in row.get("context") or [] if q]
    item: dict = {"id": f"fb-{row['id']:04d}"}
    if context:
        item["turns"] = [*context, row["question"]]
    else:
        item["question"] = row["question"]
    item.update({
        "as_of": row.get("as_of") or (answer.get("decision") or {}).get("as_of") or DEFAULT_AS_OF,
        "category": "",
        "route": None,
        "decision": None,
        "gold_docs": [],
        "key_passage": None,
        "key_facts": [],
        "notes": ("用户反馈：" + row["comment"]) if row.get("comment") else "用户点了 👎，未留说明",
        "draft": {
            "rating": row["rating"],
            "feedback_at": row["updated"],
            "assistant_route": answer.get("route"),
            "assistant_answer": answer.get("answer"),
            "assistant_decision": answer.get("decision"),
            "assistant_citations": [f"{c.get('doc')} {c.get('section')}" for c in answer.get("citations") or []],
            "facts_in": row.get("facts") or {},
        },
    })
    return item


def export(db: Path | str | None, out: Path | str | None, rating: str = "down") -> tuple[int, Path | None]:
    """Write the drafts (JSONL) to `out`, or stdout when out is "-"; returns (count, path)."""
    from web.feedback import FeedbackStore, default_path

    db_path = Path(db) if db else default_path()
    if not db_path.exists():
        raise FileNotFoundError(f"no feedback database at {db_path}")
    rows = FeedbackStore(db_path).rows(rating)
    lines = [json.dumps(draft_item(r), ensure_ascii=False) for r in rows]
    if str(out) == "-":
        sys.stdout.write("".join(line + "\n" for line in lines))
        return len(lines), None
    path = Path(out) if out else DEFAULT_OUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines), path


def add_parser(sub) -> None:
    p = sub.add_parser("feedback", help="turn 👎 answers from the chat into draft eval items")
    fsub = p.add_subparsers(dest="feedback_cmd", required=True)
    e = fsub.add_parser("export", help="write the 👎 answers as draft items (gold left empty)")
    e.add_argument("--db", help="feedback SQLite file (default: $GUANTONG_FEEDBACK_DB or next to the index)")
    e.add_argument("--out", help=f"output JSONL, '-' for stdout (default: {DEFAULT_OUT.relative_to(REPO)})")
    e.add_argument("--all", action="store_true", help="export 👍 answers too")
    e.set_defaults(func=cmd_export)


def cmd_export(args) -> int:
    try:
        count, path = export(args.db, args.out, rating=None if args.all else "down")
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if path is not None:
        print(f"{count} draft item(s) written to {path}; fill route/decision/gold_docs/key_passage/key_facts, "
              "remove `draft`, then add them to a set")
    return 0
