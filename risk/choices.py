"""Choices of classification, the banned-practice screen and obligations.

The risk register's own choices live in `risk/risk_management/choices.py`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisruptionImpact(models.TextChoices):
    """Art. 17(1): what the system's disruption or termination of operation would do."""

    MINIMAL = "minimal", _("Minimal impact on its users")
    REDUCED_EFFICIENCY = (
        "reduced_efficiency",
        _("May reduce the efficiency and effectiveness of users' activities"),
    )
    MORAL_OR_MATERIAL_HARM = "moral_or_material_harm", _("May cause moral harm or material damage")
    EMERGENCY = "emergency", _("May lead to an emergency of a social and/or man-made nature")


class AffectedDomain(models.TextChoices):
    """Art. 17(1), high risk: domains where disruption may have significant negative consequences."""

    DEFENCE = "defence", _("Defence")
    SECURITY = "security", _("Security")
    INTERNATIONAL_RELATIONS = "international_relations", _("International relations")
    ECONOMY = "economy", _("The economy or individual sectors of it")
    USERS = "users", _("Users")
    INFRASTRUCTURE = "infrastructure", _("The infrastructure of the Republic of Kazakhstan")
    LIFE = "life", _("The life of individuals")


class AutonomyAnswer(models.TextChoices):
    """Art. 17(2): who has the final word on the system's output."""

    RECOMMENDS = (
        "recommends",
        _("It gives recommendations or forecasts; a human always makes the final decision"),
    )
    DECIDES_CORRECTABLE = (
        "decides_correctable",
        _("It decides on its own; a human can correct or cancel the decision"),
    )
    DECIDES_FINAL = (
        "decides_final",
        _(
            "It decides on its own; correction or cancellation by a human is excluded or "
            "technically impossible"
        ),
    )


class ClassificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class ScreeningResult(models.TextChoices):
    CLEAR = "clear", _("No prohibited capability")
    PROHIBITED = "prohibited", _("Prohibited capability found")


class ObligationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (with reason)")


class WithdrawnCause(models.TextChoices):
    """Why an obligation recorded for a system no longer applies (the record is kept)."""

    FACTS = "facts", _("The system's facts or classification changed")
    LIBRARY = "library", _("A new requirements library version no longer contains or applies it")
    ARCHIVED = "archived", _("The system was archived")


class ReferenceLevel(models.TextChoices):
    """How sure a reference to the law is (shared/domain/kz-ai-law.md)."""

    P = "P", _("[P] read in the official text")
    S = "S", _("[S] secondary sources that agree")
    SEED = "seed", _("[seed] practitioners' article, article number not verified")
    U = "U", _("[U] unverified")


class BoundParty(models.TextChoices):
    """Who a requirement binds: the law's actors plus the seller of goods with AI components."""

    OWNER = "owner", _("Owner")
    POSSESSOR = "possessor", _("Possessor")
    USER = "user", _("User")
    SELLER = "seller", _("Seller of goods, works or services with AI")


class RequirementField(models.TextChoices):
    """The parts of a requirement a new library version may change (shown in upgrade previews)."""

    TITLE = "title", _("Title")
    TEXT = "text", _("Text")
    EVIDENCE = "evidence", _("Evidence expected")
    ARTICLE = "article", _("Article")
    REFERENCE_LEVEL = "reference_level", _("Reference level")
    BINDS = "binds", _("Who it binds")
    RULE = "rule", _("When it applies")
    RECURRENCE = "recurrence", _("Recurrence")
    DUE_WITHIN = "due_within", _("Due within")


# The confidence marks of references to the law, explained in words (legend and tooltips).
MARK_EXPLANATIONS = {
    "P": _("Read in the official text of the law."),
    "S": _("Given by secondary sources (law firms, news) that agree with each other."),
    "seed": _(
        "Stated by the practitioners' article the catalogue was founded on; article number not verified."
    ),
    "U": _("Unverified: not to be presented to a regulator as fact."),
}


class ContradictionSource(models.TextChoices):
    """What contradicts a register fact: an answer of the banned-practice screen or of the
    classification questionnaire."""

    SCREENING = "screening", _("Banned-practice screen")
    CLASSIFICATION = "classification", _("Classification")
