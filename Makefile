# nablagrade: `make test` and `make demo` work on a fresh clone; both install what is missing first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint selftest demo bench clean prepare migrate web worker services-worker beat bench-service bench-webhooks

# The references every grading reads, computed once and stored as data (graders/reference_store.py);
# quick when they are already there, and a changed problem gets new ones.
# Bytecode compiled here too: where PYTHONDONTWRITEBYTECODE is set (CI images often set it),
# Python never caches it, and every cold `nablagrade check` compiled the engine and the bank
# again, a third of its CPU. compileall only redoes files that changed.
install: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 graders assignments app worker
	$(BIN)/nablagrade warm

# constraints.txt pins the Celery stack at the versions the fault tests passed with.
$(STAMP): pyproject.toml constraints.txt scripts/install-system-packages.sh
	bash scripts/install-system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .

selftest: install
	$(BIN)/nablagrade selftest

test: install lint selftest
	$(BIN)/pytest

# The whole service (web, grading worker, services worker, beat): embedded SQLite + filesystem
# broker by default, PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set. Ctrl-C stops it.
PORT ?= 5000
# How many processes each role runs (docs/operations.md, "Worker settings"); the Docker image
# and scripts/demo.py read the same variables with the same defaults.
WEB_CONCURRENCY ?= 2
GRADING_CONCURRENCY ?= 2
SERVICES_CONCURRENCY ?= 2
demo: install
	$(BIN)/python scripts/demo.py --port $(PORT) --web-concurrency $(WEB_CONCURRENCY) \
		--concurrency $(GRADING_CONCURRENCY) --services-concurrency $(SERVICES_CONCURRENCY)

# The same processes one by one, for a deployment or workers on other machines (docs/operations.md, "Workers on other machines").
# `python -m app.setup` makes instance/ and a secret key for the embedded set-up; with
# SECRET_KEY, DATABASE_URL and REDIS_URL set (production) it writes nothing.
prepare: install
	$(BIN)/python -m app.setup

migrate: prepare
	FLASK_APP=app $(BIN)/flask db upgrade

web: prepare
	$(BIN)/gunicorn --bind 0.0.0.0:$(PORT) --workers $(WEB_CONCURRENCY) 'app:create_app()'

worker: prepare
	$(BIN)/celery -A worker.celery_app worker -Q grading -c $(GRADING_CONCURRENCY) -n grading@%h -l info

services-worker: prepare
	$(BIN)/celery -A worker.celery_app worker -Q webhooks,maintenance -P threads -c $(SERVICES_CONCURRENCY) -n services@%h -l info

beat: prepare
	$(BIN)/celery -A worker.celery_app beat -l info

bench-service: install
	$(BIN)/python -m bench.service

bench-webhooks: install
	$(BIN)/python -m bench.webhooks

bench: install
	$(BIN)/python -m bench.engine

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache instance
