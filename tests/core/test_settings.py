"""The settings module: safe defaults, and `check --deploy` clean with production variables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "kzai.example.kz",
    "SITE_URL": "https://kzai.example.kz",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "DATABASE_URL": "sqlite:////tmp/kzai-deploy-check.sqlite3",
}


def _manage(*args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_flags_the_demo_defaults():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_debug_is_off_unless_asked(settings):
    from django.conf import settings as live

    assert live.DEBUG is False
    assert live.SESSION_COOKIE_HTTPONLY and live.X_FRAME_OPTIONS == "DENY"
    assert "django.middleware.csrf.CsrfViewMiddleware" in live.MIDDLEWARE


def test_tasks_run_in_process_without_redis():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='kzai.settings';"
            "django.setup();from django.conf import settings as s;"
            "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "memory://localhost/"], result.stderr
