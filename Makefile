# corridormap: `make map` and `make test` are all a fresh machine needs (python3 >= 3.11).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= build/g60_corridor_map.html

.PHONY: map test env lint export browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

env: $(STAMP)

## Write the corridor map (libraries from the CDN; add --self-contained for offline use).
map: env
	$(BIN)/corridormap build --out $(OUT)

## Run the whole suite: lint, unit, CLI, wheel and browser tests.
test: env browser
	$(BIN)/ruff check corridormap tests scripts bench
	$(BIN)/python -m pytest

## Debian's chromium (and CJK fonts) for the browser suite; installed when missing.
browser:
	@test -x /usr/bin/chromium || sh scripts/install_chromium.sh

lint: env
	$(BIN)/ruff check corridormap tests scripts bench
	$(BIN)/ruff format --check corridormap tests scripts

clean:
	rm -rf build dist .pytest_cache
