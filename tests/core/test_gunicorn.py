"""The gunicorn config: workers and timeout from the environment, request id in the access log."""

import pathlib
import runpy

from django.urls import reverse

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = ROOT / "gunicorn.conf.py"


def _load(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_and_timeout_come_from_the_environment(monkeypatch):
    config = _load(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_TIMEOUT="90")
    assert config["workers"] == 5 and config["timeout"] == 90


def test_defaults_are_sane(monkeypatch):
    config = _load(monkeypatch, WEB_CONCURRENCY="")
    assert 2 <= config["workers"] <= 8 and config["timeout"] == 60
    assert config["accesslog"] == "-" and config["max_requests"] > 0


def test_the_access_log_prints_the_request_id_the_portal_answers(monkeypatch, client, db):
    config = _load(monkeypatch)
    assert "%({x-request-id}o)s" in config["access_log_format"]
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="req-123")
    assert response["X-Request-ID"] == "req-123"
    assert len(client.get(reverse("healthz"))["X-Request-ID"]) == 32  # one is made when none is sent


def test_the_image_and_compose_use_the_config():
    assert '"--config", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    assert "--config=gunicorn.conf.py" in (ROOT / "docker-compose.yml").read_text()
