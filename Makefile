# corridormap: `make map` and `make test` are all a fresh machine needs (python3 >= 3.11, Node.js/npm).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TESTS  := $(VENV)/.test-stamp
NOTEBOOK_ENV := $(VENV)/.notebook-stamp
NODE   := node_modules/.installed-stamp
OUT    ?= build/g60_corridor_map.html
PY_SRC := corridormap tests scripts bench
JS_SRC := corridormap/render/static/js corridormap/render/static/widget.mjs tests/js eslint.config.js

.PHONY: map notebook test check lint env browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TESTS): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NOTEBOOK_ENV): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[notebook]'
	touch $@

# eslint and axe-core, from the npm registry, as package-lock.json pins them.
$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

env: $(STAMP)

## Write the corridor map; it carries its libraries (from npm, cached) and opens offline.
map: env
	$(BIN)/corridormap build --out $(OUT)

## Open the notebook in JupyterLab (installs corridormap[notebook] into .venv if needed).
notebook: $(NOTEBOOK_ENV)
	$(BIN)/jupyter lab notebooks/

## Lint and type-check: ruff (lint and format), mypy, the import layers (pyproject.toml), eslint.
lint: $(TESTS) $(NODE)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check $(PY_SRC)
	$(BIN)/ruff format --check $(PY_SRC)
	$(BIN)/mypy
	npx eslint $(JS_SRC)

## The fast tier: lint, types, and the unit tests that start no browser and no subprocess (on two
## workers, as make test: about 100 s of CPU, so one worker cannot finish it within a minute).
check: lint
	node --test tests/js/
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not browser and not cli"

## The whole suite (CI): lint, JS unit tests, then every test, browser ones included, on two workers.
test: lint browser
	node --test tests/js/
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

## Debian's chromium (and CJK fonts) for the browser suite; installed when missing.
browser:
	@test -x /usr/bin/chromium || sh scripts/install_chromium.sh

clean:
	rm -rf build dist .pytest_cache
