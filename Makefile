# Two commands matter: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: run test install migrate demo check lock clean bench-search messages worker scheduler image compose-check \
	requirements-prod

$(BIN)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_data

# The task worker (queued emails, Wagtail's reference index) runs beside the server and stops with it.
run: demo
	$(BIN)/python manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Search latency at 20,000 products (bench/README.md); never part of `make test`.
bench-search: install
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

# Load benchmark: gunicorn (production settings) driven by wrk, 20,000 products on PostgreSQL (bench/README.md);
# never part of `make test`. A smoke run: make bench BENCH_ARGS="--quick --products 0"
.PHONY: bench
bench: install
	$(BIN)/python bench/load_bench.py $(BENCH_ARGS)

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

lock:
	$(PYTHON) -m venv /tmp/ocop-lock-venv && /tmp/ocop-lock-venv/bin/pip install --quiet -r requirements.in
	/tmp/ocop-lock-venv/bin/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) var db.sqlite3

# Translations (needs GNU gettext): extract our strings into locale/{en,vi}, merge Oscar's storefront Vietnamese
# (locale/vi/oscar_storefront.po, edited by hand) into the vi catalogue, then compile the .mo files with Babel.
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=node_modules --ignore=tests --ignore=bench
	$(BIN)/python manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var --ignore=node_modules --ignore=tests --ignore=bench
	msgcat --use-first -o locale/vi/LC_MESSAGES/django.po locale/vi/LC_MESSAGES/django.po locale/vi/oscar_storefront.po
	$(BIN)/python manage.py compile_translations

# Background work on one machine, each in a terminal of its own next to `make run` (README: Production): the task
# queue (emails, search reindexing) and the periodic jobs (reminders, expiry, notices).
worker: migrate
	$(BIN)/python manage.py run_worker

scheduler: migrate
	$(BIN)/python manage.py run_scheduler

# The production image and the compose file (README: Production: the compose stack).
image:
	docker build -t ocop-marketplace:latest .

# `docker compose config` needs a .env (the services read it): a fresh clone has none, so .env.example stands in for
# the check and is removed afterwards, as in .ci/run; an existing .env is checked as it is and left alone.
compose-check: install
	@if docker compose version >/dev/null 2>&1; then \
		if [ ! -e .env ]; then cp .env.example .env && trap 'rm -f .env' EXIT && trap 'exit 130' INT TERM; fi; \
		POSTGRES_PASSWORD=$${POSTGRES_PASSWORD:-config-check} docker compose config -q && echo "docker compose config: ok"; \
	else \
		$(BIN)/python -m pytest tests/unit/test_compose_file.py -q; \
	fi

# What the image installs: requirements.in up to its "# tests" section (the Dockerfile's own filter), pinned by the lock.
requirements-prod:
	@sed '/^# tests/,$$d' requirements.in | grep -v '^#'
