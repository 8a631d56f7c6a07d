"""The facts of an AI system, declared once.

`SYSTEM_FACTS` lists every fact a person records about a system, with what each one is used for:
the form section it appears in, how it is imported and exported, whether the register list can
filter on it or show it as a column, and which capabilities it drives (a change to such a fact is
announced through `registry.signals.system_facts_changed`). The service's editable fields, the form,
the REST serializer, the filters, the import/export columns and the list columns are all read from
here, so a fact cannot reach one of them and miss another.

`SYSTEM_STATE` names the model fields that are not facts a person records (the classification
state written by the risk app, archiving, bookkeeping). Every field of `AISystem` is in exactly one
of the two (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.choices import (
    DecisionRole,
    Deployment,
    InteractionChannel,
    LifecycleStage,
    OrganizationRole,
    Sector,
    SyntheticMedium,
)


class Drives:
    """Capabilities a register fact feeds; their listeners re-derive when one of these changes."""

    CLASSIFICATION = "classification"  # the questionnaire: a change makes a classification stale
    OBLIGATIONS = "obligations"  # which obligations apply and how urgent they are
    REVIEW_SCHEDULE = "review_schedule"  # whether an annual risk review is owed


class Section:
    """Fieldsets of the system form."""

    IDENTIFICATION = "identification"
    ROLE = "role"
    FUNCTION = "function"
    TECHNOLOGY = "technology"


SECTION_TITLES = {
    Section.IDENTIFICATION: _("Identification"),
    Section.ROLE: _("Our role and sector"),
    Section.FUNCTION: _("What the system does"),
    Section.TECHNOLOGY: _("Technology and users"),
}

# How a fact is read from an import file and written to an export.
TEXT, BOOL, CHOICE, MEDIA, MEMBER, TAGS, COUNTRY = (
    "text",
    "bool",
    "choice",
    "media",
    "member",
    "tags",
    "country",
)

_DRIVES_BOTH = frozenset({Drives.CLASSIFICATION, Drives.OBLIGATIONS})


@dataclass(frozen=True)
class Fact:
    """One fact of an AI system and every place it is used.

    `kind` says how the import parses it (and the export writes it); `column` is the import/export
    column name when it differs from `name` (a public contract, like the API field name `name`).
    `filter` adds a filter of the register list (boolean and choice facts; others filter by a
    method of their own), `list_column` makes it a selectable list column with that label.
    """

    name: str
    section: str
    kind: str = TEXT
    choices: type[models.Choices] | None = None
    column: str = ""
    required_on_import: bool = False
    filter: str = ""  # the filter's label; empty = no generated filter
    list_column: str = ""  # the list column's label; empty = no generated column
    sortable: bool = False
    drives: frozenset[str] = frozenset()

    @property
    def header(self) -> str:
        """The import/export column name."""
        return self.column or self.name

    @property
    def is_service_field(self) -> bool:
        """Passed to the register's services as a keyword (tags travel as names, separately)."""
        return self.kind != TAGS


