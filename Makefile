# Tawasul — the commands a newcomer needs. Only Python 3.11 and make are assumed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV_ENV := TAWASUL_ENV=development DEMO_MODE=true
TEST_ENV := TAWASUL_ENV=test

.PHONY: demo serve test lint install install-dev messages migrate clean help bench-names

help:
	@echo "make demo    install, migrate, load demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test    run the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)"
	@echo "make lint    ruff check, ruff format --check, mypy"
	@echo "make serve   serve without reloading demo data"
	@echo "make messages  extract and compile the translation catalogues"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# --no-deps: the lock file is the whole, resolved set (pip check proves it); letting pip resolve
# again can pick a newer release for a dependency named with extras and refuse it as unpinned.
$(VENV)/.installed-base: requirements/base.lock | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/base.lock
	$(BIN)/pip check
	@rm -f $(VENV)/.installed-dev
	@touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/dev.lock
	$(BIN)/pip check
	@touch $(VENV)/.installed-base $@

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

migrate: install
	@mkdir -p var
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py demo_seed
	$(MAKE) --no-print-directory serve

serve: install
	@mkdir -p var
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy .

messages: install-dev
	bash scripts/messages.sh

bench-names: install-dev
	@command -v icu-config >/dev/null 2>&1 || pkg-config --exists icu-uc || { echo "PyICU needs libicu-dev and pkg-config (apt-get install libicu-dev pkg-config)"; exit 1; }
	$(BIN)/pip install --quiet "anyascii==0.3.3" "nomenklatura==4.17.4"
	@# nomenklatura's dependencies move locked packages (mypy among them): the next make test
	@# or make lint puts the lock file's versions back.
	@rm -f $(VENV)/.installed-dev
	$(BIN)/python -m tawasul.names.bench

clean:
	rm -rf $(VENV) var/staticfiles

# Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, or set
# TAWASUL_E2E_CHROMIUM) against a server on a scratch database; screenshots in artifacts/e2e/.
# Never `playwright install`: no browser is downloaded.
.PHONY: e2e
e2e: install-dev
	@test -x "$${TAWASUL_E2E_CHROMIUM:-/usr/bin/chromium}" || { echo "Chromium is needed: apt-get install -y chromium"; exit 1; }
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pytest -c e2e/pytest.ini e2e $(PYTEST_ARGS)

# Load test: seeds a scratch PostgreSQL database (tawasul_load on 127.0.0.1:5432), serves it
# with gunicorn on 127.0.0.1:8123 and runs locust headless at 50 then 200 users, 2 minutes each
# (docs/benchmarks/load.md). LOAD_ARGS=--reuse measures the last seeded database again.
.PHONY: load
load: install-dev
	$(BIN)/python loadtest/run.py $(LOAD_ARGS)
