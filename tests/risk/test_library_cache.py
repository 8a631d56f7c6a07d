"""The requirements library is read once per process (risk.library_cache): the obligations page and
the matrix do not read requirements or library versions again on the next request, a new library
version loaded and adopted shows at once, and each organization (and each language) sees its own."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kzai.core.roles import Role
from risk import library_cache
from risk.models import Requirement
from risk.services.adoption import library_apply
from risk.services.library import library_file_load, library_version_for
from tests.factories import system_with_obligations
from tests.risk.test_library_upgrade import changed_library

pytestmark = pytest.mark.django_db

PAGES = ("risk:obligation_list", "risk:matrix")


def without_tokens(response) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", response.content.decode())


def library_reads(captured) -> list[str]:
    """The queries that read library rows themselves (not a join to order or filter obligations)."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "risk_requirement"' in q["sql"] or 'FROM "risk_requirementlibraryversion"' in q["sql"]
    ]


@pytest.mark.parametrize("url_name", PAGES)
def test_the_second_request_reads_no_library_row(org, officer, web_for, url_name):
    system_with_obligations(org)
    web = web_for(officer)
    library_cache.forget()
    with CaptureQueriesContext(connection) as first:
        page = web.get(reverse(url_name))
    assert page.status_code == 200 and library_reads(first)
    with CaptureQueriesContext(connection) as second:
        again = web.get(reverse(url_name))
    assert library_reads(second) == [], library_reads(second)
    assert len(second) < len(first)
    assert without_tokens(again) == without_tokens(page)


def test_a_new_library_version_adopted_shows_at_once(org, make_member, web_for, tmp_path):
    system_with_obligations(org)
    admin = make_member(Role.ADMIN)
    web = web_for(admin)
    for url_name in PAGES:
        assert "KZ-AI-TEST-99" not in web.get(reverse(url_name)).content.decode()  # the library is kept

    new, created = library_file_load(path=changed_library(tmp_path))
    assert created
    library_apply(organization=org, version=new, membership=admin)
    assert library_version_for(org) == new  # which version is adopted is never cached

    obligations = web.get(reverse("risk:obligation_list"), {"code": "KZ-AI-TEST-99"}).content.decode()
    assert "New duty" in obligations
    matrix = web.get(reverse("risk:matrix")).content.decode()
    assert "KZ-AI-TEST-99" in matrix and "New duty" in matrix
    # The changed text of TR-03 is the new version's, not the one read before.
    tr03 = Requirement.objects.get(library_version=new, code="KZ-AI-TR-03")
    assert library_cache.requirements([tr03.pk])[tr03.pk].text["en"].endswith("in Kazakh and Russian.")


def test_each_organization_sees_the_version_it_adopted(org, other_org, make_member, web_for, tmp_path):
    system_with_obligations(org)
    system_with_obligations(other_org)
    admin = make_member(Role.ADMIN)
    other_officer = make_member(Role.OFFICER, organization=other_org)
    new = library_file_load(path=changed_library(tmp_path))[0]
    library_apply(organization=org, version=new, membership=admin)
    assert library_version_for(other_org) != new

    for url_name in PAGES:
        for _ in range(2):  # the second time from what the process keeps
            ours = web_for(admin).get(reverse(url_name)).content.decode()
            theirs = web_for(other_officer).get(reverse(url_name)).content.decode()
            assert "KZ-AI-TEST-99" in ours
            assert "KZ-AI-TEST-99" not in theirs and "New duty" not in theirs


def test_each_language_reads_its_own_words_from_the_same_copy(org, officer, web_for):
    system = system_with_obligations(org)
    requirement = system.obligations.filter(in_force=True).first().requirement
    web = web_for(officer)
    url = reverse("risk:obligation_list")
    web.get(url)  # kept, read in English
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            title = requirement.title_text
        web.cookies["django_language"] = language
        assert title in web.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode(), language
