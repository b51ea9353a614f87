"""The bench: ingest time, cold start, warm latency, peak RSS, ×k scaling on a synthetic corpus, and
the served app (start → ready, first request, REST throughput at 1/10/50 connections, the Gradio path).

Every measurement runs in a fresh subprocess (`python -m evals.bench worker …`, `python app.py`) so
its peak RSS is its own (`os.wait4`) and a cold start is really cold. Results go to docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"warm_p95_x1_ms": 30.0, "warm_p95_x100_ms": 300.0, "peak_rss_x1_mb": 600.0, "cold_median_s": 2.0,
           "ready_s": 5.0, "first_request_ms": 50.0, "served_qps": 100.0, "served_p95_10_ms": 100.0}
COLD_RUNS = 5


# --- subprocess plumbing -----------------------------------------------------------------------

@dataclass
class Proc:
    seconds: float
    peak_rss_mb: float
    stdout: str
    returncode: int


def _env(data_dir: Path, corpus_dir: Path) -> dict:
    env = dict(os.environ)
    env["GUANTONG_DATA_DIR"] = str(data_dir)
    env["GUANTONG_CORPUS_DIR"] = str(corpus_dir)
    env.pop("GUANTONG_CHROMA_URL", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_measured(cmd: list[str], env: dict) -> Proc:
    """Run `cmd`, returning wall time, the child's own peak RSS (ru_maxrss, KiB on Linux) and stdout."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if p.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({p.returncode}):\n{stderr[-3000:]}")
    return Proc(seconds, usage.ru_maxrss / 1024, stdout, p.returncode)


def _worker(*args: str) -> list[str]:
    return [sys.executable, "-m", "evals.bench", "worker", *args]


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


# --- synthetic corpus --------------------------------------------------------------------------

def make_corpus(dst: Path, scale: int, source: Path | None = None, seed: int = 20261121) -> int:
    """The real corpus plus (scale-1) renamed, paragraph-shuffled copies of each document; returns #docs.

    A copy renames its 文号 (…号 → …号-副本k), its province/city (四川 → 四川副本k) in the text and the
    catalogue, and shuffles its paragraphs, so copies never answer for the real regions.
    """
    from ingest.corpus import load_catalog, load_documents

    source = Path(source or REPO / "corpus")
    dst.mkdir(parents=True, exist_ok=True)
    catalog = (source / "catalog.yaml").read_text(encoding="utf-8")
    entries = yaml.safe_load(catalog)["documents"]
    for e in entries:
        (dst / e["file"]).write_bytes((source / e["file"]).read_bytes())
    docs = load_documents(source)
    metas = {m.doc: m for m in load_catalog(source)}
    rng = random.Random(seed)
    for k in range(2, scale + 1):
        for d in docs:
            m = metas[d.meta.doc]
            regions = {m.province: f"{m.province}副本{k}"} | ({m.city: f"{m.city}副本{k}"} if m.city else {})
            text = d.text
            for old in [x.meta.doc for x in docs]:
                text = text.replace(old, f"{old}-副本{k}")
            for old, new in regions.items():
                text = text.replace(old, new)
            paras = [p for p in text.split("\n") if p.strip()]
            rng.shuffle(paras)
            fname = f"syn_{k:03d}_{len(entries):04d}.txt"
            (dst / fname).write_text("\n\n".join(paras) + "\n", encoding="utf-8")
            entries.append({
                "doc": f"{m.doc}-副本{k}", "file": fname, "title": f"{m.title}（副本{k}）", "issuer": m.issuer,
                "province": regions[m.province], "city": regions.get(m.city) if m.city else None,
                "issued": m.issued, "effective": m.effective, "valid_until": m.valid_until,
            })
    (dst / "catalog.yaml").write_text(
        "# synthetic corpus for `python -m evals bench` (real documents + renamed shuffled copies)\n"
        + yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(entries)


# --- the bench ---------------------------------------------------------------------------------

def _served(env: dict, items: list[dict]) -> dict:
    """The served app over the ×1 index (see evals/served.py); worker counts from GUANTONG_BENCH_WORKERS."""
    from evals.dataset import turns_of
    from evals.served import served_bench

    # first turns of the set, as the load; over-long items are bad input on purpose and are left out
    questions = [{"question": t, "as_of": i.get("as_of")} for i in items if i["route"] != "error"
                 for t in turns_of(i)[:1] if len(t.strip()) <= 2000]
    workers = tuple(int(x) for x in (os.environ.get("GUANTONG_BENCH_WORKERS") or "1,2").split(","))
    return served_bench(REPO, env, questions, workers)


def machine() -> dict:
    import psutil

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "nproc": usable, "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}",
            "embedder": os.environ.get("GUANTONG_EMBEDDER") or "use-multilingual (default)"}


