# Two commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: demo test bench evidently-venv lint clean system-deps

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)
	$(PY) -m monitorflow.demo

# Debian packages the tests drive for real: headless Chromium (PostgreSQL 15 ships with the machine), and
# WordNet 3.0, the reference lemmatizer data of the text descriptor tests (NLTK's, as Evidently uses it).
system-deps:
	@command -v chromium >/dev/null && [ -f /usr/share/wordnet/index.sense ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    apt-get install -y -qq chromium wordnet-base wordnet-sense-index >/dev/null; \
	  else echo "install Debian's chromium wordnet-base wordnet-sense-index (sudo apt-get install ...)" >&2; exit 1; fi; }

# The Evidently parity tests run against Evidently in its own venv (never a dependency of ours);
# without network they are skipped with the reason, the rest of the suite still runs.
test: $(STAMP) system-deps
	@$(PYTHON) bench/setup_evidently.py || echo "warning: .venv-evidently not created; Evidently parity tests will be skipped" >&2
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

bench: $(STAMP)
	$(PY) bench/run_all.py $(BENCH_ARGS)

evidently-venv:
	$(PYTHON) bench/setup_evidently.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis demo-output
