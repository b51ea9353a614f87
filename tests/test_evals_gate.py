"""The CI gate on the real gold set: quote validity and decision accuracy 1.0, no regression vs the baseline."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_evals_gate_passes(built_index):
    env = dict(os.environ, GUANTONG_DATA_DIR=str(built_index))
    p = subprocess.run([sys.executable, "-m", "evals", "gate"], cwd=REPO, env=env, capture_output=True, check=False,
                       text=True, timeout=900)
    assert p.returncode == 0, p.stdout[-6000:] + p.stderr[-3000:]
    assert "GATE PASSED" in p.stdout
