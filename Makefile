# The two commands a newcomer types are `make demo` and `make test`; both set
# up the virtual environment they need first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ENGINE ?= pseudo

.PHONY: demo test test-archive lint typecheck check-gettext clean

# The long step shows pip's own progress; the line before it says what comes.
$(BIN)/l10n: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "installing l10n-workflow with its dev tools into $(VENV): about 230 MB to download" \
		"(CTranslate2, onnxruntime, numpy, SentencePiece, argostranslate, trafilatura, ruff," \
		"mypy, pytest, and 80 MB for Ray, for its tests); about 790 MB installed, CPU only"
	$(BIN)/pip install -e ".[dev]"
	touch $@

## demo: translate the bundled article with the bundled glossaries into locales/
demo: $(BIN)/l10n
	$(BIN)/l10n run --engine $(ENGINE)

## test: lint, type-check and run the test suite
test: $(BIN)/l10n check-gettext lint typecheck
	$(BIN)/pytest

## test-archive: the 20,000-article archive in waves, both executors (about 7 minutes)
test-archive: $(BIN)/l10n
	$(BIN)/pytest -m archive tests/test_archive.py

lint: $(BIN)/l10n
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/l10n
	$(BIN)/mypy

# The tests check every file written with GNU msgfmt and msgmerge. Root on a
# system with apt-get gets them installed; anyone else gets one line saying
# which package to install and how, and make stops.
check-gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing GNU gettext (msgfmt, msgmerge) with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
		else \
			if command -v apt-get >/dev/null 2>&1; then how="with: sudo apt-get install gettext"; \
			elif command -v dnf >/dev/null 2>&1; then how="with: sudo dnf install gettext"; \
			elif command -v brew >/dev/null 2>&1; then how="with: brew install gettext"; \
			else how="with your system's package manager"; fi; \
			echo "make test needs GNU gettext (msgfmt, msgmerge), which is missing: install the package gettext $$how" >&2; \
			exit 1; \
		fi; }

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
