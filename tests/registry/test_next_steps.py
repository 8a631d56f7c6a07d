"""A clear next step: register → "Classify it now"; a party added from a system goes back to that
system's link form; archiving asks first; every save says so."""

import pytest
from django.urls import reverse

from kzai.core.roles import Role
from registry.models import AISystem, Party
from tests.factories import AISystemFactory, DataLibraryFactory, PartyFactory, classify_system, make_bin
from tests.registry.test_pages import FORM

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_after_registering_a_system_classify_it_now_is_the_primary_next_step(org, officer, web_for):
    web = web_for(officer)
    response = web.post(
        reverse("registry:system_create"), {**FORM, "responsible_officer": officer.pk}, follow=True
    )
    system = AISystem.objects.get(organization=org, code=FORM["code"])
    body = response.content.decode()
    assert "The AI system is registered." in _messages(response)
    step = body.split('data-testid="next-step-classify"', 1)[1].split("</section>", 1)[0]
    assert f'class="button primary" href="{reverse("risk:wizard", args=[system.pk])}"' in step
    assert "Classify it now" in step


def test_the_classify_step_goes_once_classified_and_is_not_offered_to_readers(
    org, officer, make_member, web_for
):
    system = AISystemFactory(organization=org)
    detail = reverse("registry:system_detail", args=[system.pk])
    assert (
        'data-testid="next-step-classify"'
        not in web_for(make_member(Role.VIEWER)).get(detail).content.decode()
    )
    classify_system(system, officer)
    assert 'data-testid="next-step-classify"' not in web_for(officer).get(detail).content.decode()


def test_a_party_added_from_a_system_goes_back_to_link_it_there(org, officer, web_for):
    system = AISystemFactory(organization=org)
    web = web_for(officer)
    parties_tab = web.get(reverse("registry:system_parties", args=[system.pk])).content.decode()
    add_url = f"{reverse('registry:party_create')}?system={system.pk}"
    assert f'href="{add_url}"' in parties_tab
    link_form = web.get(reverse("registry:link_create", args=[system.pk])).content.decode()
    assert f'href="{add_url}"' in link_form
    response = web.post(
        add_url, {"name": "Kaspi Cloud", "kind": "legal_entity", "country": "KZ", "identifier": make_bin(7)}
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    party = Party.objects.get(organization=org, name="Kaspi Cloud")
    assert response["Location"] == f"{reverse('registry:link_create', args=[system.pk])}?party={party.pk}"
    form = web.get(response["Location"]).context["form"]
    assert form.initial["party"] == party.pk


def test_a_party_page_opened_from_another_organizations_system_is_a_404(org, other_org, officer, web_for):
    foreign = AISystemFactory(organization=other_org)
    response = web_for(officer).get(f"{reverse('registry:party_create')}?system={foreign.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url_name, make, detail_name",
    [
        ("registry:system_archive", lambda org: AISystemFactory(organization=org), "registry:system_detail"),
        ("registry:party_archive", lambda org: PartyFactory(organization=org), "registry:party_detail"),
        (
            "registry:library_archive",
            lambda org: DataLibraryFactory(organization=org),
            "registry:library_detail",
        ),
    ],
)
def test_archiving_asks_first(org, officer, web_for, url_name, make, detail_name):
    obj = make(org)
    web = web_for(officer)
    url = reverse(url_name, args=[obj.pk])
    detail = web.get(reverse(detail_name, args=[obj.pk])).content.decode()
    assert f'<a class="button danger" href="{url}">' in detail  # a link to the question, not a POST
    question = web.get(url)
    assert question.status_code == 200 and 'data-testid="confirm"' in question.content.decode()
    obj.refresh_from_db()
    assert obj.archived_at is None  # asking changes nothing
    answer = web.post(url, follow=True)
    obj.refresh_from_db()
    assert obj.archived_at is not None and _messages(answer)


def test_archiving_questions_follow_the_role_table(org, make_member, web_for):
    system = AISystemFactory(organization=org)
    assert (
        web_for(make_member(Role.CONTRIBUTOR))
        .get(reverse("registry:system_archive", args=[system.pk]))
        .status_code
        == 403
    )


def test_saving_a_risk_and_a_measure_says_so(org, officer, web_for):
    system = AISystemFactory(organization=org)
    web = web_for(officer)
    response = web.post(
        f"{reverse('risk:register_risk_create')}?system={system.pk}",
        {
            "system": system.pk,
            "title": "Drift",
            "category": "accuracy",
            "origin": "intended_use",
            "likelihood": 2,
            "severity": 3,
            "status": "identified",
        },
        follow=True,
    )
    assert "The risk is added to the register." in _messages(response)