def _routes(routes: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(routes.items(), key=lambda kv: -kv[1]))


def _ms(x: float) -> str:
    return f"{x:.1f}"


def main(scales: list[int], set_path: Path, out: Path, as_of: str) -> int:
    from evals.dataset import load_set, turns_of

    items = load_set(set_path)
    first_q = next(t for i in items if i["route"] == "rules" for t in turns_of(i))
    info = machine()
    rows, headline = [], {}
    with tempfile.TemporaryDirectory(prefix="guantong-bench-") as tmp:
        tmp = Path(tmp)
        for scale in sorted(set(scales) | {1}):
            corpus, data = tmp / f"corpus-x{scale}", tmp / f"index-x{scale}"
            ndocs = make_corpus(corpus, scale)
            env = _env(data, corpus)
            print(f"×{scale}: {ndocs} documents; ingesting …", file=sys.stderr, flush=True)
            ing = run_measured(_worker("ingest"), env)
            rep = json.loads(ing.stdout)
            size = dir_size_mb(data)
            if scale == 1:
                print("×1: cold start …", file=sys.stderr, flush=True)
                cold_cmd = [sys.executable, "-m", "assistant", "ask", first_q, "--json", "--as-of", as_of]
                first = run_measured(cold_cmd, env)  # the first start after a build writes the caches
                colds = [run_measured(cold_cmd, env) for _ in range(COLD_RUNS)]
                headline |= {"ingest_s": rep["seconds"], "ingest_wall_s": ing.seconds,
                             "ingest_rss_mb": ing.peak_rss_mb, "cold_first_s": first.seconds,
                             "cold_s": statistics.median(c.seconds for c in colds),
                             "cold_runs": [c.seconds for c in colds],
                             "cold_rss_mb": max(c.peak_rss_mb for c in colds)}
                headline["served"] = _served(env, items)
            print(f"×{scale}: warm queries over the set …", file=sys.stderr, flush=True)
            warm = run_measured(_worker("warm", "--set", str(set_path), "--as-of", as_of), env)
            lat = json.loads(warm.stdout)
            rows.append({"scale": scale, "docs": ndocs, "clauses": rep["clauses"], "ingest_s": rep["seconds"],
                         "ingest_rss_mb": ing.peak_rss_mb, "index_mb": size, **lat,
                         "query_rss_mb": warm.peak_rss_mb})
            if scale == 1:
                headline |= {f"warm_{k}": v for k, v in lat.items()} | {"warm_rss_mb": warm.peak_rss_mb}
    text = render(info, headline, rows, scales)
    # the load-test section is written by tests/test_load.py (GUANTONG_LOAD_REPORT); keep it
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if "\n## 负载测试" in old:
        text = text.rstrip("\n") + "\n\n" + old[old.index("\n## 负载测试") + 1:]
    out.write_text(text, encoding="utf-8")
    _update_readme(headline["served"], info)
    print(text)
    print(f"written to {out}", file=sys.stderr)
    return 0


