# Two commands matter: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: run test install migrate demo check lock clean bench-search messages

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

run: demo
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
