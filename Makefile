# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.requirements-installed

.PHONY: run serve test lint format setup messages clean

# Development installs requirements-dev.txt (requirements.txt plus tests and tooling); a
# production server installs only requirements.txt.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# The .mo catalogues are built, not committed (gettext's msgfmt is needed).
messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v 0

setup: messages
	$(PY) manage.py setup_demo

run: setup
	$(PY) manage.py runserver 127.0.0.1:8000

# The production server (README, "Production server"): needs SECRET_KEY, ALLOWED_HOSTS and
# DATABASE_URL in the environment, and a .venv with requirements.txt installed;
# GUNICORN_BIND, GUNICORN_WORKERS... are optional.
serve: export DJANGO_SETTINGS_MODULE = config.settings.production
serve:
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/gunicorn -c config/gunicorn.conf.py

test: messages
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
