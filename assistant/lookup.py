"""Lookup answers: the first line answers in one sentence taken from the corpus or the catalogue, then the quotes.

- A question about a document itself (still in force? when issued / in force? who issued it? its
  文号? what it forwards?) is answered from the catalogue (`DocMeta`) and the clause that states it.
- Any other lookup: the sentence that best answers (assistant.sentences) becomes the first line,
  with its 【n】; quotes are that sentence (or the sentences around it that also answer), not whole
  clauses; clauses far below the best one are dropped, and a document's header or signature is
  never quoted unless the question is about the document.
- Where the asked point is not in the documents at all (fees, a materials list, a telephone
  number), the first line says so.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import citation_from_clause, quote_list
from assistant.asked import read_asked
from assistant.lists import list_lead, merge_siblings
from assistant.normalize import expand
from assistant.retrieve import Hit
from assistant.sentences import (
    LIST_ASK,
    OTHER_LEVEL,
    Sentence,
    SentenceScorer,
    clause_direction,
    headings_of,
    question_direction,
    split_sentences,
    strip_marker,
    title_words,
    without_places,
)
from ingest.corpus import DocMeta

ANSWER_K = 4            # clauses quoted at most
LOOKUP_K = 8            # candidates the relative cut-off chooses from
# A clause is quoted only when its score reaches this share of the best clause's (calibrated on
# the dev sets, docs/retrieval.md: lower kept more off-point clauses, higher lost gold clauses).
RELATIVE_CUTOFF = 0.75
# Sentences of a clause within this share of its best sentence are quoted with it.
SENTENCE_KEEP = 0.5
FIRST_LINE_SHARE = 0.85  # the first line comes from the best-ranked clause within this share
# The first line's clause is quoted first when its retrieval score is within this share of the
# best clause's (docs/retrieval.md: with no limit, a long sentence sharing many generic words
# sometimes displaced a well-ranked short clause that answers).
FIRST_QUOTE_SHARE = 0.9
FIRST_QUOTE_MARGIN = 1.25
SHORT_CLAUSE = 160      # characters: a clause this short is quoted whole
LONG_SENTENCE = 160     # characters: a longer sentence is cut to its answering parts in the first line
NON_BODY = ("preamble", "closing")
NON_BODY_MARGIN = 2.0   # a header/signature sentence must answer this many times better than the body
CLOSING_LINE = "以上为政策原文摘录，具体申报以当年度评审通知和所在单位要求为准。"

# Questions about a document itself → which catalogue field answers.
DOC_ASKS: dict[str, re.Pattern] = {
    "validity": re.compile(r"有效吗|有效期|(?:还|仍|仍然|依然|是否|是不是|目前|现在)还?有效|失效|过期|作废|废止|管用|在效"
                           r"|还能用|还适用|到期|作为依据|还能依据|还算数"),
    "effective": re.compile(r"施行|生效|起效|(?:开始|何时|什么时候|哪天|从哪天)(?:执行|实施)|实施日期"),
    "issued": re.compile(r"印发|发布|发文时间|出台|下发|颁布|(?:哪天|什么时候|何时|哪年|啥时候|哪一天)(?:转)?发"),
    "issuer": re.compile(r"谁发|谁印发|哪个(?:部门|单位|机关)(?:发|印发|出台|下发|制定)的|发文机关|发文单位|哪里发的"),
    "docno": re.compile(r"文号|几号文"),
    "forwards": re.compile(r"转发"),
}
_DOC_WORD = re.compile(r"文件|方案|通知|意见|办法|号文")
# Points the documents may simply not contain: (question words, words an answering clause has, what to call it).
ABSENT_POINTS: tuple[tuple[re.Pattern, re.Pattern, str], ...] = (
    (re.compile(r"费用|收费|多少钱|交钱|缴费|要钱|免费|费$|报名费|评审费"), re.compile(r"收费|费用|缴费|评审费|报名费|考试费|鉴定费|免费|不收取"), "收费或费用"),
    (re.compile(r"社保|社会保险|医保|公积金|个税|个人所得税"), re.compile(r"社会保险|社保|医保|公积金|个人所得税"),
     "社保、医保、公积金或个税方面的要求"),
    (re.compile(r"材料清单|(哪些|什么|啥)\S{0,4}材料|材料有哪些|要交什么材料|准备什么材料|要带什么材料|清单发"),
     re.compile(r"材料[^。；]{0,8}(?:包括|如下|清单|：)"), "需提交的材料清单"),
    (re.compile(r"电话|热线|联系方式"), re.compile(r"电话|\d{7,8}"), "联系电话"),
    (re.compile(r"(工资|薪资|薪水|薪酬|收入)\S{0,4}(涨|提高|增加|调整|上调|变)"), re.compile(r"工资|薪酬"),
     "取得职称或等级后工资如何调整"),
)
PHONE = re.compile(r"电话[：:]?\s*\d{7,8}|\d{3,4}-\d{7,8}")
# A line that tells whom to contact: a telephone number, or the office named as the contact unit
# (Jiangsu prints "(联系单位：专业技术人员管理处)" in its header and no number).
CONTACT = re.compile(PHONE.pattern + r"|联系(?:单位|部门|人)[：:]")


def _date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _sentence_of(text: str) -> str:
    """A sentence as it reads inside a line of ours: on one line, no list marker, no closing punctuation."""
    return re.sub(r"\s+", " ", strip_marker(text)).strip().rstrip("。；;：:，, ")


def _line_at(text: str, pos: int) -> Sentence:
    """The sentence of `text` holding offset `pos`; a heading line on its own when `pos` is in the
    heading lines that open the sentence (a header's "(联系单位：…)" line, not the body after it)."""
    s = next(s for s in split_sentences(text) if s.start <= pos < s.end)
    if pos >= s.start + s.body:
        return s
    start = text.rfind("\n", s.start, pos) + 1 or s.start
    end = text.find("\n", pos, s.end)
    end = s.end if end < 0 else end
    return Sentence(start, end, text[start:end])


@dataclass
class _Pick:
    """A clause chosen for an answer: its hit, the span to quote (None = whole), its best sentence."""
    hit: Hit
    span: tuple[int, int] | None
    sentence: Sentence | None
    score: float
    rank: int = 0
    other_level: bool = False   # under a heading naming another level than the asked one

    @property
    def non_body(self) -> bool:
        return self.hit.clause.get("kind") in NON_BODY


class Lookup:
    """Composes lookup answers over an opened index (its clauses and IDF) and the catalogue."""

    def __init__(self, index, catalog: dict[str, DocMeta]):
        self.index = index
        self.catalog = catalog
        self.idf = lambda t: index.bm25.idf.get(t, 0.0)

    # --- entry point ------------------------------------------------------------------------------

    def answer(self, question: str, nq, hits: Sequence[Hit], day: dt.date) -> tuple[str, list[dict]]:
        asks = [k for k, p in DOC_ASKS.items() if p.search(question)]
        if asks:
            doc = self._asked_document(nq, hits)
            if doc is not None:
                return self._document_answer(asks, doc, question, hits, day)
        return self._passage_answer(question, nq, hits)

    def about_document(self, question: str, nq) -> bool:
        """Whether a question asks about a document itself and names which (by 文号, or by region and
        a word for a document): answered from the catalogue even when no clause matches its words."""
        if not any(p.search(question) for p in DOC_ASKS.values()):
            return False
        return bool(nq.docs) or (bool(nq.provinces) and bool(_DOC_WORD.search(question)))

    # --- questions about a passage -----------------------------------------------------------------

    def _passage_answer(self, question: str, nq, hits: Sequence[Hit]) -> tuple[str, list[dict]]:
        asked = read_asked(nq.text)
        scorer = SentenceScorer(without_places(nq.text), self.idf, expansions=" ".join(expand(nq.text)), asked=asked)
        whole = bool(LIST_ASK.search(question))  # a list is quoted whole
        if whole:
            hits = merge_siblings(hits, self.index.clauses)  # its items as one citation
        picks = self._select(hits, scorer, whole)
        phone_line = None
        if "contact" in scorer.cues:
            picks, phone_line = self._with_contact(picks, nq)
        # steps are quoted in the document's order, not by score, unless the question sets some
        # aside: "除了…还有什么环节" asks for the one step it did not name
        in_order = "order" in scorer.cues and not asked.aside
        if in_order:
            picks = self._in_document_order(picks)
        direction = question_direction(nq.text)
        first = self._first_pick(picks, direction)
        if first and phone_line is None and not in_order \
                and picks[first].hit.score >= FIRST_QUOTE_SHARE * picks[0].hit.score \
                and self._answer_value(picks[first], direction) >= FIRST_QUOTE_MARGIN * \
                self._answer_value(picks[0], direction):
            # the clause whose sentence answers is quoted first (and the first line cites 【1】)
            # when retrieval ranked it nearly as high as its best clause and its sentence answers
            # clearly better
            picks.insert(0, picks.pop(first))
        citations = [citation_from_clause(p.hit.clause, p.span) for p in picks]
        missing = self._absent_point(question, nq)
        if missing:
            lead = f"收录的{missing[0]}文件没有写明{missing[1]}；与问题最接近的条款如下。"
            citations = citations[:1]
        elif phone_line is not None:
            lead = f"据{citations[0]['doc']}，{_sentence_of(phone_line.body_text)}【1】。"
        elif whole and (items := list_lead(picks[0].hit.clause)):
            lead = f"据{citations[0]['doc']}，{items}【1】。"
        else:
            lead = self._first_line(picks, citations, scorer, whole, direction)
        lines = [lead or "根据收录的政策文件，与您的问题最相关的条款如下（原文摘录）：", "", "**原文摘录**"]
        lines += quote_list(citations) + ["", CLOSING_LINE]
        return "\n".join(lines), citations

    def _select(self, hits: Sequence[Hit], scorer: SentenceScorer, whole: bool) -> list[_Pick]:
        """The clauses to quote, each with its quote span and best sentence: no header or signature
        unless one of its sentences answers far better than any body clause, none below the cut-off."""
        picks = [_Pick(h, *self._quote_span(h.clause, scorer, whole), rank=r,
                       other_level=scorer.under_other_level(h.clause["section_path"])) for r, h in enumerate(hits)]
        body_best = max((p.score for p in picks if not p.non_body), default=0.0)
        pool = [p for p in picks if not p.non_body or (p.score > 0 and p.score > NON_BODY_MARGIN * body_best)] \
            or picks
        top = pool[0].hit.score if pool else 0.0
        kept = [p for p in pool if top <= 0 or p.hit.score >= RELATIVE_CUTOFF * top][:ANSWER_K] or pool[:1]
        for r, p in enumerate(kept):
            p.rank = r
        return kept

    @staticmethod
    def _in_document_order(picks: list[_Pick]) -> list[_Pick]:
        """Steps in the document's order; paragraphs that share one label (one section cited
        twice) are not steps of a list: the one whose sentence answers best leads them."""
        docs = list(dict.fromkeys(p.hit.clause["doc"] for p in picks))
        first_at: dict[tuple[str, str], int] = {}
        for p in picks:
            key = (p.hit.clause["doc"], p.hit.clause["section"])
            first_at[key] = min(first_at.get(key, p.hit.clause["start"]), p.hit.clause["start"])
        return sorted(picks, key=lambda p: (docs.index(p.hit.clause["doc"]),
                                            first_at[(p.hit.clause["doc"], p.hit.clause["section"])], -p.score))

    def _with_contact(self, picks: list[_Pick], nq) -> tuple[list[_Pick], Sentence | None]:
        """The paragraph that lists telephone numbers (or names the contact unit) first, wherever it
        ranked (or was not found), quoted by the sentence, or the header line, that holds it."""
        listed = next((p.hit.clause for p in picks if CONTACT.search(p.hit.clause["text"])), None) \
            or self._contact_clause(nq)
        if listed is None:
            return picks, None
        line = _line_at(listed["text"], CONTACT.search(listed["text"]).start())
        top = picks[0].hit.score if picks else 0.0
        rest = [p for p in picks if p.hit.clause["id"] != listed["id"]][:ANSWER_K - 1]
        return [_Pick(Hit(listed, top), (line.start, line.end), line, 1.0, rank=-1)] + rest, line

    @staticmethod
    def _answer_value(p: _Pick, direction: str | None) -> float:
        """How well a pick's best sentence answers, as the first line judges it: a lead-in ("…条件：")
        introduces an answer but is not one, nor does a clause about the other direction of the path
        or under another level's heading."""
        if p.sentence is None:
            return float("-inf")
        lead_in = p.sentence.body_text.rstrip().endswith(("：", ":"))
        other = clause_direction(p.hit.clause["section_path"])
        return (p.score - 0.5 * lead_in) * (0.5 if direction and other and other != direction else 1.0) \
            * (OTHER_LEVEL if p.other_level else 1.0)

    def _first_pick(self, picks: list[_Pick], direction: str | None) -> int | None:
        """Index of the pick the first line quotes: the best-ranked clause whose sentence answers
        nearly as well as the best one."""
        firsts = [(self._answer_value(p, direction), p.rank, i) for i, p in enumerate(picks) if p.sentence is not None]
        if not firsts:
            return None
        top = max(f[0] for f in firsts)
        floor = top - abs(top) * (1 - FIRST_LINE_SHARE)  # "nearly as well", also when every value is below 0
        return min((f for f in firsts if f[0] >= floor), key=lambda f: f[1])[2]

    def _first_line(self, picks: list[_Pick], citations: list[dict], scorer: SentenceScorer, whole: bool,
                    direction: str | None) -> str | None:
        """'据文号，<the sentence that answers>【n】。' from the pick `_first_pick` chooses."""
        i = self._first_pick(picks, direction)
        if i is None:
            return None
        body = picks[i].sentence.body_text
        said = _sentence_of(body) if whole else self._short(body, scorer)
        return f"据{citations[i]['doc']}，{said}【{i + 1}】。"

    @staticmethod
    def _quote_span(clause: dict, scorer: SentenceScorer, whole: bool = False):
        """(span to quote or None for the whole clause, the best Sentence, its score). Short clauses
        are quoted whole (headers and signatures never are); long ones from the first to the last
        sentence that answers nearly as well as the best."""
        text, sliced = clause["text"], clause.get("kind") in NON_BODY
        sentences = split_sentences(text)
        if not sentences:
            return None, None, 0.0
        ignore = title_words(clause["title"])
        scores = [scorer.score(s, ignore, headings_of(clause.get("section_path"))) for s in sentences]
        best = max(range(len(sentences)), key=lambda k: (scores[k], -k))
        if ((whole or len(text) <= SHORT_CLAUSE) and not sliced) or scores[best] <= 0:
            return None, sentences[best], scores[best]
        near = [k for k in range(len(sentences)) if scores[k] >= SENTENCE_KEEP * scores[best]]
        lo, hi = (best, best) if sliced else (min(near), max(near))
        if lo > 0 and sentences[lo - 1].text.endswith(("：", ":")):
            lo -= 1  # keep the lead-in that says what a list is a list of
        return (sentences[lo].start, sentences[hi].end), sentences[best], scores[best]

    @staticmethod
    def _short(sentence: str, scorer: SentenceScorer) -> str:
        """A long sentence cut to its comma-separated parts that answer (with "……" where cut), so
        the first line fits a phone screen; a short one as it is."""
        text = _sentence_of(sentence)
        if len(text) <= LONG_SENTENCE:
            return text
        parts = [p for p in re.split(r"(?<=[，,])", text) if p]
        scores = [scorer.score(p) for p in parts]
        best = max(range(len(parts)), key=lambda k: (scores[k], -k))
        lo = hi = best
        while True:  # grow toward the better neighbour while it fits
            options = [k for k in (lo - 1, hi + 1) if 0 <= k < len(parts)]
            if not options:
                break
            k = max(options, key=lambda k: (scores[k], -k))
            if len("".join(parts[min(lo, k):max(hi, k) + 1])) > LONG_SENTENCE:
                break
            lo, hi = min(lo, k), max(hi, k)
        core = "".join(parts[lo:hi + 1]).rstrip("，,")
        return ("……" if lo > 0 else "") + core + ("……" if hi < len(parts) - 1 else "")

    def _region_name(self, nq) -> str:
        """How people name the searched region: the city when every document of the province is a
        city's (湖北 → 黄石), else the province; empty when a document is named instead."""
        if nq.docs or not nq.provinces:
            return ""
        names = []
        for p in nq.provinces:
            metas = [m for m in self.catalog.values() if m.province == p]
            cities = {m.city for m in metas}
            names.append(cities.pop() if len(cities) == 1 and None not in cities else p)
        return "、".join(names)

    def _contact_clause(self, nq) -> dict | None:
        for c in self.index.clauses:
            if (not nq.docs or c["doc"] in nq.docs) and (not nq.provinces or c["province"] in nq.provinces) \
                    and CONTACT.search(c["text"]):
                return c
        return None

    def absent_point(self, question: str, nq) -> tuple[str, str] | None:
        return self._absent_point(question, nq)

    def _absent_point(self, question: str, nq) -> tuple[str, str] | None:
        """(where, what) when the question asks for a point none of the searched documents contains."""
        for asks, has, what in ABSENT_POINTS:
            if not asks.search(question):
                continue
            scope = [c for c in self.index.clauses
                     if (not nq.docs or c["doc"] in nq.docs) and (not nq.provinces or c["province"] in nq.provinces)]
            if not any(has.search(c["text"]) for c in scope):
                return self._region_name(nq), what
        return None

    # --- questions about a document ------------------------------------------------------------------

    def _asked_document(self, nq, hits: Sequence[Hit]) -> DocMeta | None:
        """The document a question is about: named by 文号, else the one its words and region point to
        (title words shared with the question; the best retrieved clause's document breaks ties)."""
        if nq.docs:
            return self.catalog.get(nq.docs[0])
        candidates = [m for m in self.catalog.values() if not nq.provinces or m.province in nq.provinces]
        if not candidates:
            return None
        text = nq.text
        ranked_docs = [h.clause["doc"] for h in hits]

        def fit(m: DocMeta) -> tuple:
            shared = sum(1 for k in range(len(m.title) - 1) if m.title[k:k + 2] in text)
            city = 1 if m.city and m.city in text else 0
            # a forwarding notice is asked about by its city or as the forwarder; otherwise the
            # document it forwards (whose title it repeats) is meant
            forwarding = (1 if city or "转发" in text else -1) if m.forwards else 0
            rank = ranked_docs.index(m.doc) if m.doc in ranked_docs else len(ranked_docs)
            return (city + forwarding, shared, -rank)
        best = max(candidates, key=fit)
        # A document is meant only when the question says so (文件/方案/通知/意见…): "证书到期了还能
        # 用吗" is about a certificate. No region and no title words: no guess.
        if not _DOC_WORD.search(text):
            return None
        return best if nq.provinces or fit(best)[:2] != (0, 0) else None

    def _document_answer(self, asks: list[str], meta: DocMeta, question: str, hits: Sequence[Hit],
                         day: dt.date) -> tuple[str, list[dict]]:
        clauses = [c for c in self.index.clauses if c["doc"] == meta.doc]
        citations: list[dict] = []

        # a header sentence is quoted with its heading lines when they print the 文号 that is asked
        keep_heads = meta.doc if "docno" in asks else None

        def cite(pattern: str | re.Pattern) -> tuple[int, str] | None:
            """Marker number and sentence of the first sentence of the document matching `pattern`."""
            rx = re.compile(pattern) if isinstance(pattern, str) else pattern
            for c in clauses:
                for s in split_sentences(c["text"]):
                    if rx.search(s.text):
                        # the issuing office printed above the date is part of the 落款 asked for
                        body_only = rx.search(s.body_text) and not (keep_heads and keep_heads in s.text) \
                            and "issued" not in asks
                        start = s.start + s.body if body_only else s.start
                        cit = citation_from_clause(c, (start, s.end))
                        for n, old in enumerate(citations, 1):
                            if old["clause_id"] == cit["clause_id"] and old["quote"] == cit["quote"]:
                                return n, cit["quote"]
                        citations.append(cit)
                        return len(citations), cit["quote"]
            return None

        parts: list[str] = []
        if "validity" in asks or "effective" in asks:
            parts.append(self._validity_sentence(meta, day, cite, "validity" in asks))
        if "issued" in asks:
            found = cite(re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发")) or \
                (cite(re.escape(_date(meta.issued))) if meta.issued else None)
            if meta.issued:
                parts.append(f"{meta.doc}的成文日期为{_date(meta.issued)}" +
                             (f"，原文：“{_sentence_of(found[1])}”【{found[0]}】" if found else ""))
            else:
                parts.append(f"{meta.doc}的正文没有印发日期" + (f"，原文：“{_sentence_of(found[1])}”【{found[0]}】" if found else ""))
        if "issuer" in asks:
            found = cite(re.escape(meta.issuer))
            parts.append(f"{meta.doc}由{meta.issuer}印发" + (f"【{found[0]}】" if found else ""))
        if "docno" in asks:
            found = cite(re.escape(meta.doc))
            parts.append(f"《{meta.title}》的文号是{meta.doc}" + (f"【{found[0]}】" if found else ""))
        if "forwards" in asks:
            parts.append(self._forwards_sentence(meta, cite))
        if not citations:  # nothing in the text states it: the line that names the document
            cite(re.escape(meta.doc))
        lead = "；".join(p for p in parts if p) + "。"
        lines = [lead, "", "**原文摘录**"] + quote_list(citations) + ["", CLOSING_LINE]
        return "\n".join(lines), citations

    @staticmethod
    def _validity_sentence(meta: DocMeta, day: dt.date, cite, asked_validity: bool) -> str:
        note = None
        if meta.validity_note:
            note = cite(re.escape(meta.validity_note.rstrip("。")))
        if note is None:
            note = cite(r"施行")
        pieces = [f"规定“{_sentence_of(note[1])}”【{note[0]}】"] if note else []
        if note and meta.effective and not re.search(r"\d{4}年", note[1]):
            pieces[0] += f"（{_date(meta.effective)}）"
        state = meta.validity_on(day)
        if meta.valid_until:
            pieces.append(f"有效期至{_date(meta.valid_until)}，按{_date(day)}计" +
                          {"expired": "已过有效期", "not_yet": "尚未施行", "valid": "仍在有效期内"}[state])
        else:
            if meta.effective and not note:
                pieces.append(f"自{_date(meta.effective)}起施行")
            if asked_validity:
                pieces.append("收录的文件和目录都没有规定有效期或失效日期")
            if state == "not_yet":
                pieces.append(f"按{_date(day)}计尚未施行")
        if not pieces:
            return f"{meta.doc}的正文和目录都没有写明施行日期"
        joiner = "" if pieces[0].startswith(("规定", "自")) else "："
        return meta.doc + joiner + "，".join(pieces)

    def _forwards_sentence(self, meta: DocMeta, cite) -> str:
        if meta.forwards:
            target = self.catalog.get(meta.forwards)
            found = cite(re.escape(meta.forwards))
            title = f"《{target.title}》" if target else ""
            return f"{meta.doc}转发的是{meta.forwards}{title}" + (f"【{found[0]}】" if found else "")
        if meta.forwarded_by:
            found = cite(re.escape(meta.doc))
            return f"{meta.doc}由{meta.forwarded_by}转发" + (f"【{found[0]}】" if found else "")
        return f"收录的文件中没有{meta.doc}转发其他文件的记载"
