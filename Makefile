# Tarian: `make demo` runs the demonstration, `make test` runs the whole suite.
# Both create the virtual environment in .venv on first use.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))'; \
	then command -v $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
TESTDEPS := $(VENV)/.installed-test

.PHONY: demo test lint typecheck security pytest fmt messages vendor clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Tarian needs Python 3.11 or newer (python3.11, python3.12 or python3.13)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(TESTDEPS): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@ $(RUNTIME)

# DEMO_ARGS passes options to `tarian demo` (CI prepares the demo with DEMO_ARGS=--no-serve).
demo: $(RUNTIME)
	TARIAN_DEBUG=1 $(BIN)/tarian demo $(DEMO_ARGS)

test: $(TESTDEPS) lint typecheck security pytest

lint: $(TESTDEPS)
	$(BIN)/ruff check .

typecheck: $(TESTDEPS)
	TARIAN_DEBUG=1 $(BIN)/mypy tarian

# Static security analysis of our code, and known vulnerabilities in our dependencies.
security: $(TESTDEPS)
	$(BIN)/bandit -q -c pyproject.toml -r tarian
	scripts/audit-dependencies.sh

pytest: $(TESTDEPS)
	$(BIN)/pytest

fmt: $(TESTDEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format tarian tests bench

# Refresh the Welsh message catalogue after changing templates or marked strings.
messages: $(TESTDEPS)
	TARIAN_DEBUG=1 $(BIN)/tarian makemessages -l cy --ignore=.venv --ignore=tests --ignore=var --no-location
	TARIAN_DEBUG=1 $(BIN)/tarian compilemessages --ignore=.venv

# Maintainers only: refresh the vendored GOV.UK, MoJ, htmx and axe-core files from npm.
vendor:
	scripts/vendor.sh

clean:
	rm -rf $(VENV) var/static
