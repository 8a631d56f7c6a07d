"""Public pages: anyone reads a published page in kk/ru/en; nothing internal leaks; the officer's
pages publish, take down, edit texts and add agreement versions."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry import services as register_services
from registry.public import services
from registry.public.models import AgreementVersion, PublicPage
from tests.factories import AISystemFactory
from tests.registry.public.helpers import TEXTS, published_page
from tests.tenancy import APIContract, PublicContract, UIContract


def _public_urls(page):
    slugs = [page.organization.slug, page.public_slug]
    urls = [reverse("public:page", args=slugs)]
    urls += [
        reverse("public:agreement", args=[*slugs, v.number]) for v in page.system.agreement_versions.all()
    ]
    return urls


class TestPublicPages(PublicContract):
    url_names = ("public:page", "public:agreement", "public:report", "public:objection")

    def make_published(self, organization):
        return published_page(organization, agreements=2)

    def urls(self, page):
        return _public_urls(page)

    def unpublish(self, page):
        services.public_page_unpublish(page=page)

    def archive(self, page):
        register_services.ai_system_archive(system=page.system)

    def internal_values(self, page):
        return [page.system.code, page.system.intended_purpose, page.system.name]


def _get(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_each_language_gets_its_text_and_kazakh_falls_back_to_russian_never_english(client, org):
    page = published_page(org)
    url = reverse("public:page", args=[org.slug, page.public_slug])
    assert TEXTS["summary_kk"] in _get(client, url, "kk")
    assert TEXTS["summary_en"] in _get(client, url, "en")
    assert TEXTS["summary_ru"] in _get(client, url, "ru")
    kazakh = _get(client, url, "kk")
    # No Kazakh notice was written: the Kazakh reader gets the Russian one, not the English one.
    assert TEXTS["processing_notice_ru"] in kazakh
    assert TEXTS["processing_notice_en"] not in kazakh


def test_a_never_published_page_and_unknown_addresses_answer_404(client, org, other_org):
    system = AISystemFactory(organization=org)
    page = services.public_page_save(system=system, public_slug="draft", **TEXTS)
    assert client.get(reverse("public:page", args=[org.slug, page.public_slug])).status_code == 404
    published = published_page(org)
    # The same slug under another organization's address is not this page.
    assert client.get(reverse("public:page", args=[other_org.slug, published.public_slug])).status_code == 404
    assert (
        client.get(reverse("public:agreement", args=[org.slug, published.public_slug, 99])).status_code == 404
    )


def test_current_agreement_is_the_latest_in_effect_and_older_versions_stay_readable(client, org):
    page = published_page(org, agreements=2)
    future = services.agreement_version_add(
        system=page.system, effective_on=datetime.date(2099, 1, 1), text_ru="Будущая версия"
    )
    body = _get(client, reverse("public:page", args=[org.slug, page.public_slug]), "ru")
    assert reverse("public:agreement", args=[org.slug, page.public_slug, 2]) in body
    assert reverse("public:agreement", args=[org.slug, page.public_slug, 1]) in body
    old = _get(client, reverse("public:agreement", args=[org.slug, page.public_slug, 1]), "en")
    assert "Agreement version 1" in old
    # A version not yet in effect is not public.
    assert (
        client.get(reverse("public:agreement", args=[org.slug, page.public_slug, future.number])).status_code
        == 404
    )


def test_publishing_needs_the_russian_essentials(org):
    system = AISystemFactory(organization=org)
    page = services.public_page_save(system=system, public_slug="bare", title_en="Only English")
    with pytest.raises(Exception) as error:
        services.public_page_publish(page=page)
    assert "summary_ru" in error.value.message_dict
    page.refresh_from_db()
    assert not page.is_published


def test_public_pages_carry_no_inline_script_or_handler(client, org):
    page = published_page(org)
    body = _get(client, reverse("public:page", args=[org.slug, page.public_slug]), "ru")
    assert "<script" not in body and "onchange=" not in body and "onclick=" not in body


# -- the officer's pages -----------------------------------------------------------------------------
class TestSystemPublicTab(UIContract):
    detail_url_name = "registry:system_public"
    update_url_name = "registry:system_public_update"
    covered_url_names = ("registry:system_public_publish", "registry:agreement_version_create")

    def make_object(self, organization):
        return published_page(organization).system


class TestPublicPageList(UIContract):
    list_url_name = "registry:public_page_list"

    def make_object(self, organization):
        return published_page(organization)


def test_officer_writes_publishes_and_takes_down_a_page_through_the_portal(org, make_member, web_for, client):
    officer = make_member(Role.OFFICER)
    web = web_for(officer)
    system = AISystemFactory(organization=org)
    response = web.post(
        reverse("registry:system_public_update", args=[system.pk]), {"public_slug": "scoring", **TEXTS}
    )
    assert response.status_code == 302, response.content
    public_url = reverse("public:page", args=[org.slug, "scoring"])
    assert client.get(public_url).status_code == 404  # written, not yet published
    web.post(reverse("registry:system_public_publish", args=[system.pk]))
    assert client.get(public_url).status_code == 200
    web.post(reverse("registry:system_public_publish", args=[system.pk]), {"unpublish": "1"})
    assert client.get(public_url).status_code == 404
    page = PublicPage.objects.get(system=system)
    assert (
        ActivityRecord.objects.filter(
            object_id=str(page.pk), action="update", changes__has_key="is_published"
        ).count()
        == 2
    )


def test_bad_slug_and_missing_dates_are_form_errors_not_500(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    system = AISystemFactory(organization=org)
    response = web.post(
        reverse("registry:system_public_update", args=[system.pk]), {"public_slug": "Bad Slug!"}
    )
    assert response.status_code == 200 and "public_slug" in response.context["form"].errors
    response = web.post(reverse("registry:agreement_version_create", args=[system.pk]), {"text_ru": "x"})
    assert response.status_code == 200 and "effective_on" in response.context["form"].errors
    response = web.post(
        reverse("registry:agreement_version_create", args=[system.pk]), {"effective_on": "2026-01-01"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not AgreementVersion.objects.filter(system=system).exists()


def test_agreement_versions_are_numbered_in_order_through_the_portal(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    system = AISystemFactory(organization=org)
    url = reverse("registry:agreement_version_create", args=[system.pk])
    for day in (1, 2):
        assert web.post(url, {"effective_on": f"2026-02-0{day}", "text_ru": f"v{day}"}).status_code == 302
    assert list(system.agreement_versions.values_list("number", "text_ru")) == [(2, "v2"), (1, "v1")]


def test_viewers_cannot_publish(org, make_member, web_for, client):
    page = published_page(org)
    web = web_for(make_member(Role.VIEWER))
    assert (
        web.post(
            reverse("registry:system_public_publish", args=[page.system_id]), {"unpublish": "1"}
        ).status_code
        == 403
    )
    assert client.get(reverse("public:page", args=[org.slug, page.public_slug])).status_code == 200


# -- API -------------------------------------------------------------------------------------------
class TestPublicPageAPI(APIContract):
    basename = "public-page"

    def make_object(self, organization):
        return published_page(organization, agreements=0)
