# Quick start: `make demo` runs the demo on the embedded emulator; `make test` runs every test.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint bench chaos install clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

node_modules/.bin/azurite: package.json
	npm install --no-audit --no-fund --silent
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m connector demo

test: $(STAMP) node_modules/.bin/azurite
	bash scripts/ensure_system_packages.sh
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

test-fast: $(STAMP) node_modules/.bin/azurite
	$(PY) -m pytest -m "not slow and not browser"

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

# Faults, kill -9, hostile records, secrets and forged state against an XS demo organisation; prints the figures.
chaos: $(STAMP) node_modules/.bin/azurite
	$(PY) -m tests.chaos

# The self-contained benchmarks (each prints its figures); the ones that read a public data set take its path
# and are listed with their commands in the README.
bench: $(STAMP)
	$(PY) benchmarks/sync_bench.py --sizes S
	$(PY) benchmarks/emulator_serving.py
	$(PY) benchmarks/relationship_speed.py
	$(PY) benchmarks/notes_speed.py
	$(PY) benchmarks/talking_points_speed.py
	$(PY) benchmarks/scoring_benchmark.py
	$(PY) benchmarks/seed_time.py --sizes S

clean:
	rm -rf .osi dist .pytest_cache
