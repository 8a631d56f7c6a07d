"""Every register endpoint and page plugged into the shared tenancy and role suite."""

import datetime
import itertools

from kzai.core.roles import Action
from registry import choices
from registry.models import DataLibraryUse
from tests.factories import (
    AISystemFactory,
    DataLibraryFactory,
    PartyFactory,
    SystemComponentFactory,
    SystemPartyLinkFactory,
    TagFactory,
)
from tests.tenancy import APIContract, UIContract

_codes = itertools.count(1)


def _library_with_use(organization):
    library = DataLibraryFactory(organization=organization)
    system = AISystemFactory(organization=organization)
    DataLibraryUse.objects.create(
        organization=organization, system=system, library=library, purpose=choices.DataUsePurpose.TRAINING
    )
    return library


def _system_with_parties(organization, parties=3):
    system = AISystemFactory(organization=organization)
    for _ in range(parties):
        SystemPartyLinkFactory(system=system)
    system.tags.add(TagFactory(organization=organization))
    return system


# -- API ---------------------------------------------------------------------------------------------
class TestSystemAPI(APIContract):
    basename = "system"

    def make_object(self, organization):
        return _system_with_parties(organization)

    def create_payload(self, organization):
        return {
            "code": f"NEW-{next(_codes)}",
            "name": "Mortgage scoring",
            "intended_purpose": "Scores mortgage applications.",
            "organization_role": "owner",
            "sector": "banking",
            "tags": ["credit"],
        }

    def update_payload(self, obj):
        return {"business_unit": "Retail"}


class TestPartyAPI(APIContract):
    basename = "party"
    supports_delete = True

    def make_object(self, organization):
        return PartyFactory(organization=organization)

    def create_payload(self, organization):
        return {"name": "Amazon Web Services EMEA SARL", "kind": "foreign_company", "country": "LU"}

    def update_payload(self, obj):
        return {"contact_name": "Aliya"}


class TestPartyLinkAPI(APIContract):
    basename = "party-link"
    supports_delete = True

    def make_object(self, organization):
        return SystemPartyLinkFactory(system=AISystemFactory(organization=organization))

    def create_payload(self, organization):
        system = AISystemFactory(organization=organization)
        party = PartyFactory(organization=organization)
        return {"system": system.pk, "party": party.pk, "role": "integrator", "contract_reference": "No. 12"}

    def update_payload(self, obj):
        return {"ai_terms_reviewed": True}


class TestComponentAPI(APIContract):
    basename = "component"
    supports_delete = True

    def make_object(self, organization):
        return SystemComponentFactory(system=AISystemFactory(organization=organization))

    def create_payload(self, organization):
        return {"system": AISystemFactory(organization=organization).pk, "name": "XGBoost", "version": "2.0"}

    def update_payload(self, obj):
        return {"version": "2.1"}


class TestDataLibraryAPI(APIContract):
    basename = "data-library"

    def make_object(self, organization):
        return _library_with_use(organization)

    def create_payload(self, organization):
        return {"name": "Call-centre transcripts", "source": "own", "obtained_on": "2025-03-01"}

    def update_payload(self, obj):
        return {"licence": "internal"}


class TestDataLibraryUseAPI(APIContract):
    basename = "data-library-use"
    supports_delete = True

    def make_object(self, organization):
        return _library_with_use(organization).uses.get()

    def create_payload(self, organization):
        return {
            "system": AISystemFactory(organization=organization).pk,
            "library": DataLibraryFactory(organization=organization).pk,
            "purpose": "evaluation",
        }

    def update_payload(self, obj):
        return {"purpose": "tuning"}


class TestTagAPI(APIContract):
    basename = "tag"
    supports_delete = True

    def make_object(self, organization):
        tag = TagFactory(organization=organization)
        AISystemFactory(organization=organization).tags.add(tag)
        return tag

    def create_payload(self, organization):
        return {"name": f"new-tag-{datetime.datetime.now().timestamp()}"}

    def update_payload(self, obj):
        return {"name": obj.name + "-renamed"}


# -- pages -------------------------------------------------------------------------------------------
class TestSystemPages(UIContract):
    list_url_name = "registry:system_list"
    detail_url_name = "registry:system_detail"
    create_url_name = "registry:system_create"
    update_url_name = "registry:system_update"
    # Tested in test_pages.py / test_export.py (tenancy and roles included).
    covered_url_names = (
        "registry:system_export",
        "registry:system_archive",
        "registry:link_create",
        "registry:link_update",
        "registry:link_delete",
        "registry:component_create",
        "registry:component_update",
        "registry:component_delete",
        "registry:library_use_delete",
        "registry:party_archive",
        "registry:library_archive",
    )

    def make_object(self, organization):
        return _system_with_parties(organization)


class TestSystemPartiesTab(UIContract):
    detail_url_name = "registry:system_parties"

    def make_object(self, organization):
        return _system_with_parties(organization)


class TestSystemDataTab(UIContract):
    detail_url_name = "registry:system_data"

    def make_object(self, organization):
        return _library_with_use(organization).uses.get().system


class TestSystemHistoryTab(UIContract):
    detail_url_name = "registry:system_history"

    def make_object(self, organization):
        return _system_with_parties(organization)


class TestPartyPages(UIContract):
    list_url_name = "registry:party_list"
    detail_url_name = "registry:party_detail"
    create_url_name = "registry:party_create"
    update_url_name = "registry:party_update"

    def make_object(self, organization):
        return PartyFactory(organization=organization)


class TestDataLibraryPages(UIContract):
    list_url_name = "registry:library_list"
    detail_url_name = "registry:library_detail"
    create_url_name = "registry:library_create"
    update_url_name = "registry:library_update"

    def make_object(self, organization):
        return _library_with_use(organization)


class TestImportPages(UIContract):
    """The import upload page needs the import action; template download any reader."""

    list_url_name = "registry:system_import_template"
    create_url_name = "registry:system_import"
    create_action = Action.IMPORT
    covered_url_names = ("registry:system_import_commit",)  # tested in test_import_pages.py

    def make_object(self, organization):
        return AISystemFactory(organization=organization)
