# sosvet — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test deps system-deps system-deps-run messages lint clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Python packages into $(VENV) (log: $(VENV)/pip.log)…"
	@PIP_CONSTRAINT=constraints.txt $(VENV)/bin/pip install --disable-pip-version-check \
		-r requirements-dev.txt > $(VENV)/pip.log 2>&1 || { tail -n 30 $(VENV)/pip.log; exit 1; }
	@touch $(STAMP)

deps: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

system-deps-run:
	@WITH_BROWSER=0 bash scripts/system-deps.sh

messages: deps
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
		DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles -v0; \
	else echo "No translation catalogues found in locale/; the interface stays in English."; fi

## make run: virtualenv, dependencies, migrations, demo data, development server.
run: deps system-deps-run messages
	DEBUG=1 $(PY) manage.py migrate --no-input -v0
	@DEBUG=1 $(PY) manage.py load_demo
	@echo
	@echo "Open http://127.0.0.1:8000 and sign in with one of the logins above."
	@echo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set).
test: deps system-deps messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: deps
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
