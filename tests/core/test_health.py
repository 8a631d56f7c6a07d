import pytest


def test_healthz_ok_with_database(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_healthz_reports_redis_failure(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error")


def test_healthz_reports_database_failure(client, db, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise RuntimeError("database down")

    monkeypatch.setattr("kzai.core.views.connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: RuntimeError"


@pytest.mark.skipif("not __import__('os').environ.get('REDIS_URL')", reason="REDIS_URL not set")
def test_healthz_with_the_real_redis(client, db, settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get("/healthz").json()["checks"]["redis"] == "ok"
