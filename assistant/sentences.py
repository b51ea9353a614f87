"""Sentences inside a clause, and how well one answers a question: the unit a direct answer quotes.

A clause is often several sentences (a lead-in, a rule, an exception); the sentence that answers
is found by the question's words it holds (weighted by the corpus IDF, so 高技能人才 counts for
little and 公示 for much) plus cues of what the question asks for: a number of years or days, a
date, a telephone number, who handles something, an order of steps.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.asked import Asked
from ingest.tokenize import tokenize

# Sentence ends inside a clause; a line break also ends one (headings and table cells).
_END = re.compile(r"[。；;！？!?]|\n")
# A leading list marker of a sentence: '(4) ', '2.', '（二）', '一、', '——'.
_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.．、](?!\d)|[一二三四五六七八九十]+、|——)\s*")

# What a question asks for → what an answering sentence contains.
CUES: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "number": (re.compile(r"几年|多少年|多久|多长时间|几天|多少天|年限|几个|多少个|几名|几级|多少"),
               re.compile(r"\d+\s*(?:年|个月|天|个工作日|名|人|级)|[一二三四五六七八九十]+年")),
    "time": (re.compile(r"什么时候|何时|哪天|哪一天|哪年|哪一年|几月|时间|日期|啥时候|截止"),
             re.compile(r"\d{4}\s*年|\d{1,2}\s*月|之日起|截止")),
    "contact": (re.compile(r"电话|联系方式|热线|打哪|咨询|联系|处室|哪个处"),
                re.compile(r"电话|\d{7,8}|\d{3,4}-\d{7,8}|联系单位")),
    "who": (re.compile(r"谁|哪里|哪儿|哪个部门|哪个单位|哪家|去哪|交给|找哪|由哪"),
            re.compile(r"受理|负责|组织|实施|承担|由[^，。；]{1,20}(?:受理|负责|组织|实施|评审|认定)")),
    "order": (re.compile(r"顺序|流程|程序|步骤|先后|环节|怎么走|哪几步"),
              re.compile(r"程序|流程|[^，。；]{2,8}、[^，。；]{2,8}、[^，。；]{2,8}等?程序|先[^，。；]{1,12}后|再")),
}
# A question asking for a list ("有哪些", "分哪几类") is answered by the whole clause, not one sentence.
LIST_ASK = re.compile(r"哪些|哪几|几类|几种|几条|几个阶段|有什么|都有|包括什么|分别")

# The direction of a path: skill → title (高技能人才 评职称) or title → skill (专业技术人员 考技能等级).
_Q_S2T = re.compile(r"(?:技能人才|技能人员|高技能|技工|技师|高级工|工人|技能等级).{0,12}(?:评|申报|参加|参评|报|拿)"
                    r".{0,6}(?:职称|副高|正高|工程师)")
_Q_T2S = re.compile(r"(?:专业技术人员|专业技术人才|专技|职称|工程师).{0,12}(?:考|评|申报|参加|报|申请|拿)"
                    r".{0,8}(?:技能等级|技能评价|技能认定|等级认定|技师|高级工|技能)")
_C_S2T = re.compile(r"高技能人才.{0,8}(?:职称|专业技术职务)")
_C_T2S = re.compile(r"专业技术(?:人员|人才).{0,8}职业技能")


def question_direction(question: str) -> str | None:
    """'s2t' / 't2s' when the question asks about one direction of the path, else None."""
    s2t, t2s = bool(_Q_S2T.search(question)), bool(_Q_T2S.search(question))
    return "s2t" if s2t and not t2s else "t2s" if t2s and not s2t else None


def clause_direction(section_path: Iterable[str]) -> str | None:
    """The direction a clause's headings put it in (e.g. '二、支持高技能人才参加职称评审'), else None."""
    heads = " ".join(section_path)
    s2t, t2s = bool(_C_S2T.search(heads)), bool(_C_T2S.search(heads))
    return "s2t" if s2t and not t2s else "t2s" if t2s and not s2t else None


