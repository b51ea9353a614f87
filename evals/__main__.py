"""`python -m evals run | compare | gate | bench | feedback export`: score a question set, compare retrievers,
gate CI, bench, turn chat feedback into draft items."""
from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
from pathlib import Path

from evals import report
from evals.dataset import DEFAULT_AS_OF, DEFAULT_SET, SetError, load_set
from evals.runner import BASE_RETRIEVERS, RetrieverSpec, load_assistant, run_set, st_model_from_env

REPO = Path(__file__).resolve().parents[1]


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def _progress(label: str):
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{label}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
    return show


def _run_one(spec: RetrieverSpec, items: list[dict], set_path: Path, as_of: str, assistant=None):
    assistant = assistant or load_assistant(spec)
    # one untimed ask first: lazy loads (encoder, jieba dictionary) are start-up cost, not query latency
    assistant.ask("四川高级工评助理级职称需要什么条件", as_of=as_of, retriever=spec.mode)
    return run_set(items, assistant, retriever=spec.name, mode=spec.mode, default_as_of=as_of,
                   set_path=_display(set_path), progress=_progress(spec.name))


def _clean(obj):
    """JSON-safe copy (NaN → null)."""
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def _write_json(path: Path, result, items) -> None:
    per_item = []
    for item, s, ans in zip(items, result.scores, result.answers):
        per_item.append({"id": s.id, "category": s.category, "gold_route": s.gold_route, "route": s.route,
                         "route_ok": s.route_ok, "decision_ok": s.decision_ok, "rank": s.rank,
                         "facts_found": s.facts_found, "facts_total": s.facts_total,
                         "first_facts_found": s.first_facts_found, "noisy": s.noisy, "cited": s.cited,
                         "confident_wrong": s.confident_wrong, "answer_chars": s.answer_chars,
                         "latency_ms": s.latencies_ms, "answer": ans})
    data = {"retriever": result.retriever, "set": result.set_path, "metrics": result.metrics,
            "categories": result.categories, "items": per_item}
    path.write_text(json.dumps(_clean(data), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _print_run(result, items) -> None:
    print(f"Question set: {result.set_path} — {result.metrics['items']} items; retriever: {result.retriever}; "
          f"{result.seconds:.1f} s\n")
    print(report.metrics_table([result]))
    print("\nDecisions (rows: gold, columns: predicted)")
    print(report.confusion_table(result.metrics))
    print("\nPer category")
    print(report.category_table(result.categories))
    print("\nAnswer length by route (characters before the quotes)")
    print(report.length_table([result]))
    fails = report.failures(result, items, limit=25)
    if fails:
        print(f"\nMisses (route / decision), first {min(25, len(fails))}:")
        for f in fails:
            print("  " + f)


def cmd_run(args) -> int:
    set_path = Path(args.set)
    items = load_set(set_path)
    result = _run_one(RetrieverSpec.parse(args.retriever), items, set_path, args.as_of)
    command = "python -m evals " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    if args.report:     # files first: a closed stdout pipe must not lose them
        Path(args.report).write_text(report.markdown_report(result, items, command), encoding="utf-8")
    if args.json:
        _write_json(Path(args.json), result, items)
    _print_run(result, items)
    for label, path in (("report", args.report), ("per-item JSON", args.json)):
        if path:
            print(f"{label} written to {path}")
    if args.gate:
        return _gate(result, args)
    return 0


def compare_specs(extra: list[str]) -> list[RetrieverSpec]:
    names = list(BASE_RETRIEVERS)
    st = st_model_from_env()
    if st:
        names += [f"st:{st}", f"hybrid:st:{st}"]
    names += [n for n in extra if n not in names]
    return [RetrieverSpec.parse(n) for n in names]


def cmd_compare(args) -> int:
    set_path = Path(args.set)
    items = load_set(set_path)
    results, loaded = [], {}
    for spec in compare_specs(args.also or []):
        if spec.embedder not in loaded:            # bm25 / dense / hybrid share one loaded index
            loaded[spec.embedder] = load_assistant(spec)
        results.append(_run_one(spec, items, set_path, args.as_of, loaded[spec.embedder]))
    if not st_model_from_env():
        print("(set GUANTONG_ST_MODEL=<local sentence-transformers model> to add an st: column)\n")
    print(f"Question set: {_display(set_path)} — {len(items)} items\n")
    print(report.metrics_table(results))
    print("\nhit@5 per category")
    cats = sorted({c for r in results for c in r.categories})
    rows = [[c, str(results[0].categories[c]["citation_items"])] +
            [report.fmt(r.categories[c]["hit@5"]) for r in results] for c in cats]
    print(report.table(["category", "n cited"] + [r.retriever for r in results], rows))
    if args.report:
        md = ["# Retriever comparison", "", (f"Set: `{_display(set_path)}` ({len(items)} items). "
                                                 "Command: `python -m evals compare`."), "", report.metrics_table(results, markdown=True), "",
              "## hit@5 per category", "",
              report.table(["category", "n cited"] + [r.retriever for r in results], rows, markdown=True), ""]
        Path(args.report).write_text("\n".join(md), encoding="utf-8")
        print(f"\nreport written to {args.report}")
    return 0


def _gate(result, args) -> int:
    from evals import gate

    if args.update_baseline:
        data = gate.write_baseline(result.metrics, result.retriever, result.set_path, margin=args.margin
                                   if args.margin is not None else gate.DEFAULT_MARGIN)
        print(f"\nbaseline written to {_display(gate.BASELINE)}: {data['metrics']}")
    outcome = gate.check(result.metrics, gate.load_baseline(), args.margin)
    print("\nGate")
    for line in outcome.lines:
        print("  " + line)
    print("GATE PASSED" if outcome.passed else "GATE FAILED")
    return 0 if outcome.passed else 1


def cmd_gate(args) -> int:
    set_path = Path(args.set)
    items = load_set(set_path)
    result = _run_one(RetrieverSpec.parse(args.retriever), items, set_path, args.as_of)
    print(report.metrics_table([result]))
    fails = report.failures(result, items, limit=25)
    if fails:
        print("\nMisses:")
        for f in fails:
            print("  " + f)
    return _gate(result, args)


def cmd_bench(args) -> int:
    from evals import bench

    scales = [int(x) for x in args.scale.split(",") if x.strip()]
    return bench.main(scales=scales, set_path=Path(args.set), out=Path(args.out), as_of=args.as_of)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("--set", default=str(DEFAULT_SET), help="question set (JSONL, schema in evals/README.md)")
        p.add_argument("--as-of", default=DEFAULT_AS_OF, help="date for items without as_of (YYYY-MM-DD)")

    def gate_opts(p):
        p.add_argument("--update-baseline", action="store_true", help="write evals/baseline.json from this run")
        p.add_argument("--margin", type=float, default=None, help="allowed drop below the baseline (default 0.02)")

    p = sub.add_parser("run", help="score a question set and print the metrics table")
    common(p)
    p.add_argument("--retriever", default="hybrid", help="bm25 | dense | hybrid | st:<model> | hybrid:st:<model>")
    p.add_argument("--report", help="also write a Markdown report here")
    p.add_argument("--json", help="also write metrics and every answer as JSON here")
    p.add_argument("--gate", action="store_true", help="apply the CI gate to this run (exit 1 on failure)")
    gate_opts(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("compare", help="bm25 / dense / hybrid (and st:$GUANTONG_ST_MODEL) side by side")
    common(p)
    p.add_argument("--also", action="append", help="another retriever spec to add (repeatable)")
    p.add_argument("--report", help="also write a Markdown table here")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("gate", help="CI gate: exit 1 on quote validity/decision accuracy < 1 or a regression")
    common(p)
    p.add_argument("--retriever", default="hybrid")
    gate_opts(p)
    p.set_defaults(func=cmd_gate)

    p = sub.add_parser("bench", help="ingest / cold start / warm latency / RSS / ×k scaling → docs/benchmarks.md")
    common(p)
    p.add_argument("--scale", default="1,10,100", help="comma-separated corpus multipliers")
    p.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    p.set_defaults(func=cmd_bench)

    from evals import feedback
    feedback.add_parser(sub)

    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except SetError as exc:
        print(f"question set error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:     # `python -m evals run | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
