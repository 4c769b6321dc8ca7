# Quick start: `make demo` and `make test`. Both create .venv/ when it is missing.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m newscrawl.demo

# One pytest worker per core (pytest-xdist): the suite's crawls are CPU-bound subprocesses.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto

# Not part of `make test`: ~10 minutes at the default 10,000 posts (N=100000 for the memory run).
bench: $(STAMP)
	$(BIN)/python -m bench.run $(if $(N),--posts $(N))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy newscrawl bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
