# One entry point per task; CI (.ci/run) uses the same commands.
PY ?= python

.PHONY: install install-extras test lint eval compare bench ingest run

install:
	pip install -e ".[test]"

# Extras the full test suite exercises: the st: backend (CPU torch from local disk, never an
# unpinned torch) and Debian's chromium for the browser test.
install-extras:
	pip install torch==2.13.0
	pip install -e ".[test,st,llm]"
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji)

test:
	$(PY) -m pytest -q

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
