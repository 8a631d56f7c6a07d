# syntax=docker/dockerfile:1
# Production image of kzai: gunicorn serves the site (static files through WhiteNoise); the same
# image runs the Celery worker and beat with another command (see docker-compose.yml).
# Every setting comes from the environment; see .env.example.
FROM python:3.11-slim-bookworm

# PYTHONPATH: import kzai from /app, where templates, static sources and locale/ live beside the
# code (settings derive BASE_DIR from the module's path), never from the copy `pip install .`
# leaves in site-packages; gunicorn and celery find the project through it too.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=kzai.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# WeasyPrint's system libraries (PDF reports), gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        libffi8 libjpeg62-turbo libopenjp2-7 fonts-dejavu-core shared-mime-info \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# A writable home: gunicorn (>= 25) puts its control socket in ~/.gunicorn, while /app stays
# read-only for this user.
RUN groupadd --system --gid 1000 kzai \
    && useradd --system --uid 1000 --gid kzai --create-home --home-dir /home/kzai \
        --shell /usr/sbin/nologin kzai

WORKDIR /app

# Dependencies first, read from pyproject.toml, so that a code change doesn't reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt 'weasyprint>=65,<71' \
    && rm /tmp/requirements.txt

# The project itself (no dev extras: no pytest, ruff or playwright in the image).
COPY . .
RUN pip install --no-deps . \
    && rm -rf build *.egg-info

# Translations and static files are baked into the image. The throwaway key only lets the
# settings load; the real one comes from the environment at run time. compilemessages refuses
# to run where no locale directory exists, hence the mkdir (a no-op once locale/ is committed).
RUN mkdir -p locale \
    && SECRET_KEY=build-only-not-secret python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && install -d -o kzai -g kzai "$MEDIA_ROOT"

# Code and static files stay root-owned (read-only for the app); only media is writable.
USER kzai

EXPOSE 8000

CMD ["gunicorn", "--config", "gunicorn.conf.py", "kzai.wsgi:application"]
