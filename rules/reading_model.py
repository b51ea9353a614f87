"""The reading step's data types: a mention (words → role), a doubt (what could not be settled,
with its one confirming question), and the reading of one turn."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import Facts


@dataclass
class Mention:
    """Words of the question that carry a fact, and what reading made of them."""

    kind: str  # credential | years | honour | rank | region
    words: str
    role: str  # held | wanted | negated | set_aside | other_region | work | previous | bound | unbound …
    value: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "words": self.words, "role": self.role, "value": self.value}


@dataclass
class Doubt:
    """Something the reading could not settle; `question` is the one confirming question.
    `blocks` is "any" (no verdict may rest on this reading) or "negative" (only a "no" may not:
    an unread honour cannot make a yes wrong, but it may be the missing green channel)."""

    words: str
    question: str
    blocks: str = "any"
    about: str = "fact"  # years | level | honour | region | person | fact
    alternative: Facts | None = None  # the other reading: when it gives the same verdict, no need to ask


@dataclass
class Reading:
    facts: Facts  # what to decide on this turn
    carry: Facts  # what the next turn starts from (a hypothetical is not carried)
    mentions: list[Mention] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    hypothetical: bool = False
    subject: str = "self"  # self | other
    intent: str = "eligibility"
    continues: bool = False  # a turn of an eligibility conversation ("那我现在能报吗", "去年年底拿的证")
    asks_eligibility: bool = False  # the turn asks whether/when (能…吗, 够没, 几年)
    question: str = ""  # the turn's text as the rules should see it (household background masked)
    topic_question: str = ""  # a follow-up asking a fact table again ("那首席技师呢"), as the rules should read it
    deadline: date | None = None  # a stated filing deadline ("受理材料截止时间是…"): years may be counted to it
    people: list[Reading] = field(default_factory=list)  # one reading per listed person ("分别为A、B、C")
    people_words: list[str] = field(default_factory=list)  # the words that tell them apart (their dates)
