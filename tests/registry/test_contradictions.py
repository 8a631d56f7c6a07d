"""Contradictory facts (interacts with people: yes; channel: does not interact) are refused with the
same clear message in the system form, the API and the import."""

import pytest
from django.urls import reverse
from django.utils import translation

from kzai.core.roles import Role
from registry import transfer
from registry.models import AISystem
from tests.registry.test_api import PAYLOAD
from tests.registry.test_pages import FORM

pytestmark = pytest.mark.django_db

MESSAGE = "cannot be “does not interact with people”"


def test_form_refuses_people_without_a_channel(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    response = web.post(
        reverse("registry:system_create"),
        {**FORM, "interacts_with_natural_persons": "on", "interaction_channel": ""},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert response.context["form"].errors["interaction_channel"]
    assert not AISystem.objects.filter(organization=org).exists()


def test_form_accepts_people_with_a_channel(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    response = web.post(
        reverse("registry:system_create"),
        {**FORM, "interacts_with_natural_persons": "on", "interaction_channel": "chatbot"},
    )
    assert response.status_code == 302
    assert AISystem.objects.get(organization=org).interaction_channel == "chatbot"


def test_form_refuses_a_channel_without_people(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    response = web.post(reverse("registry:system_create"), {**FORM, "interaction_channel": "chatbot"})
    assert response.status_code == 200
    assert "An interaction channel needs" in response.content.decode()


def test_api_refuses_people_without_a_channel(make_member, api_for):
    client = api_for(make_member(Role.OFFICER))
    response = client.post(
        "/api/v1/systems/", {**PAYLOAD, "interacts_with_natural_persons": True}, format="json"
    )
    assert response.status_code == 400
    assert MESSAGE in response.json()["interaction_channel"][0]


def test_import_refuses_people_without_a_channel_on_its_column(org):
    header = (
        "code,name,intended_purpose,organization_role,sector,interacts_with_natural_persons,"
        "interaction_channel"
    )
    content = (
        header + "\nBOT-1,Bot,Answers,owner,banking,yes,\nBOT-2,Bot 2,Answers,owner,banking,yes,chatbot\n"
    )
    result = transfer.import_systems(
        organization=org, filename="s.csv", content=content.encode(), dry_run=True
    )
    first, second = result.rows
    assert MESSAGE in first.errors["interaction_channel"][0]
    assert not second.errors


def test_message_is_translated(org, make_member, web_for):
    web = web_for(make_member(Role.OFFICER))
    with translation.override("ru"):  # the middleware activates Russian; put English back after
        response = web.post(
            reverse("registry:system_create"),
            {**FORM, "interacts_with_natural_persons": "on", "interaction_channel": ""},
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    assert MESSAGE not in response.content.decode()
    assert "не может" in response.content.decode()
