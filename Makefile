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

.PHONY: demo test lint install check-system system-demo system-test bench clean

demo: $(STAMP)
	$(BIN)/exporter build $(SAMPLE) -o $(OUT)

# The suite needs more of the system than the demo: a browser (Ace, the catalogue), Java
# (EPUBCheck), Node.js (Ace), poppler and qpdf (reading the PDFs we make).
test: system-test $(STAMP) $(ACE)
	PUPPETEER_EXECUTABLE_PATH=$$(command -v chromium) ACE=$(ACE) $(BIN)/python -m pytest

# Benchmarks (not part of test): beside pandoc (EPUB, PDF; 40 and 160 articles, stages);
# PDF build time and memory for 10/40/160 articles,
# WeasyPrint alone on our HTML, one against two columns; batch speed-up and no-change rerun;
# import quality over the fixtures; the editor's desk (preview latency in Chromium, new,
# import --into, validate); filled print pages (fill before and after fillers, and what they
# cost).
bench: $(STAMP) system-test
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,icu,bench]'
	$(BIN)/python bench/versus_pandoc.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/import_quality.py
	$(BIN)/python bench/desk.py
	$(BIN)/python bench/fill.py

# Style, and the stage contracts in pyproject.toml (imports only go down; no cycles).
lint: $(STAMP)
	$(BIN)/ruff check exporter tests bench
	$(BIN)/lint-imports

install: $(STAMP)

$(STAMP): pyproject.toml | check-system system-demo
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,icu]'
	touch $@

$(ACE):
	@command -v npm >/dev/null || \
	  { echo "Ace by DAISY needs Node.js and npm: apt-get install nodejs npm"; exit 1; }
	npm install --prefix .tools/ace --no-audit --no-fund --ignore-scripts --loglevel=error \
	  @daisy/ace@$(ACE_VERSION)

# Debian packages, each as 'CHECK;PACKAGES': CHECK is a shell command that succeeds when the
# packages are there. Run as root, make installs what is missing (after apt-get update); run
# as anyone else, it prints the one apt-get line to run and stops.
DEBS_DEMO := \
	'ldconfig -p | grep -q libpango-1.0.so;libpango-1.0-0 libpangoft2-1.0-0' \
	'ldconfig -p | grep -q libharfbuzz-subset.so.0;libharfbuzz-subset0' \
	'pkg-config --exists icu-i18n;libicu-dev pkg-config' \
	'command -v c++;g++'
DEBS_TEST := $(DEBS_DEMO) \
	'command -v chromium;chromium' \
	'command -v pdftoppm;poppler-utils' \
	'command -v qpdf;qpdf' \
	'command -v java;openjdk-17-jre-headless' \
	'command -v npm;npm'

define install_debs
	@missing=; for entry in $(1); do \
	  sh -c "$${entry%%;*}" >/dev/null 2>&1 || missing="$$missing $${entry#*;}"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "exporter needs Debian packages; run as root: apt-get install -y$$missing"; exit 1; \
	fi
endef

system-demo:
	$(call install_debs,$(DEBS_DEMO))

system-test:
	$(call install_debs,$(DEBS_TEST))

# Say what is missing instead of failing halfway through an install or a test.
check-system:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "exporter needs Python >= 3.11 as '$(PYTHON)' (set PYTHON=...)."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
	  { echo "Python's venv is missing: apt-get install python3-venv"; exit 1; }

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .tools
