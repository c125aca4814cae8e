# mus-analysis: `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
JOBS ?=

.DEFAULT_GOAL := help

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

.PHONY: help install report test lint examples clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

install: $(BIN)/.installed ## Create .venv (if missing) and install the kit into it

report: $(BIN)/.installed ## Build the HTML report of every round under data/raw/
	$(BIN)/mus-analysis batch data/raw --out reports

test: $(BIN)/.installed ## Lint, then run the module tests, notebooks (nbval) and CLI tests
	$(BIN)/ruff check mus_analysis tests scripts benchmarks notebooks
	$(BIN)/python -m pytest

lint: $(BIN)/.installed ## Check the code style with ruff
	$(BIN)/ruff check mus_analysis tests scripts benchmarks notebooks

examples: $(BIN)/.installed ## Regenerate the example rounds from their fixed seed
	$(BIN)/python scripts/make_examples.py

clean: ## Remove generated reports and processed data (never data/raw)
	find reports data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
