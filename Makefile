# Two commands do all set-up on a fresh machine with Python 3.11+, git and make:
#   make demo   - virtual environment, perfkit, the demo district's data and its reports in outputs/
#   make test   - the same environment, then the whole test suite (slow tier included)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.perfkit-installed

.PHONY: demo demo-all test test-fast env clean

env: $(STAMP)

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

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) outputs/* build *.egg-info
