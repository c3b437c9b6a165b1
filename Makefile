# Tickler: `make run` starts everything locally; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-faults lint format worker beat flower clean help

help:
	@echo "make run     the app, a worker, beat, Redis and a local mailbox, with demo data"
	@echo "make test    the whole test suite"
	@echo "make test-faults  fault and load tests (real processes killed and restarted)"
	@echo "make lint    ruff check and format check"

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m scripts.devstack

test: $(STAMP)
	$(PY) -m pytest

# The later -m wins over addopts' "not faults".
test-faults: $(STAMP)
	$(PY) -m pytest -m faults

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The user's guide's commands, for running the parts separately.
# QUEUES=notifications,reminders consumes only those queues (all of them by default).
worker: $(STAMP)
	$(PY) -m celery -A celery_worker worker --loglevel=info $(if $(QUEUES),-Q $(QUEUES))

beat: $(STAMP)
	$(PY) -m celery -A celery_worker beat --loglevel=info

flower: $(STAMP)
	$(PY) -m celery -A celery_worker flower

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
