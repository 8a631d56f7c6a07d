"""The demo register: realistic, valid, created through the services (so logged), idempotent."""

import pytest
from django.core.management import call_command

from kzai.accounts.models import Organization
from kzai.activity.models import ActivityRecord
from registry.models import AISystem, DataLibrary, Party, SystemPartyLink
from registry.validators import validate_bin_or_iin

pytestmark = pytest.mark.django_db


def test_demo_register(capsys):
    call_command("load_demo")
    bank = Organization.objects.get(slug="qazaq-bank")
    systems = AISystem.objects.filter(organization=bank)
    assert systems.count() == 8
    parties = Party.objects.filter(organization=bank)
    for party in parties.exclude(identifier=""):
        validate_bin_or_iin(party.identifier)
    assert parties.filter(kind="foreign_company", country="IE").exists()
    assert SystemPartyLink.objects.filter(organization=bank).exclude(contract_reference="").count() >= 8
    flagged = [lib for lib in DataLibrary.objects.filter(organization=bank) if lib.is_unlawful_extraction]
    assert len(flagged) == 1 and flagged[0].uses.exists()
    assert ActivityRecord.objects.filter(organization=bank, content_type__model="aisystem").count() >= 8
    call_command("load_demo")  # idempotent
    assert AISystem.objects.filter(organization=bank).count() == 8
    assert Party.objects.filter(organization=bank).count() == parties.count()
