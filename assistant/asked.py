"""What a lookup question asks about, apart from what it says about the asker.

"本人高级工干了两年多，下个月报助理级，工作年限计到哪天为止？" states facts (高级工, 2年) and asks
one point (up to which day years count). Ranked by all its words, the clause that repeats the facts
(…高级工…满2年…助理级职称) wins; the clause that answers (…均以受理材料截止时间为准) shares none
of them. `read_asked` finds the asked points (assistant/data/asked_points.yaml) and the tokens of the
stated facts; `query_weights` then adds the point's document words and gives the facts a small
weight, for BM25 (assistant.retrieve) and for the sentence scoring (assistant.sentences).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.normalize import expand
from ingest.tokenize import tokenize

_POINTS = Path(__file__).with_name("data") / "asked_points.yaml"
# Weight of a token that only restates the asker's facts when a procedural point is asked:
# kept above zero so that, among clauses that answer the point, the one for the person's level
# still comes first.
FACT_WEIGHT = 0.25
# A duration the person states: '满3年', '快满3年了', '5年多', '两年半' (numerals are digits by now).
# Facts are discounted only in a question about the asker's own case.
_FIRST_PERSON = re.compile(r"我|本人|自己|俺|咱")
# Weight of the asked point's document words, as a share of their IDF: enough to bring up the
# clause that answers a point the question names in other words, not so much that they outweigh
# the question's own topic words (副高 vs 中级, 特级技师 vs 首席技师).
ANSWER_WEIGHT = 0.5
_BESIDES = re.compile(r"除了?([^，,。？?还]{1,12}?)(?:以外|之外|外)?(?:[，,][^，,。？?还]{0,6})?(?:还|另外|其他)")
_DURATION = re.compile(r"(?:快|已经?|刚)?满?\d+(?:\.\d+)?\s*(?:年|个月)(?:多|半)?")


@dataclass(frozen=True)
class AskedPoint:
    name: str
    asks: re.Pattern
    answers: tuple[str, ...]
    discount_facts: bool = True
    weight: float = ANSWER_WEIGHT   # of the IDF of the point's words


@dataclass(frozen=True)
class Asked:
    points: tuple[AskedPoint, ...] = ()
    fact_tokens: frozenset[str] = field(default_factory=frozenset)
    aside: bool = False      # the question sets something aside ("除了实操考核还有什么环节")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.points)

    @property
    def answer_words(self) -> str:
        return " ".join(w for p in self.points for w in p.answers)

    def token_weight(self, token: str) -> float:
        """1 for a word of the question proper, FACT_WEIGHT for one that only restates the facts."""
        return FACT_WEIGHT if token in self.fact_tokens else 1.0

    def query_weights(self, question_tokens: list[str]) -> dict[str, float]:
        """Weights of the question's tokens and of the asked point's words (those not in the question)."""
        weights = {t: self.token_weight(t) for t in question_tokens}
        for p in self.points:
            for t in tokenize(" ".join(p.answers)):
                if t not in question_tokens:
                    weights[t] = max(weights.get(t, 0.0), p.weight)
        return weights


@lru_cache(maxsize=1)
def asked_points() -> tuple[AskedPoint, ...]:
    data = yaml.safe_load(_POINTS.read_text(encoding="utf-8")) or {}
    return tuple(
        AskedPoint(name, re.compile(spec["asks"]), tuple(spec["answers"]),
                   discount_facts=spec.get("facts", "discount") == "discount",
                   weight=float(spec.get("weight", ANSWER_WEIGHT)))
        for name, spec in (data.get("points") or {}).items())


@lru_cache(maxsize=1024)
def read_asked(question: str) -> Asked:
    """The points a (normalised) question asks, and the tokens to discount: what the question sets
    aside ("除了…还"), and the facts the asker states about themself (credentials held,
    durations) when a point that discounts them is asked. The level
    wanted keeps its weight: which office takes a 副高 application differs from the one for 中级."""
    points = tuple(p for p in asked_points() if p.asks.search(question))
    # what the asker already knows ("除了实操考核还有什么环节") names what is not asked
    facts = [m.group(1) for m in _BESIDES.finditer(question)]
    aside = bool(facts)
    if any(p.discount_facts for p in points) and _FIRST_PERSON.search(question):
        facts += [m.words for m in _reading(question).mentions
                  if (m.kind == "credential" and m.role == "held") or m.kind == "years"]
        facts += [m.group(0) for m in _DURATION.finditer(question)]
    if not facts:
        return Asked(points)
    rest = question
    for words in facts:
        rest = rest.replace(words, " ")
    # a word the question also uses outside the facts ('申报' in '…怎么申报') keeps its weight
    own = set(tokenize(rest)) | set(tokenize(" ".join(w for p in points for w in p.answers)))
    fact_words = " ".join(facts + expand(" ".join(facts)))
    return Asked(points, frozenset(t for t in tokenize(fact_words) if t not in own), aside)


def _reading(question: str):
    """The rule module's reading of the question: which credential words are held, which wanted."""
    import rules

    return rules.read(question, prior=None, as_of=dt.date.today())
