# Tickler: `make run` starts everything locally; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: translations catalogs run test test-faults test-clock bench bench-quick lint typecheck format worker beat flower clean help

help:
	@echo "make run     the app, a worker, beat, Redis and a local mailbox, with demo data"
	@echo "make test    the whole test suite"
	@echo "make test-faults  fault and load tests (real processes killed and restarted)"
	@echo "make test-clock   the suite a year from now and a year back"
	@echo "make bench   the benchmarks (docs/PERFORMANCE.md); BENCH_ARGS=--quick for a smoke run"
	@echo "             BENCH_ARGS=--search-only: search at 100,000 tasks alone"
	@echo "make translations  extract marked strings into the catalogs, then compile them"
	@echo "make lint    ruff check and format check"
	@echo "make typecheck  mypy over app/, config.py, celery_utils.py, scripts/"

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

# The catalogs (app/translations/<language>/LC_MESSAGES/messages.po) are source, written by
# people; `make translations` brings every new marked string into each, and compiles them. The
# compiled .mo files are built by `make run`, `make test` and CI, never committed.
TRANSLATIONS := app/translations
CATALOGS := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

translations: $(STAMP)
	$(VENV)/bin/pybabel --quiet extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --add-location=file \
		--sort-output --no-wrap --project=Tickler -o $(TRANSLATIONS)/messages.pot .
	$(VENV)/bin/pybabel --quiet update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-fuzzy-matching --no-wrap --ignore-obsolete
	$(MAKE) --no-print-directory catalogs

catalogs: $(COMPILED)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(VENV)/bin/pybabel --quiet compile -i $< -o $@

run: $(STAMP) catalogs
	$(PY) -m scripts.devstack

# Two test processes (pytest-xdist), whole files each: every process starts its own PostgreSQL
# database, redis-server (tests/test_redis_per_process.py), SMTP server and ports, so two files
# that use the same Redis database number never meet. TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2
test: $(STAMP) catalogs
	$(PY) -m pytest $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile)

# The suite a year from now and a year back, with the processes it starts: no test may
# depend on today's date (.ci/run runs it after make test-faults).
test-clock: $(STAMP) catalogs
	TICKLER_TEST_CLOCK_SHIFT_DAYS=365 $(MAKE) --no-print-directory test
	TICKLER_TEST_CLOCK_SHIFT_DAYS=-365 $(MAKE) --no-print-directory test

# The later -m wins over addopts' "not faults".
test-faults: $(STAMP) catalogs
	$(PY) -m pytest -m faults

# Benchmarks, never part of `make test`. The pages part drives gunicorn with wrk (a Debian
# package): installed here when missing and we may, else the bench says how to get it.
bench: $(STAMP)
	$(if $(findstring --no-pages,$(BENCH_ARGS))$(findstring --search-only,$(BENCH_ARGS)),,@command -v wrk >/dev/null \
		|| { [ "$$(id -u)" = 0 ] && apt-get install -y wrk >/dev/null; } \
		|| { echo "make bench needs wrk: sudo apt-get install wrk (or BENCH_ARGS=--no-pages)"; exit 1; })
	$(PY) -m bench $(BENCH_ARGS)

bench-quick:
	$(MAKE) bench BENCH_ARGS="--quick $(BENCH_ARGS)"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What it checks and how strictly is in pyproject.toml's [tool.mypy].
typecheck: $(STAMP)
	$(VENV)/bin/mypy

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
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
