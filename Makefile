# Convene: `make demo` runs the service with demo data; `make test` runs everything CI checks.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help demo test bootstrap python assets services test-tools cin-validator lint format bench

help:
	@echo "make demo   install, start PostgreSQL and Redis, migrate, load demo data, run web + worker + beat"
	@echo "make test   everything CI checks: lint, format, migrations, deploy checks, pytest (incl. browser)"

bootstrap: python assets services
	@mkdir -p var

python: .venv/.installed
.venv/.installed: requirements-dev.lock scripts/ensure-python.sh
	scripts/ensure-python.sh
	@touch $@

assets: static/build/.built
node_modules/.installed: package-lock.json
	scripts/ensure-node.sh
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@
static/build/.built: node_modules/.installed $(wildcard static/src/*)
	npm run -s build
	@touch $@

services:
	scripts/ensure-services.sh

test-tools:
	scripts/ensure-test-tools.sh

cin-validator: .venv-cin/.installed
.venv-cin/.installed: requirements-cin.lock scripts/ensure-cin-validator.sh
	scripts/ensure-cin-validator.sh
	@touch $@

demo: bootstrap
	scripts/demo.sh

test: bootstrap test-tools cin-validator
	scripts/test.sh

lint: python
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: python
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

bench: bootstrap
	scripts/bench.sh
