# StepDesk: `make run` opens the app on a fresh demo database; `make test` runs every test.
# Both create .venv when it is missing and install what the project needs into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint dist clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/stepdesk --demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check stepdesk ui reports resources tests bench
	$(BIN)/mypy

dist: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	@echo "Built dist/StepDesk/ (run dist/StepDesk/StepDesk --version to check it)"

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
