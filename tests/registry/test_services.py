"""Register services: model rules, the prohibited/in-operation guard, stale classification, the
facts-changed signal, archiving, parties with BIN/IIN, links, components, data libraries, tags."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry import services
from registry.choices import DataUsePurpose, LifecycleStage, PartyKind, PartyRole
from registry.models import AISystem
from registry.signals import system_facts_changed
from tests.factories import AISystemFactory, DataLibraryFactory, PartyFactory, make_bin

pytestmark = pytest.mark.django_db

BASE = {
    "code": "CHAT-01",
    "name": "Customer chatbot",
    "intended_purpose": "Answers customers' questions about cards.",
    "organization_role": "owner",
    "sector": "banking",
}


@pytest.fixture
def received():
    calls = []

    def listener(sender, system, changed, **kwargs):
        calls.append((system.pk, set(changed)))

    system_facts_changed.connect(listener, weak=False)
    yield calls
    system_facts_changed.disconnect(listener)


def test_create_records_activity_sends_signal_and_tags(org, received):
    system = services.ai_system_create(organization=org, tags=["chat", "retail", "chat"], **BASE)
    assert sorted(t.name for t in system.tags.all()) == ["chat", "retail"]
    assert received and received[0][0] == system.pk and "sector" in received[0][1]
    assert ActivityRecord.objects.filter(object_id=str(system.pk), action="create").exists()


def test_code_unique_per_organization_with_clear_message(org, other_org):
    services.ai_system_create(organization=org, **BASE)
    services.ai_system_create(organization=other_org, **BASE)  # another tenant may reuse it
    with pytest.raises(ValidationError) as error:
        services.ai_system_create(organization=org, **{**BASE, "code": "chat-01"})
    assert "already uses the code" in error.value.message_dict["code"][0]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"generates_synthetic_content": True}, "synthetic_media"),
        ({"synthetic_media": ["text"]}, "synthetic_media"),
        ({"generates_synthetic_content": True, "synthetic_media": ["hologram"]}, "synthetic_media"),
        ({"interaction_channel": "chatbot"}, "interaction_channel"),
        ({"processes_biometric_data": True}, "processes_personal_data"),
        ({"hosting_country": "DE"}, "data_leaves_kazakhstan"),
        ({"hosting_country": "kz"}, "hosting_country"),
        ({"code": "has space"}, "code"),
        ({"intended_purpose": ""}, "intended_purpose"),
        ({"sector": "casino"}, "sector"),
    ],
)
def test_model_rules(org, fields, field):
    with pytest.raises(ValidationError) as error:
        services.ai_system_create(organization=org, **{**BASE, **fields})
    assert field in error.value.message_dict


def test_members_of_another_organization_are_refused(org, other_org, make_member):
    stranger = make_member(Role.OFFICER, organization=other_org)
    with pytest.raises(ValidationError) as error:
        services.ai_system_create(organization=org, responsible_officer=stranger, **BASE)
    assert "responsible_officer" in error.value.message_dict


def test_prohibited_system_cannot_go_into_operation(org):
    system = AISystemFactory(organization=org, is_prohibited=True, lifecycle_stage=LifecycleStage.TESTING)
    with pytest.raises(ValidationError) as error:
        services.ai_system_update(system=system, lifecycle_stage=LifecycleStage.IN_OPERATION)
    assert "prohibited capability" in error.value.message_dict["lifecycle_stage"][0]
    system.refresh_from_db()
    assert system.lifecycle_stage == LifecycleStage.TESTING
    # Other changes (and suspending it) remain possible.
    services.ai_system_update(system=system, lifecycle_stage=LifecycleStage.SUSPENDED)


def test_fact_change_marks_classified_system_stale_and_signals(org, received):
    system = AISystemFactory(organization=org, classified_at=timezone.now(), risk_level="medium")
    services.ai_system_update(system=system, business_unit="Cards")
    system.refresh_from_db()
    # Every change is announced (listeners pick their facts); only a classification fact is stale.
    assert not system.classification_stale and received == [(system.pk, {"business_unit"})]
    services.ai_system_update(system=system, processes_personal_data=True, business_unit="Cards 2")
    system.refresh_from_db()
    assert system.classification_stale
    assert received[-1] == (system.pk, {"processes_personal_data", "business_unit"})
    services.ai_system_update(system=system, business_unit="Cards 2")
    assert len(received) == 2  # nothing changed, nothing announced


def test_fact_change_on_unclassified_system_is_not_stale(org, received):
    system = AISystemFactory(organization=org)
    services.ai_system_update(system=system, profiles_people=True)
    system.refresh_from_db()
    assert not system.classification_stale
    assert received == [(system.pk, {"profiles_people"})]


def test_same_media_in_another_order_is_no_change(org, received):
    system = services.ai_system_create(
        organization=org, generates_synthetic_content=True, synthetic_media=["text", "image"], **BASE
    )
    received.clear()
    services.ai_system_update(system=system, synthetic_media=["image", "text"])
    assert received == []


def test_signal_listener_failure_rolls_the_change_back(org):
    system = AISystemFactory(organization=org)

    def boom(**kwargs):
        raise RuntimeError("listener failed")

    system_facts_changed.connect(boom, weak=False)
    try:
        with pytest.raises(RuntimeError):
            services.ai_system_update(system=system, recognises_emotions=True)
    finally:
        system_facts_changed.disconnect(boom)
    assert AISystem.objects.get(pk=system.pk).recognises_emotions is False


def test_archive_keeps_the_system_and_blocks_edits(org):
    system = AISystemFactory(organization=org)
    services.ai_system_archive(system=system)
    assert AISystem.objects.active().filter(pk=system.pk).count() == 0
    with pytest.raises(ValidationError):
        services.ai_system_update(system=system, name="Renamed")
    services.ai_system_unarchive(system=system)
    services.ai_system_update(system=system, name="Renamed")
    actions = list(
        ActivityRecord.objects.filter(object_id=str(system.pk), content_type__model="aisystem").values_list(
            "changes", flat=True
        )
    )
    assert any("archived_at" in c for c in actions)


def test_tags_change_recorded_in_history(org):
    system = services.ai_system_create(organization=org, tags=["a"], **BASE)
    services.ai_system_update(system=system, tags=["b"])
    assert [t.name for t in system.tags.all()] == ["b"]
    changes = ActivityRecord.objects.filter(object_id=str(system.pk)).values_list("changes", flat=True)
    assert any("tags" in c for c in changes)


# -- parties -----------------------------------------------------------------------------------------
def test_party_kazakhstani_needs_valid_bin(org):
    with pytest.raises(ValidationError) as error:
        services.party_create(organization=org, name="Kaspi", kind=PartyKind.LEGAL_ENTITY)
    assert "BIN or IIN" in error.value.message_dict["identifier"][0]
    bad = make_bin(1)[:11] + str((int(make_bin(1)[11]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        services.party_create(organization=org, name="Kaspi", kind=PartyKind.LEGAL_ENTITY, identifier=bad)
    assert "check digit" in error.value.message_dict["identifier"][0]
    party = services.party_create(
        organization=org, name="Kaspi", kind=PartyKind.LEGAL_ENTITY, identifier=make_bin(1)
    )
    with pytest.raises(ValidationError) as error:
        services.party_create(
            organization=org, name="Other", kind=PartyKind.LEGAL_ENTITY, identifier=party.identifier
        )
    assert "already has the BIN/IIN" in error.value.message_dict["identifier"][0]


def test_foreign_company_has_no_bin_and_a_foreign_country(org):
    with pytest.raises(ValidationError) as error:
        services.party_create(organization=org, name="OpenAI", kind=PartyKind.FOREIGN_COMPANY, country="KZ")
    assert "country" in error.value.message_dict
    party = services.party_create(
        organization=org, name="OpenAI, L.L.C.", kind=PartyKind.FOREIGN_COMPANY, country="US"
    )
    assert party.identifier == ""


def test_party_with_links_is_archived_not_deleted(org):
    system = AISystemFactory(organization=org)
    party = PartyFactory(organization=org)
    services.party_link_create(system=system, party=party, role=PartyRole.DEVELOPER)
    with pytest.raises(ValidationError):
        services.party_delete(party=party)
    services.party_archive(party=party)
    # An archived party cannot be linked again until restored.
    with pytest.raises(ValidationError) as error:
        services.party_link_create(system=system, party=party, role=PartyRole.SUPPLIER)
    assert "archived" in error.value.message_dict["party"][0]


def test_link_contract_dates_and_tenant(org, other_org):
    system = AISystemFactory(organization=org)
    with pytest.raises(ValidationError) as error:
        services.party_link_create(
            system=system,
            party=PartyFactory(organization=org),
            role=PartyRole.INTEGRATOR,
            contract_starts_on=datetime.date(2026, 2, 1),
            contract_expires_on=datetime.date(2026, 1, 1),
        )
    assert "contract_expires_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.party_link_create(
            system=system, party=PartyFactory(organization=other_org), role="developer"
        )
    assert "party" in error.value.message_dict


def test_link_and_component_deletion_recorded_on_the_system(org):
    system = AISystemFactory(organization=org)
    link = services.party_link_create(system=system, party=PartyFactory(organization=org), role="insurer")
    component = services.component_create(system=system, name="GPT-4o", provider="OpenAI")
    services.party_link_delete(link=link)
    services.component_delete(component=component)
    deleted = ActivityRecord.objects.filter(
        parent_object_id=str(system.pk), parent_content_type__model="aisystem", action="delete"
    )
    assert deleted.count() == 2


# -- data libraries ----------------------------------------------------------------------------------
def test_library_rules(org):
    with pytest.raises(ValidationError) as error:
        services.data_library_create(
            organization=org, name="Scraped profiles", source="public", non_targeted_public_extraction=True
        )
    assert "contains_personal_data" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.data_library_create(
            organization=org, name="Clients", source="own", contains_personal_data=True
        )
    assert "personal_data_consent" in error.value.message_dict


def test_unlawful_library_is_flagged_on_use(org):
    library = services.data_library_create(
        organization=org,
        name="Scraped social profiles",
        source="public",
        contains_personal_data=True,
        lawful_basis="none",
        non_targeted_public_extraction=True,
    )
    assert library.is_unlawful_extraction
    use = services.data_library_use_create(
        system=AISystemFactory(organization=org), library=library, purpose=DataUsePurpose.TRAINING
    )
    assert use.library.is_unlawful_extraction


def test_archived_library_cannot_be_used(org):
    library = DataLibraryFactory(organization=org)
    services.data_library_archive(library=library)
    with pytest.raises(ValidationError):
        services.data_library_use_create(
            system=AISystemFactory(organization=org), library=library, purpose="training"
        )


def test_tag_delete_removes_it_from_systems_with_history(org):
    system = services.ai_system_create(organization=org, tags=["legacy"], **BASE)
    services.tag_delete(tag=system.tags.get())
    assert system.tags.count() == 0
    changes = ActivityRecord.objects.filter(object_id=str(system.pk)).values_list("changes", flat=True)
    assert any(c.get("tags", {}).get("removed") == ["legacy"] for c in changes)


def test_services_refuse_fields_they_do_not_edit(org):
    with pytest.raises(TypeError):
        services.ai_system_create(organization=org, risk_level="high", **BASE)


def test_contract_expiry_is_a_deadline(org, officer):
    from kzai.deadlines.models import Deadline

    system = AISystemFactory(organization=org, responsible_officer=officer)
    party = PartyFactory(organization=org, name="Steppe Analytics LLP")
    link = services.party_link_create(
        system=system,
        party=party,
        role=PartyRole.DEVELOPER,
        contract_reference="SA-7",
        contract_expires_on=datetime.date(2026, 12, 31),
    )
    deadline = Deadline.objects.get(kind="contract_expiry", object_id=str(link.pk))
    assert deadline.due_on == datetime.date(2026, 12, 31) and deadline.system == system
    assert deadline.responsible == officer and "SA-7" in deadline.title and "Steppe" in deadline.title
    services.party_link_update(link=link, contract_expires_on=datetime.date(2027, 6, 30))
    deadline.refresh_from_db()
    assert deadline.due_on == datetime.date(2027, 6, 30)
    services.party_link_update(link=link, contract_expires_on=None)
    assert not Deadline.objects.filter(object_id=str(link.pk), kind="contract_expiry").exists()
    services.party_link_update(link=link, contract_expires_on=datetime.date(2027, 1, 1))
    services.party_link_delete(link=link)
    assert not Deadline.objects.filter(kind="contract_expiry").exists()


def test_duplicate_link_and_tag_have_clear_messages(org):
    system = AISystemFactory(organization=org)
    party = PartyFactory(organization=org)
    services.party_link_create(system=system, party=party, role=PartyRole.SUPPLIER)
    with pytest.raises(ValidationError) as error:
        services.party_link_create(system=system, party=party, role=PartyRole.SUPPLIER)
    assert "already has this role" in error.value.message_dict["role"][0]
    services.tag_create(organization=org, name="retail")
    with pytest.raises(ValidationError) as error:
        services.tag_create(organization=org, name="retail")
    assert "already exists" in error.value.message_dict["name"][0]
