# Styringsbot developer commands. `make run` and `make test` do their own set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PYTHONDONTWRITEBYTECODE := 1

# Local PostgreSQL for the tests (started by scripts/postgres.sh, on loopback only).
PG_PORT ?= 54329
TEST_POSTGRES_URL ?= postgresql+asyncpg://styringsbot:styringsbot@127.0.0.1:$(PG_PORT)/styringsbot_test

.PHONY: setup run test test-quick lint typecheck pytest bench bench-quick package chromium hunspell pango postgres postgres-stop demo migrate clean

setup: $(VENV)/.installed node_modules/.installed pango

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages are installed with sudo unless we already are root (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# The proofreader (tests/test_danish_texts.py) checks every text against Debian's Danish dictionary.
hunspell:
	@{ command -v hunspell >/dev/null && [ -f /usr/share/hunspell/da_DK.dic ]; } || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq hunspell hunspell-da; }

# The Plan A plakat is a PDF made by WeasyPrint (cards/plakat.py), which lays out text with Pango and HarfBuzz and
# needs a font with Arial's metrics (Liberation Sans). `setup` pulls this in, so `make test` and `make run` have it.
PLAKAT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation2
pango:
	@[ "$$(dpkg-query -W -f='$${db:Status-Status}\n' $(PLAKAT_DEBS) 2>/dev/null | grep -c '^installed$$')" = "$(words $(PLAKAT_DEBS))" ] || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PLAKAT_DEBS); }

postgres:
	@PG_PORT=$(PG_PORT) scripts/postgres.sh start

postgres-stop:
	@PG_PORT=$(PG_PORT) scripts/postgres.sh stop

migrate: setup
	$(PY) -m cli upgrade

demo: migrate
	$(PY) -m cli import demo/organisation.yaml

run: setup
	@scripts/run.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: setup
	$(VENV)/bin/mypy app.py bot cards dialogs domain storage turn cli core web testkit manifest bench tests/e2e

pytest: setup chromium hunspell postgres
	TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(VENV)/bin/pytest -q

test: lint typecheck pytest

# The loop while you work: every test but E2E and PostgreSQL, on SQLite, without lint and type check.
test-quick: setup
	$(VENV)/bin/pytest -q -m "not e2e and not postgres and not slow"

# Every section on SQLite and on the local PostgreSQL (started like the tests'); 16-20 minutes. bench-quick: a smoke run.
bench: setup postgres
	BENCH_POSTGRES_URL=$(TEST_POSTGRES_URL) $(PY) -m bench

bench-quick: setup
	$(PY) -m bench --quick

package: setup
	$(PY) -m manifest build

clean:
	rm -rf $(VENV) node_modules build dist tests/artifacts
