"""Conversation state for the chat UI: facts carried across turns, a Chinese summary of them, and
quick-reply options for follow-up questions. Independent of Gradio (the app keeps `facts` in
its session state and rebuilds a `ChatSession` around the shared `Assistant` on each turn)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rules import lexicon, render

# Quick replies for "how many years": the thresholds the corpus uses are 1–6 years (满2年, 满3年, 满4年 …).
YEAR_CHOICES = (("不满1年", "不满1年"), ("1年", "满1年"), ("2年", "满2年"), ("3年", "满3年"), ("4年", "满4年"),
                ("5年", "满5年"), ("6年以上", "6年以上"))
# The levels people most often hold when they ask about 贯通 (both directions).
COMMON_SKILL_LEVELS = ("高级工", "技师", "高级技师")
COMMON_TITLE_LEVELS = ("助理级", "中级", "副高级")
NO_CREDENTIAL = "暂无"

_YES_NO_QUESTION = re.compile(r"是否已?(?P<verb>取得|具备|获得)(?P<what>[^？?，,。]+)")


@dataclass(frozen=True)
class QuickReply:
    """One clickable answer to a follow-up: `label` on the button, `text` sent as the user's turn."""

    label: str
    text: str


def _level_label(key: str | None) -> str | None:
    return render.level_label(key)


def summarize_facts(facts: dict[str, Any] | None) -> str:
    """The facts understood so far, in one Chinese line, held and wanted apart, the years next to
    the credential they were stated for: "地区：上海；现有：技师（二级）（满4年）；想申报：中级职称"."""
    return render.understood(facts)


def quick_replies(answer: dict[str, Any]) -> list[QuickReply]:
    """Answers to the follow-up of a `clarify` answer, derived from what the decision is missing
    (region → the covered regions; credential → levels; years → year counts). Empty otherwise."""
    if not answer or answer.get("route") != "clarify":
        return []
    decision = answer.get("decision") or {}
    missing = list(decision.get("missing") or [])
    follow_up = decision.get("follow_up") or ""
    if not missing:
        return []
    slot = missing[0]
    if slot == "region":
        return [QuickReply(key, key) for key in lexicon.regions()]
    if slot == "credential":
        m = _YES_NO_QUESTION.search(follow_up)
        if m:
            verb, what = m.group("verb"), m.group("what").strip()
            return [QuickReply(f"是，已{verb}", f"我已经{verb}{what}"), QuickReply("没有", f"我没有{what}")]
        direction = decision.get("direction")
        if direction == "title_to_skill":
            levels = COMMON_TITLE_LEVELS
            none_text = "我没有职称"
        elif direction in ("skill_to_title", "skill_to_skill"):
            levels = COMMON_SKILL_LEVELS
            none_text = "我没有职业技能等级"
        else:
            levels = COMMON_SKILL_LEVELS + COMMON_TITLE_LEVELS
            none_text = None
        replies = [QuickReply(_level_label(k) or k, _credential_text(k)) for k in levels]
        if none_text:
            replies.append(QuickReply(NO_CREDENTIAL, none_text))
        return replies
    if slot == "years":
        if "几月" in follow_up:
            return []  # the month of a year-only date: typed, not picked from a list
        return [QuickReply(label, text) for label, text in YEAR_CHOICES]
    return []


def _credential_text(key: str) -> str:
    level = lexicon.level(key)
    if level.kind == "title":
        return f"我有{key}职称"
    return f"我是{key}"


@dataclass
class ChatSession:
    """One user's conversation: the facts accumulated so far and the last answer.

    `assistant` is shared (loaded once); the session itself is small and JSON-friendly
    (`facts` is the answer's `facts` dict, which `rules.Facts.from_dict` reads back).
    """

    assistant: Any
    facts: dict[str, Any] = field(default_factory=dict)
    as_of: dt.date | str | None = None
    last: dict[str, Any] | None = None
    turns: int = 0

    def send(self, text: str, as_of: dt.date | str | None = None) -> dict[str, Any]:
        """Ask with the facts so far; keep the facts the answer carries forward."""
        answer = self.assistant.ask(text, as_of=as_of or self.as_of, facts=self.facts or None)
        if answer.get("route") != "error":
            self.facts = dict(answer.get("facts") or {})
            self.turns += 1
        self.last = answer
        return answer

    def send_stream(self, text: str, as_of: dt.date | str | None = None) -> Iterator[tuple[str, dict | None]]:
        """Like `send`, for a chat that shows the optional LLM rewrite as it arrives.

        Yields ("partial text", None) for every checked chunk, then ("", final answer). Without a
        writer configured it yields the final answer at once. A rewrite that fails its checks
        midway is replaced by the extractive answer in the final item (the UI swaps it in)."""
        from assistant import writer

        if not writer.enabled():
            yield "", self.send(text, as_of)
            return
        with writer.extractive_only():
            answer = self.send(text, as_of)
        if answer.get("route") in ("error", "out_of_scope"):
            yield "", answer
            return
        stream, shown = writer.stream_rewrite(text, answer), ""
        for chunk in stream:
            shown += chunk
            yield shown, None
        self.last = stream.final
        yield "", stream.final

    def reset(self) -> None:
        """Forget everything (the "重新开始" button)."""
        self.facts = {}
        self.last = None
        self.turns = 0

    def summary(self) -> str:
        """The understood facts in Chinese, or an empty string before anything is known."""
        return summarize_facts(self.facts)

    def quick_replies(self) -> list[QuickReply]:
        """Quick replies for the last answer's follow-up question."""
        return quick_replies(self.last or {})


__all__ = ["YEAR_CHOICES", "ChatSession", "QuickReply", "quick_replies", "summarize_facts"]
