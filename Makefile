# exporter: `make demo` builds the sample bulletin into out/, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := samples/tuan-47
OUT    := out
STAMP  := $(VENV)/.installed
# Ace by DAISY (accessibility checker for the EPUB test), installed without its browser download:
# it runs in Debian's chromium.
ACE_VERSION := 1.4.6
ACE    := .tools/ace/node_modules/.bin/ace-puppeteer

.PHONY: demo test lint install check-system bench clean

demo: $(STAMP)
	$(BIN)/exporter build $(SAMPLE) -o $(OUT)

test: $(STAMP) $(ACE)
	@command -v chromium >/dev/null || \
	  { echo "The accessibility test (Ace) needs Chromium: apt-get install chromium"; exit 1; }
	PUPPETEER_EXECUTABLE_PATH=$$(command -v chromium) ACE=$(ACE) $(BIN)/python -m pytest

# Benchmarks (not part of test): PDF build time and memory for 10/40/160 articles,
# WeasyPrint alone on our HTML, one against two columns; batch speed-up and no-change rerun;
# import quality over the fixtures.
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/import_quality.py

lint: $(STAMP)
	$(BIN)/ruff check exporter tests

install: $(STAMP)

$(STAMP): pyproject.toml | check-system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,icu]'
	touch $@

$(ACE):
	@command -v npm >/dev/null || \
	  { echo "Ace by DAISY needs Node.js and npm: apt-get install nodejs npm"; exit 1; }
	npm install --prefix .tools/ace --no-audit --no-fund --ignore-scripts --loglevel=error \
	  @daisy/ace@$(ACE_VERSION)

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
	rm -rf $(VENV) $(OUT) .pytest_cache .tools
