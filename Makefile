# Two commands do all the set-up on a fresh Debian machine with Python 3.11:
#   make run    creates .venv, installs requirements.txt, starts the app with the bundled lessons
#   make test   installs requirements-dev.txt, Chromium and PostgreSQL, then runs the whole suite
# and two variants:
#   make run PORT=8600   the app on another port (8501 unless given)
#   make install         only creates .venv and installs requirements.txt, for the CLI (python -m sourcecheck)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test bench load cluster lint validate browser postgres nginx clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
	@echo "installed into $(VENV); start the app with: make run  (or: make run PORT=8600)"

run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.port $(PORT)

# Debian's Chromium for the browser tests (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# Debian's PostgreSQL for the store tests (each test run starts a throwaway cluster on a free loopback port).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; }

# Debian's nginx for the scale-out path (make cluster) and its test; only the binary is used, never the system service.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx; }

test: $(VENV)/.dev browser postgres nginx
	$(PY) -m ruff check sourcecheck tests bench deploy app.py
	$(PY) -m mypy
	$(PY) -m sourcecheck validate
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check sourcecheck tests bench deploy app.py
	$(PY) -m mypy

validate: $(VENV)/.runtime
	$(PY) -m sourcecheck validate

# make bench ONLY=grouping    one benchmark (validation, pages, analytics, course or grouping)
bench: $(VENV)/.dev
	$(PY) bench/run.py $(if $(ONLY),--only $(ONLY))

# The load harness (bench/load/, docs/performance.md): push (SOURCECHECK_LIVE=push) against today's polling and the
# bare page, side by side in one run, on PostgreSQL with fsync on: a class of 30 and of 200 on one process (each
# push, poll, bare; the lobby of each is the idle class), 400 on one process and 800 on two behind nginx (push);
# about 25 minutes on a quiet 2-core machine.
#   make load STUDENTS=30 CLUSTER=    a short run;  make load FAST=1    PostgreSQL with fsync off (every line says so)
#   make load SOAK=600    adds a 10-minute soak (SQLite, memory)
STUDENTS ?= 30,200,400
CLUSTER ?= 800
SOAK ?= 0
FAST ?=
load: $(VENV)/.dev postgres nginx
	$(PY) bench/load/harness.py --students "$(STUDENTS)" --cluster "$(CLUSTER)" --soak $(SOAK) $(if $(FAST),--fast)

# N app processes behind nginx on a throwaway PostgreSQL (or DATABASE_URL), until Ctrl-C (docs/deploy.md).
# Durable PostgreSQL; FAST=1 turns fsync, synchronous_commit and full_page_writes off (never for published figures).
N ?= 2
FAST ?= 0
cluster: $(VENV)/.runtime postgres nginx
	$(PY) deploy/cluster.py --processes $(N) $(if $(filter 1 yes true,$(FAST)),--fast)

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
