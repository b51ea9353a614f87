"""Tables for a terminal (CJK-aligned) and for Markdown reports."""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from evals.metrics import DECISION_LABELS, PRED_LABELS

METRIC_ROWS = (
    ("route_accuracy", "route accuracy"),
    ("decision_accuracy", "decision accuracy"),
    ("eligible_accuracy", "eligible (可以/不可以/信息不足) accuracy"),
    ("hit@1", "citation hit@1"),
    ("hit@3", "citation hit@3"),
    ("hit@5", "citation hit@5"),
    ("mrr", "citation MRR"),
    ("quote_validity", "quote validity"),
    ("key_fact_recall", "key-fact recall"),
    ("direct_answer", "direct answer (key facts in 1st sentence)"),
    ("noise", "noise (cited clauses off gold doc/section)"),
    ("confident_wrong", "confident wrong (eligible true/false ≠ gold)"),
    ("abstention_precision", "abstention precision"),
    ("abstention_recall", "abstention recall"),
    ("abstention_f1", "abstention F1"),
    ("warning_accuracy", "validity-warning accuracy"),
    ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
)
COUNT_NOTES = {"decision_accuracy": "decision_items", "eligible_accuracy": "decision_items",
               "hit@1": "citation_items", "hit@3": "citation_items", "hit@5": "citation_items",
               "mrr": "citation_items", "quote_validity": "quotes", "key_fact_recall": "key_facts",
               "direct_answer": "key_facts", "noise": "cited_clauses", "confident_wrong": "decision_items",
               "warning_accuracy": "warning_items"}


def fmt(value, key: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if key.endswith("_ms"):
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int, right: bool) -> str:
    gap = " " * (w - _width(s))
    return gap + s if right else s + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool = False) -> str:
    if markdown:
        out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in
                                                                 range(len(headers))) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    widths = [max(_width(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda r: "  ".join(_pad(str(x), w, i > 0) for i, (x, w) in enumerate(zip(r, widths)))
    return "\n".join([line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def metrics_table(results: Sequence, markdown: bool = False) -> str:
    """One column per run (one run for `run`, several for `compare`)."""
    headers = ["metric"] + [r.retriever for r in results]
    rows = []
    for key, label in METRIC_ROWS:
        cells = []
        for r in results:
            cell = fmt(r.metrics.get(key), key)
            if key in COUNT_NOTES:
                cell += f" (n={r.metrics.get(COUNT_NOTES[key])})"
            cells.append(cell)
        rows.append([label] + cells)
    rows.append(["items / crashes"] + [f"{r.metrics['items']} / {r.metrics['crashes']}" for r in results])
    return table(headers, rows, markdown)


def confusion_table(metrics: dict, markdown: bool = False) -> str:
    m = metrics["confusion"]
    rows = [[f"gold {g}"] + [str(m[g][p]) for p in PRED_LABELS] for g in DECISION_LABELS]
    return table(["", *[f"pred {p}" for p in PRED_LABELS]], rows, markdown)


def category_table(categories: dict[str, dict], markdown: bool = False) -> str:
    headers = ["category", "n", "route", "decision", "hit@5", "MRR", "facts", "p50 ms"]
    rows = []
    for cat in sorted(categories):
        c = categories[cat]
        rows.append([cat, str(c["items"]), fmt(c["route_accuracy"]), fmt(c["decision_accuracy"]),
                     fmt(c["hit@5"]), fmt(c["mrr"]), fmt(c["key_fact_recall"]),
                     fmt(c["latency_p50_ms"], "_ms")])
    return table(headers, rows, markdown)


def length_table(results: Sequence, markdown: bool = False) -> str:
    """Answer length by route: characters before the quote list (median, p90, max) and the share
    that fits one phone screen (SCREEN_CHARS)."""
    from evals.metrics import percentile

    rows = []
    for r in results:
        by_route: dict[str, list[int]] = {}
        for s in r.scores:
            by_route.setdefault(s.route or "–", []).append(s.answer_chars)
        for route in sorted(by_route):
            xs = by_route[route]
            fits = sum(1 for x in xs if x <= SCREEN_CHARS) / len(xs)
            rows.append([f"{r.set_path} {route}" if len(results) > 1 else route, str(len(xs)),
                         f"{percentile(xs, 50):.0f}", f"{percentile(xs, 90):.0f}", str(max(xs)), f"{fits:.2f}"])
    return table(["route", "n", "median chars", "p90", "max", f"≤{SCREEN_CHARS} chars"], rows, markdown)


# One phone screen: about 18 lines of 17 CJK characters at the default font size.
SCREEN_CHARS = 300


def failures(result, items: Sequence[dict], limit: int = 40) -> list[str]:
    """Human-readable lines for route / decision misses (the first `limit`)."""
    out = []
    for item, s, ans in zip(items, result.scores, result.answers):
        problems = []
        if not s.route_ok:
            problems.append(f"route {s.route} ≠ {s.gold_route}")
        if s.decision_scored and not s.decision_ok:
            d = ans.get("decision") or {}
            g = item["decision"]
            problems.append(f"decision {s.pred_label}/{d.get('target')}/{d.get('region')} ≠ "
                            f"{s.gold_label}/{g.get('target')}/{g.get('region')}")
        if s.crashed:
            problems.append(f"crash: {ans.get('error')}")
        if problems:
            q = " ⏎ ".join(item["turns"]) if "turns" in item else item["question"]
            q = q if len(q) <= 60 else q[:57] + "…"
            out.append(f"{s.id} [{s.category}] {q!r}: " + "; ".join(problems))
    return out[:limit] + ([f"… and {len(out) - limit} more"] if len(out) > limit else [])


def markdown_report(result, items: Sequence[dict], command: str) -> str:
    parts = [f"# Evaluation report: `{result.retriever}`", "",
             (f"Set: `{result.set_path}` ({result.metrics['items']} items). Command: `{command}`. "
              f"Wall time {result.seconds:.1f} s."), "",
             "## Metrics", "", metrics_table([result], markdown=True), "",
             "## Decisions (可以 / 不可以 / 信息不足)", "", confusion_table(result.metrics, markdown=True), "",
             "## Per category", "", category_table(result.categories, markdown=True), "",
             "## Answer length by route (before the quotes)", "", length_table([result], markdown=True), ""]
    fails = failures(result, items, limit=200)
    parts += ["## Misses", ""] + ([f"- {f}" for f in fails] or ["none"]) + [""]
    return "\n".join(parts)
