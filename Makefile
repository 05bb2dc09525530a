# Quick start: `make run` (demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install migrate demo bench lint worker browser-deps clean backup restore audit

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

browser-deps:
	@test -x /usr/bin/chromium || (echo "Installing Debian chromium for browser tests" && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null))

# pytest exits 5 when it collected no tests; that is a failure here. The suite runs on
# TEST_WORKERS processes (pytest-xdist), each with its own test database and Redis databases.
TEST_WORKERS ?= 2
test: install browser-deps
	$(BIN)/ruff check .
	$(BIN)/python .ci/dependency_audit.py
	DJANGO_TESTING=1 $(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Known vulnerabilities in the installed packages (pip-audit); says so when it cannot check.
audit: install
	$(BIN)/python .ci/dependency_audit.py

lint: install
	$(BIN)/ruff check .

worker: install
	$(BIN)/celery -A partnership worker -l info

bench: install
	$(BIN)/python benchmarks/run.py

# Backups of DATABASE_URL (PostgreSQL) and MEDIA_ROOT, and the restore drill: docs/backups.md.
backup: install
	$(BIN)/python manage.py backup --to backups

restore: install
	@test -n "$(FROM)" || (echo "Usage: make restore FROM=backups/<timestamp> RESTORE_DATABASE=<new name> [RESTORE_MEDIA_ROOT=<folder>] [REPLACE=1] [OWNER=<role>]"; exit 2)
	$(BIN)/python manage.py restore "$(FROM)" \
	  $(if $(RESTORE_DATABASE),--database "$(RESTORE_DATABASE)") \
	  $(if $(RESTORE_MEDIA_ROOT),--media-root "$(RESTORE_MEDIA_ROOT)") \
	  $(if $(REPLACE),--replace) $(if $(OWNER),--owner "$(OWNER)")

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