def render(info: dict, h: dict, rows: list[dict], scales: list[int]) -> str:
    by = {r["scale"]: r for r in rows}
    big = max(by)
    rss_x1 = max(h["warm_rss_mb"], h["cold_rss_mb"])
    checks = [
        ("warm p95 at ×1", f"{_ms(h['warm_p95_ms'])} ms", "≤ 30 ms", h["warm_p95_ms"] <= TARGETS["warm_p95_x1_ms"]),
        (f"query p95 at ×{big}", f"{_ms(by[big]['p95_ms'])} ms", "≤ 300 ms (at ×100)",
         by[big]["p95_ms"] <= TARGETS["warm_p95_x100_ms"]),
        ("peak RSS at ×1 (answering)", f"{rss_x1:.0f} MB", "≤ 600 MB", rss_x1 <= TARGETS["peak_rss_x1_mb"]),
        (f"ingest ×{big} finishes", f"{by[big]['ingest_s']:.1f} s", "finishes", True),
        (f"cold CLI start, median of {COLD_RUNS}", f"{h['cold_s']:.2f} s", "≤ 2 s", h["cold_s"] <= TARGETS["cold_median_s"]),
    ]
    served_lines, served_checks = render_served(h["served"])
    checks += served_checks
    lines = [
        "# Benchmarks", "",
        "Produced by `python -m evals bench --scale " + ",".join(map(str, scales)) + "` "
        f"on {dt.date.today():%Y-%m-%d}; every number below comes from that command (do not edit by hand).", "",
        "## Machine", "",
        "| | |", "|---|---|",
        f"| CPU | {info['cpu']} |", f"| usable cores (nproc) | {info['nproc']} |", f"| RAM | {info['ram_gb']} GB |",
        f"| OS / Python | {info['os']} / {info['python']} |", f"| embedder | {info['embedder']} |", "",
        "## Default path (real corpus, ×1)", "",
        "| measure | value |", "|---|---:|",
        f"| full ingest into a fresh data dir (build_index) | {h['ingest_s']:.1f} s |",
        f"| ingest process wall time incl. imports | {h['ingest_wall_s']:.1f} s |",
        f"| peak RSS of the ingest process | {h['ingest_rss_mb']:.0f} MB |",
        (f"| cold start to first answer (`python -m assistant ask …` as a new process), median of {COLD_RUNS} | "
         f"{h['cold_s']:.2f} s |"),
        f"| … its {COLD_RUNS} runs | {' / '.join(f'{x:.2f}' for x in h['cold_runs'])} s |",
        f"| … the first start after a build (writes the tokenizer/dictionary caches) | {h['cold_first_s']:.2f} s |",
        f"| peak RSS of that process | {h['cold_rss_mb']:.0f} MB |",
        (f"| warm latency p50 / p95 / p99 over the question set ({h['warm_n']} asks) | "
        f"{_ms(h['warm_p50_ms'])} / {_ms(h['warm_p95_ms'])} / {_ms(h['warm_p99_ms'])} ms |"),
        f"| peak RSS while answering the whole set | {h['warm_rss_mb']:.0f} MB |", "",
        "## Scaling (synthetic corpus: the real documents plus renamed, paragraph-shuffled copies)", "",
        ("| scale | documents | clauses | ingest (s) | ingest peak RSS (MB) | index on disk (MB) | "
        "query p50 (ms) | query p95 (ms) | query p99 (ms) | query peak RSS (MB) | answers by route |"),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(f"| ×{r['scale']} | {r['docs']} | {r['clauses']} | {r['ingest_s']:.1f} | {r['ingest_rss_mb']:.0f} | "
                     f"{r['index_mb']:.1f} | {_ms(r['p50_ms'])} | {_ms(r['p95_ms'])} | {_ms(r['p99_ms'])} | "
                     f"{r['query_rss_mb']:.0f} | {_routes(r['routes'])} |")
    lines += served_lines
    lines += ["", "## Targets", "", "| target | measured | bound | |", "|---|---:|---|---|"]
    lines += [f"| {a} | {b} | {c} | {'met' if ok else '**missed**'} |" for a, b, c, ok in checks]
    lines += ["", ("Query latency is the wall time of `Assistant.ask` for every turn of every item of "
              "`evals/questions.jsonl` in one warm process (one warm-up ask first). Peak RSS is `ru_maxrss` "
              "of that process from `os.wait4`. Index size is everything under the data dir (Chroma, BM25, "
              "clause store). *Answers by route* shows the answers were real at every scale (a run of "
              "error answers would look fast); at ×10/×100 the copies compete with the real clauses, so "
              "routes may differ slightly from ×1."), ""]
    return "\n".join(lines)


def _update_readme(sv: dict, info: dict) -> None:
    """The README's throughput table (between its served-table markers), from the same numbers."""
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- served-table:start -->\n", "<!-- served-table:end -->"
    if start not in text or end not in text:
        return
    rows = ["| 路径 | 进程数 | 并发连接 | 问/秒 | p50 (ms) | p95 (ms) | 错误 |", "|---|---:|---:|---:|---:|---:|---:|"]
    for workers, row in sv["rest"].items():
        for lv in row["levels"]:
            rows.append(f"| `POST /api/v1/ask` | {workers} | {lv['connections']} | {lv['qps']:.0f} | {_ms(lv['p50_ms'])} | "
                        f"{_ms(lv['p95_ms'])} | {lv['errors']} |")
    g = sv.get("gradio")
    if g:
        rows.append(f"| Gradio `/ask`（gradio_client） | 1 | {g['connections']} | {g['qps']:.1f} | {_ms(g['p50_ms'])} | "
                    f"{_ms(g['p95_ms'])} | {g['errors']} |")
    rows.append(f"\n{dt.date.today():%Y-%m-%d}，{info['cpu']}，{info['nproc']} 核；负载生成器在同一台机器上；"
                f"开始时 1 分钟平均负载 {sv['uptime'][0]:.2f}。")
    head, rest = text.split(start, 1)
    readme.write_text(head + start + "\n".join(rows) + "\n" + end + rest.split(end, 1)[1], encoding="utf-8")


def render_served(sv: dict) -> tuple[list[str], list[tuple]]:
    load1, load5, load15 = sv["uptime"]
    lines = ["", "## Served app (`python app.py`, loopback)", "",
             (f"Load generator: `evals/served.py` (asyncio, one keep-alive HTTP/1.1 connection per client) on the "
              f"same machine, questions = first turns of the set in order. Machine load average when the served "
              f"bench started: {load1:.2f} / {load5:.2f} / {load15:.2f} (1 / 5 / 15 min) — other work on these "
              "cores makes every number below worse."), "",
             "| workers | start → `/healthz` ready | first request after ready (server / client) |",
             "|---:|---:|---:|"]
    for workers, row in sv["rest"].items():
        f = row["first"]
        lines.append(f"| {workers} | {row['ready_s']:.2f} s | {f['server_ms']:.1f} ms / {f['client_ms']:.1f} ms ({f['route']}) |")
    lines += ["", ("| path | workers | connections | requests | errors | q/s | p50 (ms) | p95 (ms) | p99 (ms) | "
              "server mean (ms) |"), "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for workers, row in sv["rest"].items():
        for lv in row["levels"]:
            lines.append(f"| `POST /api/v1/ask` | {workers} | {lv['connections']} | {lv['requests']} | {lv['errors']} | "
                         f"{lv['qps']:.0f} | {_ms(lv['p50_ms'])} | {_ms(lv['p95_ms'])} | {_ms(lv['p99_ms'])} | "
                         f"{_ms(lv['server_mean_ms'])} |")
    g = sv.get("gradio")
    if g:
        lines.append(f"| Gradio `/ask` (`gradio_client`, queue) | 1 | {g['connections']} | {g['requests']} | {g['errors']} | "
                     f"{g['qps']:.1f} | {_ms(g['p50_ms'])} | {_ms(g['p95_ms'])} | {_ms(g['p99_ms'])} | – |")
    lines += ["", ("*errors* counts transport failures, non-200 statuses and `route: error` answers. Each level is "
                   "bounded (300 / 1,500 / 1,500 requests, at most 20 s); the Gradio row 200 requests."), ""]
    best = max(sv["rest"], key=lambda w: min(lv["qps"] for lv in sv["rest"][w]["levels"] if lv["connections"] >= 10))
    row = sv["rest"][best]
    busy = [lv for lv in row["levels"] if lv["connections"] >= 10]
    ten = next(lv for lv in row["levels"] if lv["connections"] == 10)
    one = sv["rest"][min(sv["rest"])]
    checks = [
        (f"served q/s at 10–50 connections ({best} workers), errors", (f"{min(lv['qps'] for lv in busy):.0f} q/s, "
         f"{sum(lv['errors'] for lv in busy)} errors"), "≥ 100 q/s, 0 errors",
         min(lv["qps"] for lv in busy) >= TARGETS["served_qps"] and not sum(lv["errors"] for lv in busy)),
        (f"served p95 at 10 connections ({best} workers)", f"{_ms(ten['p95_ms'])} ms", "≤ 100 ms",
         ten["p95_ms"] <= TARGETS["served_p95_10_ms"]),
        ("start → /healthz ready (1 worker, existing index)", f"{one['ready_s']:.2f} s", "≤ 5 s",
         one["ready_s"] <= TARGETS["ready_s"]),
        ("first request after ready, server-side", f"{one['first']['server_ms']:.1f} ms", "≤ 50 ms",
         one["first"]["server_ms"] <= TARGETS["first_request_ms"]),
    ]
    return lines, checks


# --- worker subprocess -------------------------------------------------------------------------

def worker(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.bench worker")
    ap.add_argument("what", choices=["ingest", "warm"])
    ap.add_argument("--set")
    ap.add_argument("--as-of", default=None)
    args = ap.parse_args(argv)
    if args.what == "ingest":
        from ingest.index import build_index

        rep = build_index(rebuild=True)
        print(json.dumps({"seconds": rep.seconds, "clauses": rep.clauses, "embedded": rep.embedded}))
        return 0
    from assistant import Assistant
    from evals.dataset import DEFAULT_AS_OF, load_set, turns_of
    from evals.metrics import percentile
    from evals.runner import run_set

    items = load_set(args.set)
    a = Assistant.load(build_if_missing=False)
    a.ask(turns_of(items[0])[0], as_of=args.as_of)              # warm-up: lazy loads happen here
    result = run_set(items, a, default_as_of=args.as_of or DEFAULT_AS_OF, is_verbatim=lambda q, d: True)
    lat = [x for s in result.scores for x in s.latencies_ms]
    routes = {}
    for s in result.scores:
        routes[s.route] = routes.get(s.route, 0) + 1
    # route counts prove the answers were real (a fast run of error answers would look "fast")
    print(json.dumps({"n": len(lat), "p50_ms": percentile(lat, 50), "p95_ms": percentile(lat, 95),
                      "p99_ms": percentile(lat, 99), "routes": routes,
                      "route_accuracy": result.metrics["route_accuracy"]}))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        sys.exit(worker(sys.argv[2:]))
    sys.exit("usage: python -m evals bench  (this module's own entry is the bench worker)")
