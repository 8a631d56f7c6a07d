# kzai: two commands for a newcomer — `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# Local commands run in development mode: with DEBUG off kzai refuses the demo SECRET_KEY and an
# empty ALLOWED_HOSTS. An explicit DEBUG in the environment still wins.
DEV := DEBUG=$${DEBUG:-1}
# pip-tools for `make lock`, itself pinned (any newer release may write the files differently).
PIP_TOOLS := pip-tools==7.6.2

.PHONY: demo test install lock migrate demo-data serve lint format browser worker beat bench messages check-deploy clean

# The locked versions (requirements-dev.lock, with hashes), then kzai itself without dependencies.
$(STAMP): pyproject.toml requirements-dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## lock: re-resolve requirements.lock (app + PDF, for the image) and requirements-dev.lock (app +
## dev tools, constrained to the same versions) from pyproject.toml; commit both files.
## Resolved against the public index alone (no local pip configuration), so the hashes are its own.
## UPGRADE=1 moves every package to its newest allowed version; otherwise pins are kept.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet $(PIP_TOOLS)
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) \
		--extra pdf -o requirements.lock pyproject.toml
	PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) \
		--extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_requirements

demo-data: migrate
	$(DEV) $(PY) manage.py load_demo

## demo: install, migrate the embedded SQLite database, load the demo tenant and serve on :8000
demo: demo-data
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

serve: migrate
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## test: ruff, then the whole suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadgroup -p no:randomly $(PYTEST_ARGS)

## browser: Debian's Chromium for the Playwright tests (never `playwright install`)
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

worker: install
	$(DEV) $(BIN)/celery -A kzai worker --loglevel=INFO

beat: install
	$(DEV) $(BIN)/celery -A kzai beat --loglevel=INFO

## bench: the register list at 10,000 systems, its CSV/XLSX export, a 10,000-row import, the reminder sweep at 100,000
## deadlines, the whole daily task at 10,000 systems and 100,000 deadlines (PostgreSQL only, in a
## database named …bench…: BENCH_DAILY_DATABASE_URL, default DATABASE_URL), a technical passport with 50 risks and 100 documents (DEBUG off, as in production, so with a throwaway key and the loopback hosts);
## then the lists and the API at 1,000 and 10,000 systems through gunicorn on 127.0.0.1 (scripts.bench_lists:
## needs DATABASE_URL=postgres://…/<a dedicated benchmark database>, seeded once and kept)
BENCH_ENV = SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost}
bench: install
	$(BENCH_ENV) $(PY) manage.py migrate --verbosity 0
	$(BENCH_ENV) $(PY) manage.py load_requirements
	$(BENCH_ENV) $(PY) -m scripts.bench_registry
	$(BENCH_ENV) $(PY) -m scripts.bench_import
	$(BENCH_ENV) $(PY) -m scripts.bench_sweep $(BENCH_ARGS)
	$(BENCH_ENV) DATABASE_URL=$${BENCH_DAILY_DATABASE_URL:-$$DATABASE_URL} $(PY) -m scripts.bench_daily
	$(BENCH_ENV) $(PY) -m scripts.bench_export
	$(BENCH_ENV) $(PY) -m scripts.bench_passport
	$(BENCH_ENV) $(PY) -m scripts.bench_lists $(BENCH_LISTS_ARGS)

messages: install
	$(DEV) $(PY) manage.py makemessages -l ru -l kk --ignore=.venv --ignore=tests
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=kzai.example.kz SITE_URL=https://kzai.example.kz \
	SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
