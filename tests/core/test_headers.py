"""Security headers on every response (pages, API, static files) and no inline script in templates."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client, override_settings
from django.urls import get_resolver

from kzai.core.roles import Role
from tests.core.test_coverage import _walk

ROOT = Path(settings.BASE_DIR)


def _assert_security_headers(response, what):
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, f"{what}: no CSP ({response.status_code})"
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, what
    assert "frame-ancestors 'none'" in policy, what
    assert "camera=()" in response.get("Permissions-Policy", ""), what
    assert response.get("X-Frame-Options") == "DENY", what
    assert response.get("X-Content-Type-Options") == "nosniff", what
    assert response.get("Referrer-Policy") == "same-origin", what


def _concrete(route: str) -> str:
    """A URL for a route pattern, with `1` for every parameter."""
    return "/" + re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "1", route)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_route_answers_with_the_security_headers(make_member, web_for, signed_in):
    client = web_for(make_member(Role.OFFICER)) if signed_in else Client()
    client.raise_request_exception = False
    routes = sorted({_concrete(route) for route, _name in _walk(get_resolver().url_patterns)})
    assert len(routes) > 60
    for url in routes:
        if "logout" in url:
            continue
        _assert_security_headers(client.get(url), url)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
@pytest.mark.parametrize("path", ["/static/css/kzai.css", "/static/js/kzai.js", "/static/vendor/htmx.min.js"])
def test_static_files_get_the_same_headers_as_pages(path):
    response = Client().get(path)
    assert response.status_code == 200
    _assert_security_headers(response, path)


def _template_files():
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    ours = [Path(app.path) for app in apps.get_app_configs()]
    dirs += [path / "templates" for path in ours if path.is_relative_to(ROOT) and ".venv" not in path.parts]
    return sorted(f for d in dirs if d.is_dir() for f in d.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_event_handler():
    files = _template_files()
    assert len(files) > 30
    offenders = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (INLINE_HANDLER, "on…= handler"),
            (JAVASCRIPT_URL, "javascript: URL"),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not offenders, "move these into static JS files:\n" + "\n".join(offenders)


def test_the_checks_catch_what_they_look_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert INLINE_HANDLER.search('<select id="x" onchange="this.form.submit()">')
    assert INLINE_HANDLER.search('<form\n  onsubmit="return confirm()">')
    assert not INLINE_HANDLER.search('<select data-autosubmit name="organization">')
