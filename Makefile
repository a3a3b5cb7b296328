# nablagrade: `make test` and `make demo` work on a fresh clone; both install what is missing first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint selftest demo bench clean

install: $(STAMP)

$(STAMP): pyproject.toml scripts/install-system-packages.sh
	bash scripts/install-system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .

selftest: install
	$(BIN)/nablagrade selftest

test: install lint selftest
	$(BIN)/pytest

demo: install
	-$(BIN)/nablagrade check assignments/examples/hw1_correct.py --assignment hw1
	-$(BIN)/nablagrade check assignments/examples/hw1_mistakes.py --assignment hw1

bench: install
	$(BIN)/python -m bench.engine

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache instance