SYSTEM_FACTS: tuple[Fact, ...] = (
    Fact("code", Section.IDENTIFICATION, required_on_import=True, list_column=_("Code"), sortable=True),
    Fact("name", Section.IDENTIFICATION, required_on_import=True, list_column=_("Name"), sortable=True),
    Fact("intended_purpose", Section.IDENTIFICATION, required_on_import=True),
    Fact(
        "organization_role",
        Section.ROLE,
        CHOICE,
        OrganizationRole,
        required_on_import=True,
        filter=_("Our role"),
        list_column=_("Our role"),
        sortable=True,
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "sector",
        Section.ROLE,
        CHOICE,
        Sector,
        required_on_import=True,
        filter=_("Sector"),
        list_column=_("Sector"),
        sortable=True,
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "lifecycle_stage",
        Section.IDENTIFICATION,
        CHOICE,
        LifecycleStage,
        filter=_("Lifecycle stage"),
        list_column=_("Lifecycle stage"),
        sortable=True,
        # In operation: an annual review is owed, and a prohibited capability's measures are urgent.
        drives=frozenset({Drives.OBLIGATIONS, Drives.REVIEW_SCHEDULE}),
    ),
    Fact("description", Section.IDENTIFICATION),
    Fact("business_unit", Section.IDENTIFICATION, list_column=_("Business unit"), sortable=True),
    Fact(
        "responsible_officer",
        Section.IDENTIFICATION,
        MEMBER,
        column="responsible_officer_email",
        list_column=_("Responsible officer"),
        # Receives the review reminders unless the schedule names a reviewer.
        drives=frozenset({Drives.REVIEW_SCHEDULE}),
    ),
    Fact(
        "technical_owner",
        Section.IDENTIFICATION,
        MEMBER,
        column="technical_owner_email",
        list_column=_("Technical owner"),
    ),
    Fact("tags", Section.IDENTIFICATION, TAGS),
    Fact(
        "generates_synthetic_content",
        Section.FUNCTION,
        BOOL,
        filter=_("Generates synthetic content"),
        drives=_DRIVES_BOTH,
    ),
    Fact("synthetic_media", Section.FUNCTION, MEDIA, SyntheticMedium, drives=_DRIVES_BOTH),
    Fact(
        "interacts_with_natural_persons",
        Section.FUNCTION,
        BOOL,
        filter=_("Interacts with natural persons"),
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "interaction_channel",
        Section.FUNCTION,
        CHOICE,
        InteractionChannel,
        filter=_("Interaction channel"),
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "decision_role",
        Section.FUNCTION,
        CHOICE,
        DecisionRole,
        filter=_("Decisions on people's rights"),
        list_column=_("Decisions on rights"),
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "processes_personal_data",
        Section.FUNCTION,
        BOOL,
        filter=_("Processes personal data"),
        list_column=_("Personal data"),
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "processes_biometric_data",
        Section.FUNCTION,
        BOOL,
        filter=_("Processes biometric data"),
        list_column=_("Biometric data"),
        drives=_DRIVES_BOTH,
    ),
    Fact("recognises_emotions", Section.FUNCTION, BOOL, filter=_("Recognises emotions"), drives=_DRIVES_BOTH),
    Fact(
        "profiles_people", Section.FUNCTION, BOOL, filter=_("Scores or profiles people"), drives=_DRIVES_BOTH
    ),
    Fact(
        "consumer_facing",
        Section.FUNCTION,
        BOOL,
        filter=_("Part of consumer goods or services"),
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "critical_ict_infrastructure",
        Section.FUNCTION,
        BOOL,
        filter=_("Critical ICT infrastructure"),
        list_column=_("Critical ICT"),
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "state_information_resource",
        Section.FUNCTION,
        BOOL,
        filter=_("State information resource"),
        drives=_DRIVES_BOTH,
    ),
    Fact("deployment", Section.TECHNOLOGY, CHOICE, Deployment, filter=_("Deployment")),
    Fact("hosting_country", Section.TECHNOLOGY, COUNTRY),
    Fact(
        "data_leaves_kazakhstan",
        Section.TECHNOLOGY,
        BOOL,
        filter=_("Data leaves Kazakhstan"),
        drives=_DRIVES_BOTH,
    ),
    Fact(
        "uses_foreign_platform",
        Section.TECHNOLOGY,
        BOOL,
        filter=_("Uses a foreign AI platform"),
        drives=_DRIVES_BOTH,
    ),
    Fact("user_agreement_url", Section.TECHNOLOGY),
    Fact("user_agreement_version", Section.TECHNOLOGY),
    Fact("support_contact", Section.TECHNOLOGY),
)

# Model fields that are not recorded facts. The classification state is written only by the risk
# app's services; `archived_at` only by archive/restore (which announce it like a fact change).
CLASSIFICATION_STATE = (
    "risk_level",
    "autonomy_level",
    "classified_at",
    "first_classified_at",
    "classification_stale",
    "is_prohibited",
    "has_contradictions",
)
ARCHIVED = "archived_at"
SYSTEM_STATE = (*CLASSIFICATION_STATE, ARCHIVED, "id", "organization", "created_at", "updated_at")

FACT_BY_NAME = {f.name: f for f in SYSTEM_FACTS}
# Keyword arguments `ai_system_create`/`ai_system_update` accept (besides `tags`).
SYSTEM_FIELDS = frozenset(f.name for f in SYSTEM_FACTS if f.is_service_field)


def facts_driving(capability: str) -> frozenset[str]:
    """Names of the facts whose change `capability` must hear about (archiving drives them all)."""
    return frozenset(f.name for f in SYSTEM_FACTS if capability in f.drives) | {ARCHIVED}


# Feed the classification questionnaire and the applicability of obligations; changing one on a
# classified system marks its classification stale.
CLASSIFICATION_FACTS = tuple(f.name for f in SYSTEM_FACTS if Drives.CLASSIFICATION in f.drives)
