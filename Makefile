# exporter: `make demo` builds the sample bulletin into out/, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := samples/tuan-47
OUT    := out
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install check-system bench clean

demo: $(STAMP)
	$(BIN)/exporter build $(SAMPLE) -o $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

# Benchmarks (not part of test): PDF build time and memory for 10/40/160 articles,
# WeasyPrint alone on our HTML, one against two columns.
bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check exporter tests

install: $(STAMP)

$(STAMP): pyproject.toml | check-system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,icu]'
	touch $@

# Say what is missing instead of failing halfway through an install or a test.
check-system:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "exporter needs Python >= 3.11 as '$(PYTHON)' (set PYTHON=...)."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
	  { echo "Python's venv is missing: apt-get install python3-venv"; exit 1; }
	@ldconfig -p | grep -q 'libpango-1.0.so' || \
	  { echo "WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"; exit 1; }
	@pkg-config --exists icu-i18n 2>/dev/null || \
	  { echo "PyICU (Vietnamese collation) needs ICU headers: apt-get install libicu-dev pkg-config"; exit 1; }
	@command -v java >/dev/null || \
	  { echo "EPUBCheck needs Java 17: apt-get install openjdk-17-jre-headless"; exit 1; }

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
