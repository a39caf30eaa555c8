# os2scan: every command a newcomer needs. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
WHEELHOUSE := .cache/wheelhouse

.PHONY: install install-test run test test-fast lint self-check bench clean system-deps wheelhouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

## install: create .venv with os2scan installed
install: $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,cluster]'
	touch $@

install-test: $(TEST_STAMP)

## system-deps: git, Debian's chromium and PostgreSQL (the tests drive them), installed when missing
system-deps:
	@bash scripts/system-deps.sh

## run: scan the bundled demo portfolio offline and write the reports into out/
run: install
	$(BIN)/os2scan scan --out out

## wheelhouse: wheels of os2scan's dependencies, so the packaging test installs them offline
wheelhouse: install
	$(BIN)/pip wheel --quiet --wheel-dir $(WHEELHOUSE) .

## test: install the test and cluster extras and run the whole suite
test: install-test system-deps wheelhouse
	OS2SCAN_TEST_WHEELHOUSE=$(WHEELHOUSE) $(BIN)/python -m pytest -q

## test-fast: the tests that need no scancode licence index (a minute or two)
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not scancode and not slow and not cluster"

## self-check: os2scan checks this repository against OS2's policy, as a member project's CI does
self-check: install
	$(BIN)/os2scan check . --quiet --fail-on error

## lint: ruff, mypy and the import contracts
lint: install-test
	$(BIN)/ruff check scanner rules reports tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## bench: measure os2scan against the scancode command on real third-party trees
bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out .os2scan .pytest_cache .cache
