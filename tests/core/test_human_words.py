"""No page shows a person an internal value (issue 12, "human words, not internals").

Two walks, each in English, Russian and Kazakh: every page of the portal with one organization
holding one of everything (`tests.security.world`), and the pages a person reaches by following
links from the overview of the realistic demo organization (`manage.py load_demo`). On each, the
visible text (tags stripped, attribute values ignored) must hold none of the values
`tests.core.human_words` knows: choice keys and field names, True/False/None, ISO timestamps and
dates, `app.model` labels, request ids, and on Russian and Kazakh pages English choice labels.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kzai.accounts.middleware import SESSION_KEY
from kzai.accounts.models import Membership
from registry.transfer import COLUMNS
from tests.core.human_words import context_of, page_words, raw_values
from tests.security.world import URL_ARGS, build_world, portal_url_names

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ru", "kk")
# What a page may show on purpose, with the reason.
ALLOWED = {
    # The import file's column names are the file's contract, and the preview's cells show what the
    # uploaded file says (its "owner", "banking"): the page must show them as they are.
    "registry:system_import": {f"internal name {c.header!r}" for c in COLUMNS}
    | {f"choice key {key!r}" for c in COLUMNS if c.choices for key in c.choices.values},
    # The demo's hosted model is versioned by its vendor's release date ("GPT-4o 2024-08-06"): data.
    "registry:system_detail": {"ISO date '2024-08-06'"},
}
CRAWL_LIMIT = 120
NOT_CRAWLED = ("/api/", "/admin/", "/i18n/", "/accounts/logout", "/static/", "/media/", "/p/")
NOT_A_PAGE = ("export", "download", "/pack", "/passport", "template", ".csv", ".xlsx", ".pdf", ".json")


def _get(web, url, language):
    with translation.override(language):  # the middleware activates it; put English back after
        return web.get(url, HTTP_ACCEPT_LANGUAGE=language)


def _findings(response, language, allowed=frozenset()):
    words = page_words(response.content.decode())
    return [(f, context_of(words, f)) for f in raw_values(words, language) if f not in allowed]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_the_portal_speaks_human_words(org, web_for, language):
    world = build_world(org)
    web = web_for(world.admin)
    found, pages = {}, 0
    for name in portal_url_names():
        url = reverse(name, args=URL_ARGS[name](world) if name in URL_ARGS else [])
        response = _get(web, url, language)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        findings = _findings(response, language, ALLOWED.get(name, frozenset()))
        if findings:
            found[name] = findings[:5]
    assert pages > 60  # the walk reached the portal, not a sign-in page
    assert not found, found


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                self.hrefs.append(urldefrag(href)[0])


def _crawlable(url):
    path = urlsplit(url).path
    return (
        not urlsplit(url).query
        and not path.startswith(NOT_CRAWLED)
        and not any(part in path for part in NOT_A_PAGE)
    )


@pytest.fixture
def demo_officer(db):
    call_command("load_demo")
    return Membership.objects.select_related("user", "organization").get(
        user__email="officer@demo.kz", organization__slug="qazaq-bank"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_of_the_demo_organization_speak_human_words(demo_officer, language):
    web = Client()
    web.force_login(demo_officer.user)
    session = web.session
    session[SESSION_KEY] = demo_officer.organization_id
    session.save()
    queue, seen, found = deque(["/"]), {"/"}, {}
    visited = 0
    while queue and visited < CRAWL_LIMIT:
        url = queue.popleft()
        response = _get(web, url, language)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        html = response.content.decode()
        findings = _findings(response, language, ALLOWED.get(response.resolver_match.view_name, frozenset()))
        if findings:
            found[url] = findings[:5]
        links = _Links()
        links.feed(html)
        for href in links.hrefs:
            if href not in seen and _crawlable(href):
                seen.add(href)
                queue.append(href)
    assert visited > 40
    assert not found, found


@pytest.mark.parametrize("language", LANGUAGES)
def test_import_preview_with_errors_speaks_human_words(
    org, officer, web_for, language, django_capture_on_commit_callbacks
):
    """The dry run's table: cells, per-cell errors and the row-errors column (never "None")."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.registry.test_import import GOOD, csv_bytes

    web = web_for(officer)
    content = csv_bytes(GOOD[0], "BAD 1,Name,Purpose,landlord,banking,maybe,,")
    with translation.override(language):
        with django_capture_on_commit_callbacks(execute=True):  # the worker runs the dry run
            started = web.post(
                reverse("registry:system_import"),
                {"file": SimpleUploadedFile("systems.csv", content)},
                HTTP_ACCEPT_LANGUAGE=language,
            )
        response = web.get(started["Location"], follow=True, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert "has-error" in html  # the preview with its errors is what was checked
    assert not _findings(response, language, ALLOWED["registry:system_import"])
