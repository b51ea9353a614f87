# One entry point per task; CI (.ci/run) uses the same commands.
PY ?= python

.PHONY: install install-extras test redteam lint eval compare bench ingest run lock audit

CONSTRAINTS := requirements/constraints.txt

install:
	pip install -c $(CONSTRAINTS) -e ".[test]"

# Extras the full test suite exercises: the st: backend (CPU torch from local disk, never an
# unpinned torch) and Debian's chromium for the browser test.
install-extras:
	pip install -c $(CONSTRAINTS) torch==2.13.0
	pip install -c $(CONSTRAINTS) -e ".[test,st,llm]"
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji)

test:
	$(PY) -m pytest -q

# The red team's findings of issue 12, one scenario each (tests/security/).
redteam:
	$(PY) -m pytest -q -m redteam

# Re-pin the tested versions after changing dependencies in pyproject.toml (needs pip-tools).
lock:
	pip-compile --quiet --strip-extras --extra test --extra st --extra llm --no-emit-index-url \
		--no-emit-find-links -o $(CONSTRAINTS) pyproject.toml requirements/torch.in

# Known vulnerabilities in the pinned versions. Needs a reachable vulnerability database (PyPI's
# JSON API or OSV); offline it cannot know anything, whatever it prints.
audit:
	pip-audit --strict --disable-pip -r $(CONSTRAINTS)

lint:
	ruff check .

ingest:
	$(PY) -m ingest

eval:
	$(PY) -m evals run

compare:
	$(PY) -m evals compare

bench:
	$(PY) -m evals bench

run:
	$(PY) app.py
