"""Deterministic scoring of answer objects against gold items: pure functions, no I/O, no model."""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

ROUTES = ("rules", "retrieval", "clarify", "out_of_scope", "error")
# Confusion-matrix labels for `decision.eligible` (true / false / null) and a missing decision.
CAN, CANNOT, UNKNOWN, NO_DECISION = "可以", "不可以", "信息不足", "无判定"
DECISION_LABELS = (CAN, CANNOT, UNKNOWN)
PRED_LABELS = (CAN, CANNOT, UNKNOWN, NO_DECISION)

_WS = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """Whitespace-free form: how quotes and key passages are compared (the contract's rule)."""
    return _WS.sub("", text or "")


def fold(text: str | None) -> str:
    """Whitespace-free, width-folded (NFKC) form used for key facts in free answer text."""
    return squash(unicodedata.normalize("NFKC", text or ""))


# --- routes ------------------------------------------------------------------------------------

def route_ok(gold: str, predicted: str | None, also_accept: Sequence[str] = ()) -> bool:
    return predicted == gold or (predicted is not None and predicted in also_accept)


# --- decisions ---------------------------------------------------------------------------------

# Order matters: the longer / more specific level names are tested first.
_TARGETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("首席技师", ("首席技师",)),
    ("特级技师", ("特级技师",)),
    ("高级技师", ("高级技师", "一级")),
    ("技师", ("技师", "二级")),
    ("高级工", ("高级工", "三级")),
    ("中级工", ("中级工", "四级")),
    ("初级工", ("初级工", "五级")),
    ("学徒工", ("学徒工",)),
    ("正高级", ("正高",)),
    ("副高级", ("副高", "高级职称", "高级")),
    ("中级", ("中级",)),
    ("初级", ("助理", "初级", "员级")),
)


_ENGINEER_TITLES = (("正高级工程师", "正高级"), ("高级工程师", "副高级"), ("助理工程师", "初级"), ("工程师", "中级"))


def normalize_target(target: str | None) -> str | None:
    """Canonical level: 助理级职称/初级职称 → 初级, 高级职称/副高级职称 → 副高级, 三级 → 高级工 …"""
    if not target:
        return None
    t = squash(unicodedata.normalize("NFKC", str(target)))
    for title, canonical in _ENGINEER_TITLES:  # 高级工程师 contains 高级工: settle the title family first
        if title in t:
            return canonical
    for canonical, keys in _TARGETS:
        if any(k in t for k in keys):
            return canonical
    return t


_REGIONS = (("黄石", ("黄石", "湖北", "大冶", "阳新")), ("四川", ("四川", "川")), ("上海", ("上海", "沪")),
            ("江苏", ("江苏", "苏", "南通")))


def normalize_region(region: str | None) -> str | None:
    if not region:
        return None
    r = str(region)
    for canonical, keys in _REGIONS:
        if any(k in r for k in keys):
            return canonical
    return r


def eligible_label(decision: dict | None) -> str:
    if not isinstance(decision, dict) or "eligible" not in decision:
        return NO_DECISION
    e = decision.get("eligible")
    return CAN if e is True else CANNOT if e is False else UNKNOWN


def decision_ok(gold: dict, predicted: dict | None) -> bool:
    """Eligible must match exactly; target and region are checked when the gold names them."""
    if eligible_label(predicted) != eligible_label(gold):
        return False
    assert predicted is not None
    if gold.get("target") and normalize_target(predicted.get("target")) != normalize_target(gold["target"]):
        return False
    return not (gold.get("region")
                and normalize_region(predicted.get("region")) != normalize_region(gold["region"]))


def confusion(pairs: Iterable[tuple[dict, dict | None]]) -> dict[str, dict[str, int]]:
    """gold label → predicted label → count, over (gold decision, predicted decision) pairs."""
    m = {g: {p: 0 for p in PRED_LABELS} for g in DECISION_LABELS}
    for gold, pred in pairs:
        m[eligible_label(gold)][eligible_label(pred)] += 1
    return m


# --- citations ---------------------------------------------------------------------------------

