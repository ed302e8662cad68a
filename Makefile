# The two commands a newcomer needs (see README.md): `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_VERSION = $(shell ls /etc/postgresql 2>/dev/null | head -n 1)

.PHONY: run test lint system-deps services

$(VENV)/.app: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.app tests/requirements.txt
	$(PY) -m pip install --quiet -r tests/requirements.txt
	touch $@

## run: the demo on SQLite, eager Celery, e-mail printed in this terminal.
run: $(VENV)/.app
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --cases 30 --if-empty
	@echo
	@echo "  Asylum Intake is running at http://127.0.0.1:8000/"
	@echo "  Public intake:  http://127.0.0.1:8000/intake/"
	@echo "  Staff (admin):  http://127.0.0.1:8000/admin/"
	@echo "  Demo logins (password demo-password-2026): attorney, paralegal, admin"
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

## Chromium for the browser tests, docker-compose to validate the compose file.
system-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	@command -v docker-compose >/dev/null || { apt-get update -qq && \
		apt-get install -y -qq --no-install-recommends docker-compose; }

## PostgreSQL and Redis are started by this kind of machine; bring them back if down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $(PG_VERSION) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes \
		--bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .

## test: the whole suite against the real PostgreSQL, Redis, SMTP and Chromium.
test: $(VENV)/.test system-deps services lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest
