# Two commands do all set-up on a fresh machine with Python 3.11+, git and make:
#   make demo   - virtual environment, perfkit, the demo district's data and its reports in outputs/
#   make test   - the same environment, then the whole test suite (slow tier included)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.perfkit-installed
# PDF output (perfkit[pdf] = WeasyPrint) needs these system libraries (Debian/Ubuntu names);
# HarfBuzz-Subset makes WeasyPrint subset fonts without a timestamp (byte-identical PDFs)
PDF_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
APT      := DEBIAN_FRONTEND=noninteractive apt-get -y -qq -o=Dpkg::Use-Pty=0

.PHONY: demo demo-all test test-fast env clean pdf-libs

env: $(STAMP) pdf-libs

# Best effort, never fails: when Pango or HarfBuzz-Subset is missing and we are root with
# apt-get, install them quietly (apt-get update only if the first attempt fails). Elsewhere the
# PDF tests are skipped, saying why.
pdf-libs:
	@libs="$$( (ldconfig -p || /sbin/ldconfig -p) 2>/dev/null )"; \
	if echo "$$libs" | grep -q 'libpango-1\.0\.so' && echo "$$libs" | grep -q 'libpangoft2-1\.0\.so' \
	    && echo "$$libs" | grep -q 'libharfbuzz-subset\.so'; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then \
	  echo "installing $(PDF_DEBS) for PDF output (apt-get)"; \
	  $(APT) install --no-install-recommends $(PDF_DEBS) > /dev/null 2>&1 \
	  || { $(APT) update > /dev/null 2>&1 \
	       && $(APT) install --no-install-recommends $(PDF_DEBS) > /dev/null 2>&1; } \
	  || echo "note: could not install $(PDF_DEBS): PDF output is unavailable, its tests skip"; \
	else \
	  echo "note: PDF output needs $(PDF_DEBS) (apt install ...): its tests skip without them"; \
	fi; exit 0

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "perfkit needs Python 3.11+")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,interactive]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/perfkit demo

demo-all: $(STAMP)
	$(BIN)/perfkit demo --all

test: $(STAMP) pdf-libs
	$(BIN)/python -m pytest -q

test-fast: $(STAMP) pdf-libs
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) outputs/* build *.egg-info
