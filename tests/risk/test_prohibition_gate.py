"""The prohibition gate (Art. 17(3)): no system goes into operation, or is registered in operation,
by form, API, import or service, before a banned-practice screen; a system already in operation
when the gate arrived owes the urgent KZ-AI-PROH-00 until it is screened."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry import services, transfer
from registry.choices import LifecycleStage
from registry.models import AISystem
from risk.choices import ObligationStatus
from risk.models import Obligation
from risk.services.obligations import obligation_update, obligations_sync
from tests.factories import screened_system, system_in_operation

pytestmark = pytest.mark.django_db

FACTS = {
    "code": "FRAUD-01",
    "name": "Card fraud detection",
    "intended_purpose": "Flags suspicious card transactions.",
    "organization_role": "owner",
    "sector": "banking",
    "decision_role": "prepares",
}
FORM = {**FACTS, "deployment": "on_premises", "hosting_country": "KZ"}
GATE = "screened for the prohibited capabilities"


def _testing_system(org, officer):
    return services.ai_system_create(
        organization=org, lifecycle_stage=LifecycleStage.TESTING, responsible_officer=officer, **FACTS
    )


def test_the_service_refuses_an_unscreened_system_into_operation_and_rolls_back(org, officer):
    system = _testing_system(org, officer)
    with pytest.raises(ValidationError) as error:
        services.ai_system_update(system=system, lifecycle_stage=LifecycleStage.IN_OPERATION)
    assert GATE in error.value.message_dict["lifecycle_stage"][0]
    assert "Risk tab" in error.value.message_dict["lifecycle_stage"][0]
    system.refresh_from_db()
    assert system.lifecycle_stage == LifecycleStage.TESTING


def test_the_service_refuses_creating_a_system_in_operation(org, officer):
    with pytest.raises(ValidationError) as error:
        services.ai_system_create(
            organization=org,
            lifecycle_stage=LifecycleStage.IN_OPERATION,
            responsible_officer=officer,
            **FACTS,
        )
    assert GATE in error.value.message_dict["lifecycle_stage"][0]
    assert not AISystem.objects.filter(organization=org).exists()


def test_a_screened_system_goes_into_operation(org, officer):
    system = screened_system(
        _testing_system(org, officer), officer, lifecycle_stage=LifecycleStage.IN_OPERATION
    )
    system.refresh_from_db()
    assert system.lifecycle_stage == LifecycleStage.IN_OPERATION
    proh00 = Obligation.objects.get(system=system, code="KZ-AI-PROH-00")
    assert proh00.status == ObligationStatus.MET and not proh00.urgent


def test_the_form_shows_the_gate(org, officer, web_for):
    web = web_for(officer)
    data = {**FORM, "lifecycle_stage": "in_operation", "responsible_officer": officer.pk}
    response = web.post(reverse("registry:system_create"), data)
    assert response.status_code == 200
    assert GATE in " ".join(response.context["form"].errors["lifecycle_stage"])
    assert not AISystem.objects.filter(organization=org).exists()

    system = _testing_system(org, officer)
    response = web.post(reverse("registry:system_update", args=[system.pk]), {**data, "code": system.code})
    assert response.status_code == 200
    assert GATE in " ".join(response.context["form"].errors["lifecycle_stage"])
    system.refresh_from_db()
    assert system.lifecycle_stage == LifecycleStage.TESTING


def test_the_api_shows_the_gate(org, officer, api_for):
    api = api_for(officer)
    response = api.post("/api/v1/systems/", {**FACTS, "lifecycle_stage": "in_operation"}, format="json")
    assert response.status_code == 400 and GATE in response.json()["lifecycle_stage"][0]
    assert not AISystem.objects.filter(organization=org).exists()

    system = _testing_system(org, officer)
    response = api.patch(f"/api/v1/systems/{system.pk}/", {"lifecycle_stage": "in_operation"}, format="json")
    assert response.status_code == 400 and GATE in response.json()["lifecycle_stage"][0]
    screened_system(system, officer)
    response = api.patch(f"/api/v1/systems/{system.pk}/", {"lifecycle_stage": "in_operation"}, format="json")
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_import_reports_the_gate_as_a_row_error(org, dry_run):
    header = "code,name,intended_purpose,organization_role,sector,lifecycle_stage"
    content = (
        f"{header}\n"
        "LIVE-01,Live,Scores loans,owner,banking,in_operation\n"
        "PLAN-01,Planned,Scores,owner,banking,design\n"
    ).encode()
    result = transfer.import_systems(
        organization=org, filename="systems.csv", content=content, dry_run=dry_run
    )
    assert not result.ok and not result.committed
    live, planned = result.rows
    assert GATE in live.errors["lifecycle_stage"][0] and planned.errors == {}
    assert not AISystem.objects.filter(organization=org).exists()


def test_a_system_already_in_operation_owes_an_urgent_screen_until_screened(org, officer):
    # Built directly in operation, as existing data was before the gate arrived.
    system = system_in_operation(org, responsible_officer=officer)
    obligations_sync(system=system)
    proh00 = Obligation.objects.get(system=system, code="KZ-AI-PROH-00")
    assert proh00.urgent and proh00.status != ObligationStatus.MET
    # Re-syncing keeps it urgent; the screen meets it and clears the urgency.
    obligations_sync(system=system)
    proh00.refresh_from_db()
    assert proh00.urgent
    screened_system(system, officer)
    proh00.refresh_from_db()
    assert proh00.status == ObligationStatus.MET and not proh00.urgent
    obligations_sync(system=system)
    proh00.refresh_from_db()
    assert not proh00.urgent


def test_marking_the_screen_obligation_met_by_hand_clears_its_urgency(org, officer):
    system = system_in_operation(org, responsible_officer=officer)
    obligations_sync(system=system)
    proh00 = Obligation.objects.get(system=system, code="KZ-AI-PROH-00")
    assert proh00.urgent
    obligation_update(obligation=proh00, membership=officer, status=ObligationStatus.MET)
    proh00.refresh_from_db()
    assert not proh00.urgent


def test_a_system_not_in_operation_owes_the_screen_without_urgency(org, officer):
    system = _testing_system(org, officer)
    proh00 = Obligation.objects.get(system=system, code="KZ-AI-PROH-00")
    assert not proh00.urgent
