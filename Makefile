# Two commands set up everything on a fresh machine:
#   make example   builds an example workshop pack into out/
#   make test      installs what the tests need (system packages too) and runs them
#   make serve     starts the web page for HR staff on http://127.0.0.1:8000/
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
EXAMPLE ?= examples/leiargruppe-trinn2-nb.yaml

.PHONY: example test lint system-deps venv clean bench serve screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python

# The package is installed from a built wheel (not editable), as users get it.
example: venv
	$(BIN)/python -m pip install --quiet .
	$(BIN)/etikkverksted build $(EXAMPLE) -o out --force
	@echo "The pack is in out/. Open the .pptx and the .docx files."

# The web page for HR staff: http://127.0.0.1:8000/ (Ctrl-C stops it).
# Options go in SERVE_ARGS, e.g. make serve SERVE_ARGS="--port 8080 --open".
SERVE_ARGS ?=
serve: venv
	$(BIN)/python -m pip install --quiet .
	$(BIN)/etikkverksted serve $(SERVE_ARGS)

# The user guide's screenshots of the web page, taken by the browser tests.
screenshots: system-deps venv
	$(BIN)/python -m pip install --quiet ".[test]"
	ETIKKVERKSTED_SCREENSHOTS=docs/bilete $(BIN)/python -m pytest -q tests/test_web_browser.py

system-deps:
	bash scripts/install-system-deps

test: system-deps venv
	$(BIN)/python -m pip install --quiet ".[test]"
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check src tests benchmarks

bench: venv
	$(BIN)/python -m pip install --quiet .
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out build dist .pytest_cache
