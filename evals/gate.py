"""The CI gate: hard floors (quote validity, decision accuracy) and no regression against a baseline."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from evals.metrics import HEADLINE, HEADLINE_LOWER

BASELINE = Path(__file__).resolve().parent / "baseline.json"
DEFAULT_MARGIN = 0.02
HARD_FLOORS = {"quote_validity": 1.0, "decision_accuracy": 1.0}
# Counts that must be zero: a "yes" or "no" where the gold says otherwise (or says 信息不足).
HARD_ZERO = ("confident_wrong",)


@dataclass
class GateResult:
    passed: bool
    lines: list[str]


def _num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def check(metrics: dict, baseline: dict | None, margin: float | None = None) -> GateResult:
    """Fail on a hard floor, or on a headline metric more than `margin` below the baseline."""
    margin = margin if margin is not None else (baseline or {}).get("margin", DEFAULT_MARGIN)
    lines, ok = [], True
    for key, floor in HARD_FLOORS.items():
        v = _num(metrics.get(key))
        good = v is not None and v >= floor
        ok &= good
        lines.append(f"{'PASS' if good else 'FAIL'} {key} = {v if v is not None else 'n/a'} (must be ≥ {floor})")
    for key in HARD_ZERO:
        v = _num(metrics.get(key))
        good = v is not None and v == 0
        ok &= good
        lines.append(f"{'PASS' if good else 'FAIL'} {key} = {v if v is not None else 'n/a'} (must be 0)")
    if crashes := metrics.get("crashes"):
        ok = False
        lines.append(f"FAIL {crashes} item(s) raised an exception inside ask()")
    if baseline is None:
        lines.append("(no baseline file: regression checks skipped; write one with --update-baseline)")
        return GateResult(ok, lines)
    base = baseline.get("metrics", {})
    for key in HEADLINE:
        v, b = _num(metrics.get(key)), _num(base.get(key))
        if b is None:
            lines.append(f"skip {key}: not in baseline")
            continue
        good = v is not None and v >= b - margin
        ok &= good
        lines.append(f"{'PASS' if good else 'FAIL'} {key} = {v:.3f} (baseline {b:.3f}, margin {margin})"
                     if v is not None else f"FAIL {key} missing")
    for key in HEADLINE_LOWER:
        v, b = _num(metrics.get(key)), _num(base.get(key))
        if b is None:
            lines.append(f"skip {key}: not in baseline")
            continue
        good = v is not None and v <= b + margin
        ok &= good
        lines.append(f"{'PASS' if good else 'FAIL'} {key} = {v:.3f} (baseline {b:.3f}, may rise by {margin})"
                     if v is not None else f"FAIL {key} missing")
    return GateResult(ok, lines)


def load_baseline(path: Path = BASELINE) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def write_baseline(metrics: dict, retriever: str, set_path: str, path: Path = BASELINE,
                   margin: float = DEFAULT_MARGIN) -> dict:
    data = {
        "retriever": retriever,
        "set": set_path,
        "margin": margin,
        "note": "Headline metrics the gate compares against (python -m evals gate --update-baseline). "
                "quote_validity and decision_accuracy must be 1.0 and confident_wrong 0 regardless of this file; "
                "noise may not rise by more than the margin.",
        "metrics": {k: round(metrics[k], 4) for k in HEADLINE + HEADLINE_LOWER if _num(metrics.get(k)) is not None},
        "items": metrics["items"],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data
