"""👍/👎 on answers, kept in a local SQLite file so bad answers can become eval items.

A row holds only what the person typed and what the assistant answered: the question, the earlier
questions of the same conversation, the answer object, the facts it was asked with, the policy date
and the optional comment — no account, address or browser data. One row per answer: pressing the
other thumb or adding a comment updates it.

    GUANTONG_FEEDBACK=off        no buttons, nothing stored (deployments that must not keep questions)
    GUANTONG_FEEDBACK_DB=PATH    the SQLite file (default: feedback.sqlite3 next to the index folder)
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

RATINGS = ("up", "down")
MAX_COMMENT = 2000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  turn_id TEXT NOT NULL UNIQUE,
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
  comment TEXT NOT NULL DEFAULT '',
  question TEXT NOT NULL,
  context TEXT NOT NULL DEFAULT '[]',
  answer TEXT NOT NULL,
  facts TEXT NOT NULL DEFAULT '{}',
  as_of TEXT
)
"""
_JSON_FIELDS = ("context", "answer", "facts")


def enabled() -> bool:
    return os.environ.get("GUANTONG_FEEDBACK", "on").strip().lower() not in {"off", "0", "false", "no"}


def default_path() -> Path:
    explicit = os.environ.get("GUANTONG_FEEDBACK_DB")
    if explicit:
        return Path(explicit)
    from ingest import config

    return config.data_dir().parent / "feedback.sqlite3"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FeedbackStore:
    """The feedback table in one SQLite file (created on first use)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path or default_path())
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def record(self, turn_id: str, rating: str, question: str, answer: dict, *, comment: str = "",
               context: list[str] | None = None, facts: dict | None = None, as_of: str | None = None) -> int:
        """Insert or update the row of one answer; returns its id."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}")
        if not turn_id or not question:
            raise ValueError("turn_id and question are required")
        now = _now()
        row = (turn_id, now, now, rating, (comment or "")[:MAX_COMMENT], question,
               json.dumps(context or [], ensure_ascii=False), json.dumps(answer or {}, ensure_ascii=False),
               json.dumps(facts or {}, ensure_ascii=False), as_of or None)
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO feedback (turn_id, created, updated, rating, comment, question, context, answer, facts, as_of)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(turn_id) DO UPDATE SET updated = excluded.updated, rating = excluded.rating,"
                " comment = CASE WHEN excluded.comment != '' THEN excluded.comment ELSE feedback.comment END",
                row)
            return db.execute("SELECT id FROM feedback WHERE turn_id = ?", (turn_id,)).fetchone()[0]

    def rows(self, rating: str | None = None) -> list[dict[str, Any]]:
        """All rows (oldest first), JSON fields decoded; only one rating when given."""
        sql, args = "SELECT * FROM feedback", ()
        if rating:
            sql, args = sql + " WHERE rating = ?", (rating,)
        with self._connect() as db:
            out = [dict(r) for r in db.execute(sql + " ORDER BY id", args)]
        for r in out:
            for key in _JSON_FIELDS:
                r[key] = json.loads(r[key]) if r[key] else None
        return out


def open_store() -> FeedbackStore | None:
    """The configured store, or None when feedback is switched off."""
    return FeedbackStore() if enabled() else None
