# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test test-fast lint bench sample chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/.app-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## run: start the app on the bundled sample at http://localhost:$(PORT)
run: $(VENV)/.app-installed
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address localhost

## test: the whole suite, browser tests included (installs Debian's chromium when root)
test: $(VENV)/.dev-installed chromium
	$(BIN)/python -m pytest

## test-fast: engine and app tests, no browser, on two workers (about a minute)
test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n 2 -m "not browser" -q

## chromium: install Debian's chromium (browser tests) and Java (Spark tests) if missing and we can
chromium:
	@if ! command -v java >/dev/null 2>&1 && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's Java for the Spark tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi
	@if command -v chromium >/dev/null 2>&1; then \
		echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "No chromium and cannot install it (not root): browser tests will skip (they fail under CI=true)."; \
	fi

## lint: ruff (lint + format check) and mypy on the engine, ui/, pages/ and app.py
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: speed, memory and quality table
bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks

## sample: rebuild data/sample_customers.csv (a test checks it matches)
sample: $(VENV)/.app-installed
	$(BIN)/python -m churn_core sample --rows 5000 --seed 7 --out data/sample_customers.csv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