def key_passages(item_key_passage) -> list[str]:
    if item_key_passage is None:
        return []
    if isinstance(item_key_passage, str):
        return [item_key_passage]
    return list(item_key_passage)


def citation_hits(citation: dict, gold_docs: Sequence[str], passages: Sequence[str]) -> bool:
    """A citation hits when its document is a gold document and its quote contains a key passage."""
    if citation.get("doc") not in gold_docs:
        return False
    quote = squash(citation.get("quote"))
    return any(squash(p) in quote for p in passages)


def first_hit_rank(citations: Sequence[dict], gold_docs: Sequence[str], passages: Sequence[str]) -> int | None:
    """1-based rank of the first hitting citation, or None."""
    for i, c in enumerate(citations, 1):
        if citation_hits(c, gold_docs, passages):
            return i
    return None


def hit_at(ranks: Sequence[int | None], k: int) -> float:
    return _mean([1.0 if r is not None and r <= k else 0.0 for r in ranks])


def mrr(ranks: Sequence[int | None]) -> float:
    return _mean([1.0 / r if r else 0.0 for r in ranks])


def quote_validity(quotes: Sequence[tuple[str, str]], is_verbatim: Callable[[str, str], bool]) -> float:
    """Share of (doc, quote) pairs that are verbatim corpus text; 1.0 when there are none."""
    if not quotes:
        return 1.0
    return sum(1 for doc, q in quotes if is_verbatim(q, doc)) / len(quotes)


# --- key facts ---------------------------------------------------------------------------------

def facts_found(answer: str | None, facts: Sequence[str]) -> int:
    a = fold(answer)
    return sum(1 for f in facts if fold(f) and fold(f) in a)


# --- direct answer: does the first sentence answer? ---------------------------------------------

_MARKUP = re.compile(r"^[\s*#>\-|]+")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_MARKERS = re.compile(r"^(?:【\d+】)+")


def first_sentence(answer: str | None) -> str:
    """The answer's first sentence: up to the first 。！？ or line break (Markdown bullets and bold
    dropped), with the 【n】 markers right after it — what a reader sees before anything else."""
    text = (answer or "").strip()
    while text:
        text = _MARKUP.sub("", text)
        m = _SENTENCE_END.search(text)
        head = text[:m.end()] if m else text
        if head.strip(" \n*|-"):  # skip a line that is only markup
            rest = text[len(head):]
            marks = _MARKERS.match(rest)
            return (head + (marks.group(0) if marks else "")).strip()
        text = text[len(head):]
    return ""


# --- noise: cited clauses outside the gold documents / sections --------------------------------

_SECTION_KEY = re.compile(r"^(附件\d*)?([一二三四五六七八九十]+、)?(\([一二三四五六七八九十]+\))?")


def section_key(section: str | None) -> str:
    """The part and sub-part a section label lies in ('附件1 五、（二）4.' → '附件1五、(二)'),
    bracket width and spaces ignored, so labels of either style compare. Unnumbered labels
    (文首, 落款, a source-gap label) are their own key."""
    s = fold(section)
    m = _SECTION_KEY.match(s)
    if m and m.group(0):
        return m.group(0)
    return re.split(r"[(\d]", s, maxsplit=1)[0] or s


_CN_NUM = "一二三四五六七八九十"
_RANGE = re.compile(r"([一二三四五六七八九十]+)(、|\))至\(?([一二三四五六七八九十]+)[、)]")


def section_keys(section: str | None) -> set[str]:
    """Every `section_key` a label covers: a range label ('附件1 一、至三、') covers each part in it."""
    s = fold(section)
    m = _RANGE.search(s)
    if not m or len(m.group(1)) > 1 or len(m.group(3)) > 1:
        return {section_key(section)}
    lo, hi = _CN_NUM.index(m.group(1)), _CN_NUM.index(m.group(3))
    return {section_key(s[:m.start()] + _CN_NUM[k] + m.group(2)) for k in range(lo, hi + 1)}


