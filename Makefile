# Ketenkaart: `make run` starts the app, `make test` runs the whole test suite.
# Both create the virtual environment and the demo database when they are missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
DB := $(or $(KETENKAART_DB),data/ketenkaart.duckdb)
PORT ?= 8501
# Three workers on the small machine's two cores: the browser and page tests spend much of their
# time waiting for a server, so a third worker fills the gaps (measured: 9 min 26 s with two,
# 8 min 55 s with three). `make test WORKERS=0` runs the suite in one process.
WORKERS ?= 3

.PHONY: setup setup-dev db run test lint format bench backup restore clean

# Running needs requirements.txt; tests and tooling add requirements-dev.txt.
$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

# The OpenID Connect provider of tests/test_browser_oidc.py (npm's oidc-provider), when npm is
# here; without it (or offline) that test is skipped.
OIDC := tests/oidc
$(OIDC)/node_modules/.package-lock.json: $(OIDC)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		(cd $(OIDC) && npm ci --silent --no-audit --no-fund) || \
		echo "npm ci in $(OIDC) mislukt: de oidc-browsertest wordt overgeslagen"; \
	fi

# The database with the demo regions, made once (delete the file to start over).
db: setup
	@if [ ! -f "$(DB)" ]; then \
		echo "Database $(DB) aanmaken met demogegevens..."; \
		KETENKAART_DB="$(DB)" $(PY) -m ketendata init && \
		KETENKAART_DB="$(DB)" $(PY) -m ketendata demo; \
	fi

run: db
	KETENKAART_DB="$(DB)" $(PY) -m streamlit run serve.py --server.port=$(PORT)

test: setup-dev db $(OIDC)/node_modules/.package-lock.json
	$(PY) -m pytest -n $(WORKERS)

lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: setup-dev db
	$(PY) -m bench

# A copy of the database in backups/ (stop imports first; the app may stay open), and putting one
# back: `make restore FILE=backups/ketenkaart-20261202-101500.duckdb` (stop the app first).
backup: setup
	KETENKAART_DB="$(DB)" $(PY) -m ketendata backup --out backups

restore: setup
	@test -n "$(FILE)" || { echo "Geef de reservekopie: make restore FILE=backups/..."; exit 2; }
	KETENKAART_DB="$(DB)" $(PY) -m ketendata restore "$(FILE)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
