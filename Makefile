# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install run test bench lint format clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Starting the web server on http://127.0.0.1:$(PORT), a worker and beat; Ctrl-C stops all."
	@trap 'kill $$(jobs -p) 2>/dev/null; sleep 3; kill -QUIT $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	$(BIN)/celery -A herow_segments worker --loglevel INFO --concurrency 2 & \
	$(BIN)/celery -A herow_segments beat --loglevel INFO & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