def noisy_citations(answer: dict, gold_docs: Sequence[str], gold_sections: set[tuple[str, str]] | None) -> tuple[int, int]:
    """(noisy, counted) citations of one answer. A citation is noise when its document is not a gold
    document, or — when the gold clause is known — its section lies outside every part/sub-part
    (`section_key`) that holds the key passage in that document. Citations a decision condition
    points at are the decision's evidence and not counted."""
    citations = answer.get("citations") or []
    evidence = {c.get("citation") for c in ((answer.get("decision") or {}).get("conditions") or [])
                if isinstance(c, dict)}
    noisy = counted = 0
    for i, c in enumerate(citations):
        if i in evidence:
            continue
        counted += 1
        doc = c.get("doc")
        known = bool(gold_sections) and any(d == doc for d, _ in gold_sections)
        off_section = known and not any((doc, k) in gold_sections for k in section_keys(c.get("section")))
        noisy += doc not in gold_docs or off_section
    return noisy, counted


# --- abstention --------------------------------------------------------------------------------

@dataclass
class PRF:
    precision: float
    recall: float
    f1: float
    tp: int = 0
    fp: int = 0
    fn: int = 0


def prf(gold: Sequence[bool], predicted: Sequence[bool]) -> PRF:
    """Precision/recall/F1 of a binary label (here: 'the assistant abstained'). Empty → 1.0 by convention."""
    tp = sum(1 for g, p in zip(gold, predicted) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted) if not g and p)
    fn = sum(1 for g, p in zip(gold, predicted) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, tp, fp, fn)


# --- latency -----------------------------------------------------------------------------------

