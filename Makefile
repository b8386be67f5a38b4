# ZAS: `make run` sets up and serves; `make test` sets up and runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
ZAS_DEMO ?= 1
# Debian packages: Net-SNMP headers for easysnmp, Pango for WeasyPrint, snmpd for the SNMP
# benchmark, chromium for the browser tests.
APT_RUN := libsnmp-dev snmp libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gcc python3-dev python3-venv
APT_TEST := $(APT_RUN) snmpd chromium mariadb-client redis-tools

.PHONY: run test test-mariadb test-sqlite test-ui deps deps-test services lab bench clean help

help:
	@echo "make run    set up and serve ZAS on http://$(HOST):$(PORT) (ZAS_DEMO=0: no demo lab)"
	@echo "make test   set up and run every test (MariaDB + Redis, then SQLite)"
	@echo "make bench  run the benchmarks in bench/"

.apt-run.stamp:
	@missing=$$(for p in $(APT_RUN); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "apt-get install $$missing"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	@touch $@

.apt-test.stamp: .apt-run.stamp
	@missing=$$(for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "apt-get install $$missing"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	@touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip wheel setuptools

$(VENV)/.run.stamp: setup.cfg pyproject.toml .apt-run.stamp | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.test.stamp: setup.cfg pyproject.toml .apt-test.stamp | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $@ $(VENV)/.run.stamp

deps: $(VENV)/.run.stamp
deps-test: $(VENV)/.test.stamp

services:
	@bash scripts/ensure-services.sh

run: deps
	$(BIN)/zas setup
	@if [ "$(ZAS_DEMO)" != "0" ] && $(BIN)/zas lab --help >/dev/null 2>&1; then \
	  $(BIN)/zas lab up --devices 12 --register && \
	  for kind in discover backup poll; do $(BIN)/zas job run $$kind --org Demo --all || true; done; fi
	@echo "ZAS on http://$(HOST):$(PORT)"
	$(BIN)/gunicorn --workers 1 --threads 8 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: deps-test services
	$(MAKE) --no-print-directory test-mariadb
	$(MAKE) --no-print-directory test-sqlite

# everything, on MariaDB + Redis, with coverage
test-mariadb:
	ZAS_TEST_DB=mariadb $(BIN)/pytest -q -p no:cacheprovider --cov=zas --cov-report=term:skip-covered tests

# the fast subset again on SQLite (the embedded default)
test-sqlite:
	ZAS_TEST_DB=sqlite $(BIN)/pytest -q -p no:cacheprovider -m "not mariadb and not lab and not ui and not slow" tests

bench: deps-test services
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .apt-*.stamp .pytest_cache .coverage htmlcov
