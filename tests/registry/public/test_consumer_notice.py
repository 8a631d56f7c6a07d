"""The consumer information notice (CONS-01): generated from the register in kk, ru and en,
viewable, printable and downloadable by members, and through the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from registry import services as registry_services
from registry.public.labels.notice import consumer_notice
from tests.factories import RiskFactory
from tests.registry.public.helpers import published_page
from tests.tenancy import APIContract, UIContract


def consumer_system(organization, **facts):
    fields = {
        "name": "Internal codename KX-7",
        "code": f"CONS-{facts.pop('n', 1)}",
        "intended_purpose": "Recommends loan offers in the mobile app.",
        "organization_role": "owner",
        "sector": "banking",
        "consumer_facing": True,
        "interacts_with_natural_persons": True,
        "interaction_channel": "assistant",
        "processes_personal_data": True,
        "decision_role": "prepares",
        "support_contact": "help@alpha.kz",
        **facts,
    }
    return registry_services.ai_system_create(organization=organization, **fields)


def test_the_notice_follows_the_register_facts_and_risks(org):
    system = consumer_system(org, generates_synthetic_content=True, synthetic_media=["text"])
    RiskFactory(system=system, category="accuracy")
    RiskFactory(system=system, category="personal_data")
    notice = consumer_notice(system, "en")
    text = " ".join(notice["facts"] + notice["risks"] + notice["safe_use"])
    assert "You interact with an AI system, not with a human." in text
    assert "a human takes the final decision" in text and "synthetic content (text)" in text
    assert "Results may be inaccurate" in text and "Your personal data is processed" in text
    assert "Do not remove the AI marking" in text
    assert notice["contacts"] == ["help@alpha.kz"] and notice["organization"] == org.name


@pytest.mark.parametrize(
    "language, title",
    [
        ("kk", "Жасанды интеллект компоненті туралы тұтынушыларға арналған ақпарат"),
        ("ru", "Информация для потребителей о компоненте искусственного интеллекта"),
        ("en", "Consumer information on the artificial intelligence component"),
    ],
)
def test_the_notice_is_written_in_the_language_asked_for(org, language, title):
    notice = consumer_notice(consumer_system(org), language)
    assert notice["title"] == title and notice["language"] == language


def test_a_published_page_gives_the_public_name_texts_and_address(org):
    page = published_page(org, system=consumer_system(org))
    notice = consumer_notice(page.system, "kk", site_url="https://kzai.example")
    assert notice["product"] == "Несие көмекшісі" and "KX-7" not in notice["product"]
    assert notice["about"] == "Несие өтінімін бағалауға көмектеседі."
    assert notice["contacts"][-1] == f"https://kzai.example/p/{org.slug}/{page.public_slug}/"


def test_members_view_print_and_download_it(org, make_member, web_for):
    system = consumer_system(org)
    web = web_for(make_member(Role.VIEWER))
    page = web.get(reverse("registry:system_consumer_notice", args=[system.pk]), {"language": "ru"})
    body = page.content.decode()
    assert page.status_code == 200 and 'lang="ru"' in body and "Возможные риски" in body
    printable = web.get(reverse("registry:system_consumer_notice_document", args=[system.pk, "kk"]))
    assert printable.status_code == 200 and "Content-Disposition" not in printable
    assert "Ықтимал тәуекелдер" in printable.content.decode() and "<style>" not in printable.content.decode()
    download = web.get(
        reverse("registry:system_consumer_notice_document", args=[system.pk, "en"]), {"download": 1}
    )
    assert download["Content-Disposition"] == f'attachment; filename="consumer-notice-{system.pk}-en.html"'
    assert "<style>" in download.content.decode() and "Potential risks" in download.content.decode()
    assert (
        web.get(reverse("registry:system_consumer_notice_document", args=[system.pk, "de"])).status_code
        == 404
    )
    # An unknown language on the page falls back to Kazakh, the state language.
    fallback = web.get(reverse("registry:system_consumer_notice", args=[system.pk]), {"language": "de"})
    assert fallback.status_code == 200 and 'lang="kk"' in fallback.content.decode()


def test_the_api_gives_the_notice_in_three_languages_or_one(org, make_member, api_for):
    system = consumer_system(org)
    client = api_for(make_member(Role.VIEWER))
    body = client.get(reverse("consumer-notice-detail", args=[system.pk])).json()
    assert set(body["notices"]) == {"kk", "ru", "en"}
    assert body["notices"]["ru"]["title"].startswith("Информация для потребителей")
    one = client.get(reverse("consumer-notice-detail", args=[system.pk]), {"language": "en"}).json()
    assert set(one["notices"]) == {"en"}
    bad = client.get(reverse("consumer-notice-detail", args=[system.pk]), {"language": "xx"})
    assert bad.status_code == 400 and "language" in bad.json()


def test_an_archived_system_has_no_notice_in_the_api(org, make_member, api_for):
    system = consumer_system(org)
    registry_services.ai_system_archive(system=system)
    client = api_for(make_member(Role.VIEWER))
    assert client.get(reverse("consumer-notice-detail", args=[system.pk])).status_code == 404


def test_the_notice_pages_read_a_bounded_number_of_queries(
    org, make_member, web_for, django_assert_max_num_queries
):
    system = consumer_system(org)
    for category in ("accuracy", "safety", "misuse"):
        RiskFactory(system=system, category=category)
    web = web_for(make_member(Role.VIEWER))
    web.get(reverse("registry:system_consumer_notice", args=[system.pk]))
    with django_assert_max_num_queries(12):
        web.get(reverse("registry:system_consumer_notice", args=[system.pk]))


_seq = iter(range(1, 10**6))


def _system(organization):
    return consumer_system(organization, n=next(_seq))


class TestConsumerNoticePages(UIContract):
    detail_url_name = "registry:system_consumer_notice"
    covered_url_names = ("registry:system_consumer_notice_document",)

    def make_object(self, organization):
        return _system(organization)

    def _object_urls(self, obj):
        return [
            *super()._object_urls(obj),
            reverse("registry:system_consumer_notice_document", args=[obj.pk, "ru"]),
        ]


class TestConsumerNoticeAPI(APIContract):
    basename = "consumer-notice"

    def make_object(self, organization):
        return _system(organization)