CUE_BONUS = 0.5   # per satisfied cue, as a share of the sentence's own coverage
# A sentence whose first credential is another level of a ladder (skill / title) the question names
# is about another rule ("首席技师评聘…在特级技师评聘的基础上…" for a question about 特级技师;
# "申报技师。取得…助理级职称1年以上" for one about 高级工): its score is multiplied by this.
OTHER_LEVEL = 0.7


@dataclass(frozen=True)
class Sentence:
    start: int      # offsets into the clause text (a verbatim slice, ending with its punctuation)
    end: int
    text: str
    body: int = 0   # offset in `text` after any heading lines that open it ('一、指导思想\n…')

    @property
    def body_text(self) -> str:
        return self.text[self.body:]


def _is_heading(piece: str, ended_by_line_break: bool) -> bool:
    """A heading line ('一、指导思想', '（二）基本原则') or a run-in title ('（一）明确范围对象。')."""
    if ended_by_line_break and not piece.endswith(tuple("。；;！？!?")):
        return len(piece) <= 40
    m = _MARKER.match(piece)
    return bool(m) and len(piece) - m.end() <= 30 and piece.endswith("。") and "，" not in piece


def split_sentences(text: str) -> list[Sentence]:
    return list(_split(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """Token set of a sentence; cached, since the same clauses are scored for every question."""
    return frozenset(tokenize(text))


@lru_cache(maxsize=4096)
def _split(text: str) -> tuple[Sentence, ...]:
    """Verbatim sentence slices of a clause, each with its closing punctuation, blanks dropped.
    Heading lines are not sentences of their own: they open the sentence after them (so their
    words count for it) and `body` marks where that sentence proper starts."""
    out: list[Sentence] = []
    begin, head = 0, None     # head: start of heading lines waiting for their sentence
    for m in _END.finditer(text + "\n"):
        end = min(m.end(), len(text))
        line_break = m.group(0) == "\n"
        if line_break:
            end = m.start()
        raw = text[begin:end]
        lead = len(raw) - len(raw.lstrip())
        s, e = begin + lead, begin + len(raw.rstrip())
        begin = m.end()
        if e <= s:
            continue
        if _is_heading(text[s:e], line_break):
            head = s if head is None else head
            continue
        start = head if head is not None else s
        out.append(Sentence(start, e, text[start:e], s - start))
        head = None
    if head is not None:  # trailing headings (or a clause of headings only): its last line is the body
        end = len(text.rstrip())
        last = text.rfind("\n", head, end) + 1
        out.append(Sentence(head, end, text[head:end], max(last, head) - head))
    return tuple(out)


def strip_marker(sentence: str) -> str:
    """The sentence without its list marker ('(4) 高技能人才…' → '高技能人才…')."""
    return _MARKER.sub("", sentence, count=1)


def question_cues(question: str) -> tuple[str, ...]:
    return tuple(k for k, (asks, _) in CUES.items() if asks.search(question))


class SentenceScorer:
    """Scores sentences against one question: the IDF-weighted share of its words a sentence holds,
    plus a bonus per cue it satisfies (in proportion to that share, so a cue only ranks sentences
    that are on the topic). Words from synonym expansion count half, and so do words found only in
    the headings that open a sentence. `ignore`: a text (the document's title) whose words only
    name the document."""

    def __init__(self, question: str, idf: Callable[[str], float], cues: Iterable[str] | None = None,
                 expansions: str = "", asked: Asked | None = None):
        asked = asked or Asked()
        self.weights = {t: idf(t) * asked.token_weight(t) for t in dict.fromkeys(tokenize(question))}
        for t in dict.fromkeys(tokenize(expansions)):
            self.weights.setdefault(t, idf(t) / 2 * asked.token_weight(t))
        for t, w in asked.query_weights([]).items():  # the words that answer the asked point
            self.weights[t] = max(self.weights.get(t, 0.0), idf(t) * w)
        self.cues = tuple(question_cues(question) if cues is None else cues)
        self.levels = frozenset(v for _, _, v in _level_mentions(question))

    def _covered(self, tokens: frozenset[str], ignore: str) -> float:
        weights = {t: w for t, w in self.weights.items() if not (ignore and t in ignore)}
        total = sum(weights.values()) or 1.0
        return sum(w for t, w in weights.items() if t in tokens) / total

    def score(self, sentence: str | Sentence, ignore: str = "", headings: str = "") -> float:
        """`headings`: the clause's section headings ("（三）副高级职称"), which head every sentence of
        it; like the heading lines that open a sentence, their words count half."""
        if isinstance(sentence, Sentence):
            body = self._covered(_words(sentence.body_text), ignore)
            whole = self._covered(_words(sentence.text) | _words(headings), ignore) \
                if sentence.body or headings else body
            covered, text = body + (whole - body) / 2, sentence.text
        else:
            covered, text = self._covered(_words(sentence), ignore), sentence
        bonus = sum(CUE_BONUS for c in self.cues if CUES[c][1].search(text))
        return covered * (1 + bonus) * (OTHER_LEVEL if self._about_other_level(text) else 1.0)

    def _about_other_level(self, text: str) -> bool:
        if not self.levels:
            return False
        mentions = _level_mentions(text)
        if not mentions:
            return False
        first = min(mentions)[2]
        # another level of the same ladder: a title → skill sentence opens with the title held
        # ("取得助理级职称后…高级工"), which is no sign of another rule for a question about 高级工
        return first not in self.levels and any(kind == first[0] for kind, _ in self.levels)

    def under_other_level(self, headings: Iterable[str] | str) -> bool:
        """The nearest heading that names a credential level names another level of a ladder the
        question names ("（四）正高级职称" over "5.取得副高级职称后…满5年", for a question about 副高)."""
        if not self.levels:
            return False
        heads = headings.split(" > ") if isinstance(headings, str) else list(headings)
        for head in reversed(heads):
            named = {v for _, _, v in _level_mentions(head)}
            if named:
                return not named & self.levels and any(kind == k for kind, _ in named for k, _ in self.levels)
        return False

    def best(self, text: str, ignore: str = "", headings: str = "") -> tuple[Sentence | None, float]:
        """The best sentence of a clause text and its score (None for a clause with no words)."""
        best, top = None, -1.0
        for s in _split(text):
            v = self.score(s, ignore, headings)
            if v > top:
                best, top = s, v
        return best, max(top, 0.0)


@lru_cache(maxsize=1)
def _level_aliases() -> dict[str, tuple[str, str]]:
    """Credential words → (kind, level), without the bare '一级'…'五级' ('低一级', '二级技能竞赛')."""
    from rules import lexicon

    return {a: v for a, v in lexicon.level_aliases().items() if not re.fullmatch(r"[一二三四五]级", a)}


@lru_cache(maxsize=8192)
def _level_mentions(text: str) -> tuple[tuple[int, int, tuple[str, str]], ...]:
    """(start, end, level) of the credential words of a text, longest alias first (高级技师, not 技师)."""
    from rules.text import scan_aliases

    return tuple(scan_aliases(text, _level_aliases()))


def headings_of(section_path) -> str:
    """The section headings of a clause that name a credential level ("（三）副高级职称"): they say
    which level every sentence under them is about. (Other headings, "附件1 …基本条件", name a
    whole annex and would count for every clause in it.) The path is a list or a " > " string."""
    heads = section_path.split(" > ") if isinstance(section_path, str) else list(section_path or ())
    return " ".join(h for h in heads if _level_mentions(h))


@lru_cache(maxsize=64)
def title_words(title: str) -> str:
    """A document's title, for `ignore`: question words found in it name the document, not the answer."""
    return re.sub(r"\s+", "", title)


def without_places(text: str) -> str:
    """Region words out of the text sentences are scored by: the region already filters the
    ranking, and in a sentence it is usually part of an honour's name ('湖北省技能大师')."""
    from rules import lexicon

    for alias in sorted(lexicon.region_aliases(), key=len, reverse=True):
        text = text.replace(alias, " ")
    return text
