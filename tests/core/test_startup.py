"""With DEBUG off, the web server refuses to start until the static files are collected."""

import json

from tests.core.test_settings import PRODUCTION_ENV, _manage


def _start_web(static_root):
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(static_root)}
    return _manage("shell", "-c", "import kzai.wsgi; print('started')", env=env)


def test_the_web_server_refuses_to_start_without_collected_static_files(tmp_path):
    result = _start_web(tmp_path)
    assert result.returncode != 0
    assert "collectstatic" in result.stderr and "started" not in result.stdout


def test_it_starts_once_they_are_collected(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1"}))
    result = _start_web(tmp_path)
    assert result.returncode == 0 and "started" in result.stdout, result.stderr
