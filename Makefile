# Two commands on a fresh machine: `make demo` and `make test`. Both bootstrap .venv first and
# skip the install when pyproject.toml has not changed since the last one.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Tools from the project environment come first, so pre-commit's `language: system` hooks find them.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup demo test lint bench gallery clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all,dev]'
	# CPU PyTorch for the torch snippets' tests: this exact version is the file on this machine kind.
	$(BIN)/python -m pip install --quiet 'torch==2.13.0'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	bash scripts/demo.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pre-commit run --all-files --show-diff-on-failure
	$(BIN)/python -m pytest -n 2

bench: setup
	$(BIN)/python benchmarks/run_all.py

gallery: setup
	$(BIN)/python -m toolkit.plotting.gallery docs/gallery

clean:
	rm -rf $(VENV) build dist demo-project .pytest_cache .mypy_cache .ruff_cache
