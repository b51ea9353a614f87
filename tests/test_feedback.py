"""Feedback: the SQLite store, the chat handler that writes it, and the export to draft eval items."""
from __future__ import annotations

import json

import pytest

from evals.__main__ import main as evals_main
from evals.dataset import SetError, load_set, validate_item
from evals.feedback import draft_item
from web import feedback
from web.feedback import FeedbackStore

ANSWER = {"route": "rules", "answer": "**结论：可以申报。**【1】", "decision": {"eligible": True, "as_of": "2026-11-21"},
          "citations": [{"doc": "沪人社专〔2021〕312号", "title": "t", "section": "二、（二）3", "quote": "q"}],
          "warnings": []}


def test_one_row_per_answer_updated_by_a_second_press_and_a_comment(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    first = store.record("turn-1", "up", "上海技师满4年能评中级吗", ANSWER, facts={"region": "上海"}, as_of="2026-11-21")
    again = store.record("turn-1", "down", "上海技师满4年能评中级吗", ANSWER)
    store.record("turn-1", "down", "上海技师满4年能评中级吗", ANSWER, comment="没说要考核")
    store.record("turn-1", "down", "上海技师满4年能评中级吗", ANSWER)  # no comment: keeps the one given
    assert first == again
    rows = store.rows()
    assert len(rows) == 1
    row = rows[0]
    assert row["rating"] == "down" and row["comment"] == "没说要考核"
    assert row["answer"] == ANSWER and row["facts"] == {"region": "上海"} and row["as_of"] == "2026-11-21"
    assert store.rows("up") == []
    with pytest.raises(ValueError):
        store.record("turn-2", "meh", "q", ANSWER)


def test_path_and_off_switch_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GUANTONG_FEEDBACK_DB", str(tmp_path / "x" / "fb.sqlite3"))
    monkeypatch.delenv("GUANTONG_FEEDBACK", raising=False)
    store = feedback.open_store()
    assert store is not None and store.path == tmp_path / "x" / "fb.sqlite3" and store.path.exists()
    monkeypatch.setenv("GUANTONG_FEEDBACK", "off")
    assert feedback.open_store() is None
    monkeypatch.delenv("GUANTONG_FEEDBACK_DB")
    monkeypatch.setenv("GUANTONG_DATA_DIR", str(tmp_path / "data" / "index"))
    assert feedback.default_path() == tmp_path / "data" / "feedback.sqlite3"


def test_draft_item_keeps_the_conversation_and_leaves_the_gold_empty(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.record("t9", "down", "5年", ANSWER, context=["我是技师，能评中级吗", "上海"], comment="年限不对",
                 as_of="2025-06-30")
    item = draft_item(store.rows("down")[0])
    assert item["turns"] == ["我是技师，能评中级吗", "上海", "5年"] and "question" not in item
    assert item["as_of"] == "2025-06-30" and item["notes"] == "用户反馈：年限不对"
    assert item["draft"]["assistant_route"] == "rules"
    assert item["draft"]["assistant_citations"] == ["沪人社专〔2021〕312号 二、（二）3"]
    # unfilled gold: the set loader refuses it until a person fills route (and the rest)
    assert any("route" in p for p in validate_item(item))
    item["route"] = "rules"
    assert validate_item(item) == []


def test_export_command_writes_only_the_thumbs_down(tmp_path, capsys):
    db = tmp_path / "fb.sqlite3"
    store = FeedbackStore(db)
    store.record("a", "up", "好问题", ANSWER)
    store.record("b", "down", "坏回答", ANSWER)
    out = tmp_path / "drafts.jsonl"
    assert evals_main(["feedback", "export", "--db", str(db), "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [i["question"] for i in lines] == ["坏回答"]
    assert "1 draft item(s) written" in capsys.readouterr().out
    with pytest.raises(SetError):
        load_set(out)
    assert evals_main(["feedback", "export", "--db", str(db), "--out", "-", "--all"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2
    assert evals_main(["feedback", "export", "--db", str(tmp_path / "missing.sqlite3")]) == 2
