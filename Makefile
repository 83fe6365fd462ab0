# The two commands a newcomer types are `make demo` and `make test`; both set
# up the virtual environment they need first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ENGINE ?= pseudo

.PHONY: demo test lint typecheck check-gettext clean

$(BIN)/l10n: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

## demo: translate the bundled article with the bundled glossaries into locales/
demo: $(BIN)/l10n
	$(BIN)/l10n run --engine $(ENGINE)

## test: lint, type-check and run the test suite
test: $(BIN)/l10n check-gettext lint typecheck
	$(BIN)/pytest

lint: $(BIN)/l10n
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/l10n
	$(BIN)/mypy

# The tests check every file written with GNU msgfmt and msgmerge.
check-gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
		echo "installing GNU gettext (msgfmt, msgmerge)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
