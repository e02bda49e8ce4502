# Two commands for a newcomer: `make run` (serve the portal with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PORT   ?= 8000
# The suite runs on as many workers as the machine has cores (CI: 2).
PYTEST_WORKERS ?= auto
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-only install system-deps messages setup lint bench clean

## Install Python dependencies into .venv (re-run only when pyproject.toml changes).
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet '.[test]'
	touch $@

install: $(VENV)/.installed

## Debian packages the portal and its tests need: Pango for WeasyPrint, gettext for the catalogues,
## Chromium for the browser tests (Playwright cannot download its own browser here), poppler for PDF checks,
## LibreOffice Calc (headless) to check that our workbooks open and to make LibreOffice-saved test files,
## redis-server for the tests of the RQ queue backend (CI starts one on a port of its own).
SYSTEM_PACKAGES := chromium poppler-utils gettext libatomic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
                   libreoffice-calc-nogui redis-server libnss3-tools
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Cài gói hệ thống:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## Compile the Vietnamese and English catalogues.
messages: install
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null

## Migrate and load places, reference, seed and demo data (idempotent).
setup: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py bootstrap

## The dev server and, beside it, the background worker (jobs/); stopping one (Ctrl-C) stops both.
run: system-deps setup
	@$(PY) manage.py jobs_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: system-deps install messages test-only

test-only:
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## ruff, then the import contracts of pyproject.toml (docs/architecture.md).
lint: install
	$(VENV)/bin/ruff check .
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-logo

## Benchmarks on PostgreSQL with the national synthetic dataset (see docs/performance.md): creates the
## database if missing, migrates, loads places and reference data, generates the dataset once (≈ 6 million
## rows), then measures and rewrites the results part of docs/performance.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/khuyencong_bench
bench: system-deps install
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect 15 main start || true
	$(PY) -m benchmarks.ensure_db "$(BENCH_DATABASE_URL)"
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) manage.py migrate --noinput
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) manage.py bootstrap --no-demo
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) manage.py generate_synthetic --scale national
	DATABASE_URL="$(BENCH_DATABASE_URL)" DJANGO_DEBUG=false $(PY) -m benchmarks.run

## A realistic working day under load, then the faults that really happen (PostgreSQL crash, killed postmaster,
## hang, full disk, killed workers), on a private PostgreSQL cluster of its own (var/pg-load, port
## LOADTEST_PG_PORT, never the shared 5432) holding a copy of the national dataset; see docs/deploy.md.
## Parameters: LOADTEST_USERS (50), LOADTEST_DURATION (180 s), LOADTEST_FAULTS (crash,kill,hang,disk,worker),
## LOADTEST_FAULT_SECONDS (75). Results in artifacts/loadtest/summary.md. About 11 minutes.
.PHONY: loadtest soak faults
loadtest: system-deps install messages
	$(PIP) install --quiet '.[loadtest]'
	$(PY) -m loadtest.run --docs

## The realistic day for LOADTEST_SOAK_SECONDS (1800), sampling the memory of every process and the database
## connections (artifacts/loadtest/soak.md). Not for CI.
soak: system-deps install messages
	$(PIP) install --quiet '.[loadtest]'
	$(PY) -m loadtest.run --soak --docs

## The short fault checks (CI, about 2 minutes): a throw-away PostgreSQL cluster in var/ on a free port, the
## portal under gunicorn on it; hang, crash, killed postmaster, killed web worker. Removed whatever happens.
faults: install
	$(PIP) install --quiet '.[loadtest]'
	@dir="$(CURDIR)/var/pg-faults-$$$$"; \
	cleanup() { $(PY) -c "import sys; from pathlib import Path; from loadtest.cluster import PrivateCluster; PrivateCluster(Path(sys.argv[1]), port=1).destroy()" "$$dir"; }; \
	trap cleanup EXIT INT TERM; \
	FAULT_TESTS=1 FAULTS_PG_DIR="$$dir" DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -p no:cacheprovider tests/faults $(PYTEST_ARGS)

## A real PostgreSQL 15 streaming replica of the local cluster on port 5433 (pg_basebackup), and its removal.
.PHONY: replica replica-stop
replica:
	scripts/replica.sh start
replica-stop:
	scripts/replica.sh stop

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts
