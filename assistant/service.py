"""The assistant: question → route (rules / retrieval / clarify / out_of_scope / error) → answer object.

Rule decisions come only from `rules`; retrieval adds supporting clauses after them and can
never change a decision. The answer object is the one in docs/CONTRACT.md.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import replace
from pathlib import Path

import rules
from assistant.answer import citation_from_clause, quote_list
from assistant.cite import merge_same_clause, renumber, with_references
from assistant.facts_schema import FactsError, validate_facts
from assistant.lookup import CLOSING_LINE, LOOKUP_K, SHORT_CLAUSE, Lookup
from assistant.normalize import normalize
from assistant.retrieve import ClauseIndex
from assistant.scope import COVERAGE, check_scope, injection_rest, nothing_in_force
from assistant.sentences import question_cues
from assistant.writer import maybe_rewrite
from ingest import config
from ingest.corpus import CorpusError, DocMeta
from ingest.index import IndexError_, Progress, build_index, index_status, is_stale, stored_catalog
from rules.reading import CLAUSE_ASK

log = logging.getLogger(__name__)
# a passage in quotation marks, pasted from a document
QUOTED = re.compile(r"[“\"「『]([^”\"」』]{12,})[”\"」』]")

MAX_QUESTION_CHARS = 2000
SUPPORT_K = 2         # extra clauses shown under a rule decision
# Below both of these the best clause is judged unrelated (route out_of_scope). Calibrated on
# evals/questions.jsonl: see docs/benchmarks.md and `python -m evals run`.
MIN_BM25 = 5.5
MIN_DENSE = 0.55


class QuestionError(ValueError):
    """Input that cannot be a question (message in Chinese)."""


def validate_question(question) -> str:
    if not isinstance(question, str):
        raise QuestionError("问题必须是文字。")
    q = question.strip()
    if not q:
        raise QuestionError("问题是空的，请输入您想问的内容，例如：“我在上海，技师满4年，能申报中级职称吗？”")
    try:
        q.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates: bytes that were not UTF-8
        raise QuestionError("问题里有无法识别的字符（输入可能不是 UTF-8 编码），请重新输入。") from exc
    if not q.isprintable() and not "".join(ch for ch in q if ch.isprintable()).strip():
        raise QuestionError("问题里只有控制字符或不可见字符，请输入文字问题。")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(f"问题太长（{len(q)} 字），请精简到 {MAX_QUESTION_CHARS} 字以内，只保留与申报有关的情况。")
    return q


def parse_as_of(value) -> dt.date:
    if value is None or value == "":
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise QuestionError("as_of 必须是 YYYY-MM-DD 格式的日期。")
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):  # fromisoformat also takes 20261130, 2026-W48-1
            raise ValueError(value)
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise QuestionError(f"日期格式不对：{value}（应为 YYYY-MM-DD，例如 2026-11-21）") from exc


class Assistant:
    """One loaded index + catalogue; `ask` is the single call everything else uses."""

    def __init__(self, index: ClauseIndex, catalog: list[DocMeta]):
        self.index = index
        self.catalog = {m.doc: m for m in catalog}
        self.lookup = Lookup(index, self.catalog)

    @classmethod
    def load(cls, data_dir: Path | None = None, embedder: str | None = None, chroma_url: str | None = None,
             corpus_dir: Path | None = None, build_if_missing: bool = True,
             progress: Progress | None = None) -> Assistant:
        data_dir = Path(data_dir or config.data_dir())
        status = index_status(data_dir)
        if status is None and build_if_missing:
            build_index(corpus_dir, data_dir, embedder, progress=progress, chroma_url=chroma_url)
        elif status is not None and build_if_missing and is_stale(status, corpus_dir):
            # built from other documents or by an older splitter: refresh it (only changed documents
            # are re-split; the new build replaces the old one atomically). If that fails, the old
            # build keeps answering.
            try:
                build_index(corpus_dir, data_dir, embedder or status["embedder"], progress=progress,
                            chroma_url=chroma_url)
            except (CorpusError, IndexError_, OSError) as exc:
                log.warning("索引不是用当前语料和切分程序构建的，更新失败，继续使用原索引：%s", exc)
        index = ClauseIndex(data_dir, embedder, chroma_url)
        return cls(index, stored_catalog(data_dir))  # the catalogue of the build, not today's corpus file

    # --- public ------------------------------------------------------------------------------

    def ask(self, question, as_of=None, facts: dict | None = None, retriever: str = "hybrid",
            qid: str | None = None) -> dict:
        t0 = time.perf_counter()
        base = {"id": qid, "question": question if isinstance(question, str) else str(question)}
        try:
            q = validate_question(question)
            day = parse_as_of(as_of)
            result = self._route(q, day, validate_facts(facts, day), retriever)
            result = maybe_rewrite(q, result)  # optional LLM writer; unchanged unless it is on and checks pass
        except (QuestionError, FactsError) as exc:
            result = self._error(str(exc))
        except Exception as exc:  # never a traceback to the user; the log keeps it
            # the traceback goes to the log only when debugging; users see one Chinese sentence
            log.error("ask failed: %r", exc, exc_info=log.isEnabledFor(logging.DEBUG))
            result = self._error("处理这个问题时出错了，请换个说法再试；如果一再出现，请联系管理员。", internal=True)
        result = base | result
        result["latency_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return result

    # --- routing -----------------------------------------------------------------------------

    def _route(self, q: str, day: dt.date, facts: dict, retriever: str) -> dict:
        nq = normalize(q)
        if (rest := injection_rest(nq.text)) is not None:
            # a question with an order about the answer pasted around it: the question is answered
            # from the documents; the order is dropped and the answer says so
            out = self._route(rest, day, facts, retriever)
            return dict(out, answer="（消息里要求改变设定或指定答案的部分已忽略，以下只按政策文件作答。）\n\n" + out["answer"])
        if (before_corpus := nothing_in_force(self.catalog.values(), day)) is not None:
            return self._out_of_scope(before_corpus, None)
        try:
            prior = rules.Facts.from_dict(facts) if facts else None
        except (TypeError, ValueError, AttributeError) as exc:
            raise QuestionError("facts 格式不对：应为上一轮答案中的 facts 对象。") from exc
        # the rule module reads the user's own words (it has its own, stricter normalisation)
        reading = rules.read(q, prior=prior, as_of=day)
        new_facts = reading.carry
        # an uncovered place the reading set aside (户口在广州, 以前在武汉) does not refuse the question
        uncovered = nq.uncovered if (reading.facts.uncovered_region or not reading.facts.region) else None
        scope = check_scope(nq.text, uncovered, bool(nq.provinces or nq.docs))
        # a bare follow-up answer ("5年", "上海") is in scope when a conversation is going on
        follow_up = (prior is not None and scope.reason in ("off_topic", "greeting")
                     and replace(new_facts, evidence=[]) != replace(prior, evidence=[]))
        # a turn of an eligibility conversation, or "湖北" alone (which city is asked, not refused)
        follow_up = follow_up or (reading.continues and scope.reason in ("off_topic", "greeting", "other_region", "other_topic"))
        # "…去年休了两个月病假…副高能报吗": an own-path question whose background names another HR topic
        f = reading.facts
        own_path = reading.asks_eligibility and bool(f.target) and bool(
            f.skill_level or f.title_level or f.honours
            or any(e.get("role") in ("set_aside", "unlisted", "other_region") for e in f.evidence))  # "我是公务员，一级科员…"
        follow_up = follow_up or (own_path and scope.reason == "other_topic")
        hubei = reading.facts.region_from_province and scope.reason == "other_region"
        # a short reply to the question we just asked ("我是电工" after "您在哪个地区？"): ask again, not refuse
        pending = (prior is not None and bool(prior.asked) and len(nq.text) <= 16 and reading.intent == "eligibility"
                   and scope.reason in ("off_topic", "greeting"))
        follow_up = follow_up or pending
        # "…能评中级吗" then "那要交啥材料 / 找谁报 / 评审费多少钱": a lookup about the same case, in its region
        about_case = prior is not None and bool(prior.region or prior.target or prior.skill_level or prior.title_level)
        case_lookup = about_case and reading.intent in ("procedure", "materials", "contact", "fees", "document", "post",
                                                        "lookup")
        if case_lookup:  # "那中级是评出来的还是聘的": a level named in a lookup is its topic, not the person's
            new_facts = replace(new_facts, skill_level=prior.skill_level, title_level=prior.title_level,
                                target=prior.target, honours=list(prior.honours))
        # a lookup, then a short "X呢？" or "那它…吗" about it: the same lookup asked again
        again = (prior is not None and bool(prior.lookup) and len(nq.text) <= 16 and not rules.PERSON_CUES.search(q)
                 and bool(re.search(r"^那|呢[？?]?$|它|这个文件|这份文件|还有效|还管用|还能用|有效期|失效|过期|作为依据", nq.text)))
        follow_up = follow_up or again
        follow_up = follow_up or (case_lookup and scope.reason in ("off_topic", "greeting", "other_topic"))
        if not scope.in_scope and not follow_up and not hubei:
            return self._out_of_scope(scope.message, new_facts)
        if prior is not None and reading.continues and CLAUSE_ASK.search(nq.text) and not reading.asks_eligibility:
            # "这是哪条规定的，把原文发我": the clauses the case's verdict rests on, quoted as a lookup
            return self._clause_answer(self._rule_answer(rules.decide(reading, day, q), nq, day, retriever), q)
        if (reading.continues or hubei or pending) and reading.intent == "eligibility" and not again:
            return self._rule_answer(rules.decide(reading, day, q), nq, day, retriever)
        if again:
            q = _asked_again(prior.lookup, q)
            nq = normalize(q)
        elif rules.wants_rules(reading, q):
            return self._rule_answer(rules.decide(reading, day, q), nq, day, retriever)
        if (reading.intent in ("procedure", "materials", "contact") and rules.PERSON_CUES.search(q)
                and not reading.facts.region and not nq.provinces and not nq.docs):
            # a first-person "how do I apply" with no place named: each region's documents say it differently; ask which applies
            outcome = rules.decide(reading, day, q)
            if outcome.route == "clarify" and "region" in ((outcome.decision or {}).get("missing") or []):
                return self._rule_answer(outcome, nq, day, retriever)
        if case_lookup and not nq.provinces and new_facts.region in rules.lexicon.regions():
            nq = replace(nq, provinces=(rules.lexicon.regions()[new_facts.region]["province"],))
        if case_lookup and new_facts.target and new_facts.target in rules.lexicon.levels_by_key():
            # "那去哪里报": where to apply in this case (a title or a skill level; 高级 titles are filed elsewhere)
            level = rules.lexicon.level(new_facts.target)
            # the kind of application, not the level: level words pull that level's conditions clause
            words = ("职称评审" + (" 高级职称 高级职称评审 高级职称评审申报" if level.key in ("副高级", "正高级") else "")
                     if level.kind == "title" else "职业技能评价")
            nq = replace(nq, expanded=f"{nq.expanded} {words}")
        hits = self.index.search(nq.expanded, LOOKUP_K, retriever, nq.provinces, nq.text, nq.docs)
        # "“取得…满3年”——这句出自哪个文件": the clauses that hold the pasted words verbatim come first
        quoted = [h for m in QUOTED.finditer(q) for h in self.index.containing(m.group(1))]
        if quoted:
            keep = {h.clause["id"] for h in quoted}
            hits = [*quoted, *(h for h in hits if h.clause["id"] not in keep)][:LOOKUP_K]
            for h in quoted:
                h.score = max((x.score for x in hits), default=0.0)
        # the sentence rerank may put a clause first whose raw scores are not the best: judge all
        relevant = any(self._relevant(h, retriever) for h in hits)
        relevant = relevant or (case_lookup and bool(hits)) or bool(quoted)  # short words, but the case's region and a known point
        # "有问题找哪个处室": whom to contact in a named region is answered by its contact line
        relevant = relevant or bool((nq.provinces or nq.docs) and "contact" in question_cues(nq.text))
        if nq.docs and not relevant:
            hits = self.index.document_card(nq.docs)  # e.g. when was it issued: header and signature
        elif not relevant and not self.lookup.about_document(q, nq) and not self.lookup.absent_point(q, nq):
            if rules.ELIGIBILITY_CUES.search(q):
                # A person asking about their own path with too little said to match a clause
                # (a city and "评职称" only): the rule module asks for the missing fact instead.
                outcome = rules.decide(reading, day, q)
                if outcome.route == "clarify":
                    return self._rule_answer(outcome, nq, day, retriever)
            return self._out_of_scope(
                "收录的政策文件里没有找到与这个问题直接相关的条款，为避免误导，不作推测。\n\n"
                f"本助手依据的文件：{COVERAGE}。", new_facts)
        answer, citations = self.lookup.answer(q, nq, hits, day)
        return {
            "route": "retrieval", "answer": answer, "decision": None, "citations": citations,
            "warnings": self._validity_warnings(citations, day), "facts": replace(new_facts, lookup=q[-200:]).to_dict(),
        }

    def _clauses_by_doc(self) -> dict[str, list[dict]]:
        """The index's clauses by 文号 (the index is the unit of truth, never the corpus folder)."""
        if getattr(self, "_by_doc", None) is None:
            by_doc: dict[str, list[dict]] = {}
            for c in self.index.clauses:
                by_doc.setdefault(c["doc"], []).append(c)
            self._by_doc = by_doc
        return self._by_doc

    def _relevant(self, hit, mode: str) -> bool:
        if mode == "bm25":
            return hit.bm25 >= MIN_BM25
        if mode == "dense":
            return hit.dense >= MIN_DENSE
        return hit.bm25 >= MIN_BM25 or hit.dense >= MIN_DENSE

    def _rule_answer(self, outcome, nq, day: dt.date, retriever: str) -> dict:
        # rule citations read like retrieval ones: the document's own labels, cut flags, 公文 form
        citations = with_references(outcome.citations, clauses=self._clauses_by_doc(), whole_under=SHORT_CLAUSE)
        citations, where = merge_same_clause(citations, self._clauses_by_doc())
        answer = renumber(outcome.answer, where)
        decision = outcome.decision
        if decision and any(isinstance(c.get("citation"), int) for c in decision.get("conditions") or []):
            decision = dict(decision, conditions=[dict(c, citation=where.get(c["citation"], c["citation"]))
                                                  if isinstance(c.get("citation"), int) else c
                                                  for c in decision["conditions"]])
        # supporting clauses from retrieval, after the rule's own citations (indices stay valid)
        cited = {(c["doc"], c.get("section")) for c in citations}
        cited_quotes = [c["quote"] for c in citations]
        support = []
        # A follow-up question stands alone: clauses picked by words before the deciding facts
        # are known (region, direction) would mostly be other regions' or the other direction's.
        # On a later turn the region may come from the carried facts, not from this turn's words.
        region = getattr(outcome.facts, "region", None)
        provinces = nq.provinces or ((rules.lexicon.regions()[region]["province"],)
                                     if region in rules.lexicon.regions() else ())
        # an eligibility verdict cites its own conditions; extra clauses there are noise to a worker
        decided = bool(outcome.decision) and outcome.decision.get("eligible") is not None
        # a fact table or a comparison is built from its own clauses: more would be noise too
        table = outcome.decision is None
        candidates = [] if outcome.route != "rules" or decided or table else \
            self.index.search(nq.expanded, SUPPORT_K + 4, retriever, provinces, nq.text, nq.docs)
        for h in candidates:
            c = citation_from_clause(h.clause)
            if (c["doc"], c["section"]) in cited or any(c["quote"] in q or q in c["quote"] for q in cited_quotes):
                continue
            if len(support) < SUPPORT_K and self._relevant(h, retriever):
                support.append(c)
        if support:
            start = len(citations) + 1
            answer += "\n\n**相关条款**\n" + "\n".join(
                f"- 【{start + i}】{c['doc']} {c['section']}：“{c['quote']}”" for i, c in enumerate(support))
            citations += with_references(support, align=False)
        warnings = list(outcome.warnings)
        warned = {c["doc"] for c in citations if any(c["doc"] in w for w in warnings)}
        warnings += self._validity_warnings([c for c in citations if c["doc"] not in warned], day)
        return {
            "route": outcome.route, "answer": answer, "decision": decision, "citations": citations,
            "warnings": warnings, "facts": replace(outcome.facts, lookup=None).to_dict(),
        }

    @staticmethod
    def _clause_answer(ruled: dict, q: str) -> dict:
        """A rule answer's own citations as a lookup answer: the first line names the document and
        section, then the verbatim quotes (the verdict was given in the turn before)."""
        citations = [c for c in ruled["citations"] if c.get("quote")]
        if not citations:
            return ruled
        first = citations[0]
        lines = [f"您问的依据是{first['doc']}{first.get('section') or ''}，原文如下【1】。", "", "**原文摘录**",
                 *quote_list(citations), "", CLOSING_LINE]
        return {"route": "retrieval", "answer": "\n".join(lines), "decision": None, "citations": citations,
                "warnings": ruled["warnings"], "facts": dict(ruled["facts"], lookup=q[-200:])}

    def _validity_warnings(self, citations: list[dict], day: dt.date) -> list[str]:
        out = []
        for doc in dict.fromkeys(c["doc"] for c in citations):
            meta = self.catalog.get(doc)
            if meta is None:
                continue
            state = meta.validity_on(day)
            if state == "expired":
                out.append(f"{doc} 已于 {meta.valid_until:%Y年%m月%d日} 到期"
                           f"（{meta.validity_note or '有效期已过'}），所引条款仅供参考，请核实是否有新规定。")
            elif state == "not_yet":
                out.append(f"{doc} 自 {meta.effective:%Y年%m月%d日} 起施行，在 {day:%Y年%m月%d日} 尚未生效。")
        return out

    @staticmethod
    def _out_of_scope(message: str, facts) -> dict:
        return {"route": "out_of_scope", "answer": message, "decision": None, "citations": [], "warnings": [],
                "facts": facts.to_dict() if facts is not None else {}}

    @staticmethod
    def _error(message: str, internal: bool = False) -> dict:
        # error_kind tells bad input ("input") from a fault of ours ("internal"), which the eval
        # gate counts as a crash even where the gold route is "error".
        return {"route": "error", "answer": message, "error": message, "error_kind": "internal" if internal else "input",
                "decision": None, "citations": [], "warnings": [], "facts": {}}


def _asked_again(earlier: str, turn: str) -> str:
    """The earlier lookup question with the level this turn names put in place of its own (a 副高 question
    then "中级呢" asks it for 中级); else both, joined."""
    aliases = rules.lexicon.level_aliases()
    def found(text: str) -> list[tuple[str, str]]:
        return [(a, aliases[a][0]) for a in sorted(aliases, key=len, reverse=True) if a in text]
    new = found(turn)
    if len(new) >= 1:
        alias, kind = new[0]
        old = next((a for a, k in found(earlier) if k == kind), None)
        if old:
            return earlier.replace(old, alias)
    return earlier + "；" + turn
