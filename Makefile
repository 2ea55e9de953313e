# provdata — two commands for a new user: `make run` and `make test`. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
WAREHOUSE := data/warehouse.duckdb
WAREHOUSE_INPUTS := $(shell find data/seed data/reference data/strategy data/recipes geo provdata/warehouse provdata/strategy provdata/ingest provdata/store/publications.py -type f -name '*.*' 2>/dev/null)
# The agencies' raw files have spaces and parentheses in their names, which make cannot take as prerequisites:
# any of them newer than the warehouse forces a rebuild instead.
INBOX_CHANGED := $(if $(shell find data/inbox -type f -newer $(WAREHOUSE) 2>/dev/null | head -1),FORCE)
FONTS := $(addprefix static/Sarabun-,Light.ttf Regular.ttf SemiBold.ttf Bold.ttf)

.DEFAULT_GOAL := help
.PHONY: help run test test-fast check lint format warehouse bench setup clean sysdeps sysdeps-test FORCE

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Debian packages: installed with apt when run as root, else the exact command is printed (deploy/system-packages.sh).
sysdeps: ## install (as root) or name the Debian packages the app needs
	@bash deploy/system-packages.sh run "$(PYTHON)"

sysdeps-test:
	@bash deploy/system-packages.sh test "$(PYTHON)"

$(VENV)/.runtime: requirements.txt | sysdeps
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Sarabun, the Thai government's font, served to the browser from static/ (see .streamlit/config.toml).
static/Sarabun-%.ttf: $(VENV)/.runtime
	@mkdir -p static
	cp "$$($(PY) -c 'import fontpkg_sarabun, pathlib; print(pathlib.Path(fontpkg_sarabun.__file__).parent / "files")')/$(@F)" $@

# axe-core and Lighthouse for the accessibility test and the Lighthouse bench (package.json, pinned in package-lock.json).
node_modules/.installed: package.json package-lock.json | sysdeps-test
	npm ci --no-audit --no-fund
	touch $@

$(WAREHOUSE): $(VENV)/.runtime $(WAREHOUSE_INPUTS) $(INBOX_CHANGED)
	$(PY) -m provdata build --out $@

FORCE:

setup: sysdeps $(VENV)/.runtime $(FONTS) $(WAREHOUSE) ## create .venv, install, fetch fonts, build the warehouse if stale

warehouse: $(VENV)/.runtime ## (re)build data/warehouse.duckdb from data/ and geo/
	$(PY) -m provdata build --out $(WAREHOUSE)

run: setup ## start the app on http://127.0.0.1:$(PORT) (make run PORT=8502 for another port)
	$(VENV)/bin/streamlit run server.py --server.port $(PORT) --server.address 127.0.0.1

test: sysdeps-test setup $(VENV)/.dev node_modules/.installed ## run the whole test suite, browser tests included
	$(PY) -m pytest -n 2

# No browser (so no axe-core from npm) and none of the tests marked slow (servers, PostgreSQL hosts, nginx,
# LibreOffice, command-line processes): about two minutes on two cores. `make test` runs them all.
test-fast: sysdeps-test setup $(VENV)/.dev ## the test suite without browser and slow tests (about two minutes)
	$(PY) -m pytest -n 2 -m "not browser and not slow"

lint: $(VENV)/.dev ## ruff lint and format check, and the import contracts (pyproject.toml [tool.importlinter])
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: $(VENV)/.dev ## apply ruff formatting and safe fixes
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: lint test ## lint, format check, import contract and tests (what CI runs)

bench: setup $(VENV)/.dev node_modules/.installed ## print build time, page render times and query latency ratios
	$(PY) -m bench.run

clean: ## remove the virtualenv, the warehouse and caches
	rm -rf $(VENV) $(WAREHOUSE) static/Sarabun-*.ttf .pytest_cache .ruff_cache node_modules
