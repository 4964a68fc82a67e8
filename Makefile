# carshare — the two commands: `make run` and `make test`.
SHELL := /bin/bash
# The newest Python >= 3.12 on this machine (scripts/find_python.sh); `make PYTHON=...` names one.
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app app
MO := carshare/translations/ja/LC_MESSAGES/messages.mo carshare/translations/en/LC_MESSAGES/messages.mo

.PHONY: run test test-fast install lint translations extract-messages i18n clean

## run: install, migrate the embedded SQLite database, load the demo town, serve on :5000
run: install $(MO)
	$(FLASK) db upgrade
	$(FLASK) seed-demo --history
	$(FLASK) serve

## test: install and run ruff, the import contracts (lint-imports) and the whole test suite
test: install $(MO)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

## test-fast: the inner loop — SQLite only, no browser, no other processes, nothing slow,
## spread over the machine's cores (pytest-xdist); `make test` stays the whole truth
test-fast: install $(MO)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n auto -m "not browser and not pg and not subprocess and not slow" \
		-p no:cacheprovider

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@python="$$(bash scripts/find_python.sh $(PYTHON))" || exit 1; \
	if [ -x $(BIN)/python ] && ! bash scripts/find_python.sh $(BIN)/python >/dev/null 2>&1; then \
		echo "Replacing $(VENV), made with an older Python"; rm -rf $(VENV); fi; \
	echo "$$python -m venv $(VENV)"; "$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

translations: $(MO)

carshare/translations/%/LC_MESSAGES/messages.mo: carshare/translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel -q compile -d carshare/translations -l $*

## extract-messages: refresh the message catalogs after changing UI strings
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project carshare -o carshare/translations/messages.pot carshare
	$(BIN)/pybabel update -i carshare/translations/messages.pot -d carshare/translations --no-fuzzy-matching

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

## i18n JA=file.json: extract messages, fill Japanese from a JSON dict, compile (safe to run at once)
i18n: install
	flock /tmp/carshare-i18n.lock bash -c '$(MAKE) --no-print-directory extract-messages >/dev/null 2>&1 && \
		$(BIN)/python scripts/fill_translations.py $(JA) && \
		$(BIN)/pybabel -q compile -d carshare/translations'
