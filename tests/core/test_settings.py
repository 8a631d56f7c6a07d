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


# -- refusing to start with DEBUG off on the demo key or no hosts --------------------------------
DEMO_KEY = "django-insecure-kzai-demo-key-change-me"


def _run(command, env):
    """Run a kzai command line with only `env` (on top of PATH and the like) deciding the settings."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "REDIS_URL",
        }
    }
    return subprocess.run(command, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_manage_refuses_the_demo_key_with_debug_off():
    for key_env in ({"SECRET_KEY": DEMO_KEY}, {}, {"SECRET_KEY": ""}):  # demo key, none, empty
        result = _run(
            [sys.executable, "manage.py", "check"],
            env={"DEBUG": "0", "ALLOWED_HOSTS": "kzai.example.kz", **key_env},
        )
        assert result.returncode != 0
        assert "set SECRET_KEY to a long random string" in result.stderr, result.stderr
        assert "ALLOWED_HOSTS" not in result.stderr.split("ImproperlyConfigured")[-1]


def test_manage_refuses_empty_allowed_hosts_with_debug_off():
    for hosts_env in ({"ALLOWED_HOSTS": ""}, {"ALLOWED_HOSTS": " , "}, {}):
        result = _run(
            [sys.executable, "manage.py", "check"],
            env={"DEBUG": "0", "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"], **hosts_env},
        )
        assert result.returncode != 0
        assert "ALLOWED_HOSTS is empty: set it to the comma-separated host names" in result.stderr


def test_demo_defaults_still_start_with_debug_on():
    result = _run([sys.executable, "manage.py", "check"], env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_gunicorn_refuses_the_demo_key():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = _run(
        [str(gunicorn), "kzai.wsgi:application", "--bind=127.0.0.1:0", "--workers=1", "--timeout=30"],
        env={"DEBUG": "0", "ALLOWED_HOSTS": "kzai.example.kz"},
    )
    assert result.returncode != 0
    assert "Worker failed to boot" in result.stderr
    assert "set SECRET_KEY to a long random string" in result.stderr


def test_celery_worker_and_beat_refuse_the_demo_key():
    celery = str(Path(sys.executable).with_name("celery"))
    for command in ([celery, "-A", "kzai", "worker", "--pool=solo"], [celery, "-A", "kzai", "beat"]):
        result = _run(command, env={"DEBUG": "0", "ALLOWED_HOSTS": "kzai.example.kz"})
        assert result.returncode != 0, command
        assert "set SECRET_KEY to a long random string" in result.stdout + result.stderr, command