def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (numpy's default); NaN for no values."""
    if not values:
        return math.nan
    xs = sorted(values)
    pos = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else math.nan


# --- one item, and a whole run -----------------------------------------------------------------

@dataclass
class ItemScore:
    """Everything scored about one gold item; `summarize` aggregates a list of these."""
    id: str
    category: str
    gold_route: str
    route: str | None
    route_ok: bool
    decision_scored: bool = False
    decision_ok: bool | None = None
    gold_label: str | None = None
    pred_label: str | None = None
    rank: int | None = None
    citation_scored: bool = False
    facts_total: int = 0
    facts_found: int = 0
    gold_abstain: bool = False
    pred_abstain: bool = False
    warning_scored: bool = False
    warning_ok: bool | None = None
    first_facts_found: int = 0
    noise_scored: bool = False
    noisy: int = 0
    cited: int = 0
    confident_wrong: bool = False
    quotes: list[tuple[str, str]] = field(default_factory=list)
    answer_chars: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    crashed: bool = False


def score_item(item: dict, answer: dict, latencies_ms: Sequence[float] = (), crashed: bool = False,
               gold_sections: set[tuple[str, str]] | None = None) -> ItemScore:
    """Score the (final-turn) answer object of one gold item. `gold_sections`: (文号, section_key)
    of the clauses that hold the item's key passage (the runner finds them in the corpus)."""
    route = answer.get("route")
    also = item.get("also_accept_routes") or ()
    s = ItemScore(id=item["id"], category=item.get("category", ""), gold_route=item["route"], route=route,
                  route_ok=route_ok(item["route"], route, also), latencies_ms=list(latencies_ms), crashed=crashed)
    gold_dec = item.get("decision")
    pred_dec = answer.get("decision")
    if gold_dec is not None:
        s.decision_scored = True
        s.decision_ok = decision_ok(gold_dec, pred_dec)
        s.gold_label, s.pred_label = eligible_label(gold_dec), eligible_label(pred_dec)
        s.confident_wrong = s.pred_label in (CAN, CANNOT) and s.pred_label != s.gold_label
    citations = answer.get("citations") or []
    passages = key_passages(item.get("key_passage"))
    if passages:
        s.citation_scored = True
        s.rank = first_hit_rank(citations, item.get("gold_docs") or [], passages)
    facts = item.get("key_facts") or []
    s.facts_total, s.facts_found = len(facts), facts_found(answer.get("answer"), facts)
    s.first_facts_found = facts_found(first_sentence(answer.get("answer")), facts)
    gold_docs = item.get("gold_docs") or []
    if gold_docs and citations:
        s.noise_scored = True
        s.noisy, s.cited = noisy_citations(answer, gold_docs, gold_sections)
    s.answer_chars = len(answer_body(answer.get("answer")))
    s.gold_abstain = item["route"] == "out_of_scope"
    s.pred_abstain = route == "out_of_scope" or (s.gold_abstain and route in also)
    if "expect_warning" in item:
        s.warning_scored = True
        s.warning_ok = bool(answer.get("warnings")) == bool(item["expect_warning"])
    s.quotes = [(c.get("doc", ""), c.get("quote", "")) for c in citations]
    return s


def answer_body(answer: str | None) -> str:
    """The answer text before its list of quotes (what a reader reads before the sources): up to the
    first "- 【n】" quote line, without the bold heading line right above it."""
    lines = (answer or "").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("- 【"):
            j = i
            while j > 0 and (not lines[j - 1].strip() or lines[j - 1].startswith("**")):
                j -= 1
            return "\n".join(lines[:j]).strip()
    return (answer or "").strip()


HEADLINE = ("route_accuracy", "hit@5", "mrr", "key_fact_recall", "abstention_f1", "direct_answer")
# Lower is better: the gate fails when one rises more than the margin above the baseline.
HEADLINE_LOWER = ("noise",)


def summarize(scores: Sequence[ItemScore], is_verbatim: Callable[[str, str], bool]) -> dict:
    """Aggregate metrics of a run (numbers only; NaN where a metric has no items)."""
    dec = [s for s in scores if s.decision_scored]
    cit = [s for s in scores if s.citation_scored]
    ranks = [s.rank for s in cit]
    facts_total = sum(s.facts_total for s in scores)
    quotes = [q for s in scores for q in s.quotes]
    ab = prf([s.gold_abstain for s in scores], [s.pred_abstain for s in scores])
    warn = [s for s in scores if s.warning_scored]
    lat = [x for s in scores for x in s.latencies_ms]
    m = confusion([])
    for s in dec:
        m[s.gold_label][s.pred_label] += 1
    return {
        "items": len(scores),
        "route_accuracy": _mean([1.0 if s.route_ok else 0.0 for s in scores]),
        "decision_items": len(dec),
        "decision_accuracy": _mean([1.0 if s.decision_ok else 0.0 for s in dec]),
        "eligible_accuracy": _mean([1.0 if s.gold_label == s.pred_label else 0.0 for s in dec]),
        "confusion": m,
        "citation_items": len(cit),
        "hit@1": hit_at(ranks, 1), "hit@3": hit_at(ranks, 3), "hit@5": hit_at(ranks, 5),
        "mrr": mrr(ranks),
        "quotes": len(quotes),
        "quote_validity": quote_validity(quotes, is_verbatim),
        "key_facts": facts_total,
        "key_fact_recall": sum(s.facts_found for s in scores) / facts_total if facts_total else math.nan,
        "direct_answer": sum(s.first_facts_found for s in scores) / facts_total if facts_total else math.nan,
        "noise": (sum(s.noisy for s in scores) / cited) if (cited := sum(s.cited for s in scores)) else math.nan,
        "cited_clauses": cited,
        "confident_wrong": sum(1 for s in dec if s.confident_wrong),
        "abstention_precision": ab.precision, "abstention_recall": ab.recall, "abstention_f1": ab.f1,
        "warning_items": len(warn),
        "warning_accuracy": _mean([1.0 if s.warning_ok else 0.0 for s in warn]),
        "crashes": sum(1 for s in scores if s.crashed),
        "latency_p50_ms": percentile(lat, 50), "latency_p95_ms": percentile(lat, 95),
        "latency_p99_ms": percentile(lat, 99),
    }


def by_category(scores: Sequence[ItemScore], is_verbatim: Callable[[str, str], bool]) -> dict[str, dict]:
    cats: dict[str, list[ItemScore]] = {}
    for s in scores:
        cats.setdefault(s.category, []).append(s)
    return {c: summarize(v, is_verbatim) for c, v in cats.items()}
