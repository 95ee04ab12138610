# Ketenkaart: `make run` starts the app, `make test` runs the whole test suite.
# Both create the virtual environment and the demo database when they are missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DB := $(or $(KETENKAART_DB),data/ketenkaart.duckdb)
PORT ?= 8501

.PHONY: setup db run test lint format bench clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

setup: $(VENV)/.installed

# The database with the demo regions, made once (delete the file to start over).
db: setup
	@if [ ! -f "$(DB)" ]; then \
		echo "Database $(DB) aanmaken met demogegevens..."; \
		KETENKAART_DB="$(DB)" $(PY) -m ketendata init && \
		KETENKAART_DB="$(DB)" $(PY) -m ketendata demo; \
	fi

run: db
	KETENKAART_DB="$(DB)" $(PY) -m streamlit run app.py --server.port=$(PORT)

test: db
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: db
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
