# kzai: two commands for a newcomer — `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: demo test install migrate demo-data serve lint format browser worker beat bench messages check-deploy clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_requirements

demo-data: migrate
	$(PY) manage.py load_demo

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
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadgroup -p no:randomly $(PYTEST_ARGS)

## browser: Debian's Chromium for the Playwright tests (never `playwright install`)
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

worker: install
	$(BIN)/celery -A kzai worker --loglevel=INFO

beat: install
	$(BIN)/celery -A kzai beat --loglevel=INFO

## bench: the register list at 10,000 systems, a 10,000-row import, the reminder sweep at 100,000 deadlines
bench: install
	$(PY) -m scripts.bench_registry
	$(PY) -m scripts.bench_import
	$(PY) -m scripts.bench_sweep $(BENCH_ARGS)

messages: install
	$(PY) manage.py makemessages -l ru -l kk --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=kzai.example.kz SITE_URL=https://kzai.example.kz \
	SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
