"""Choices of the register, in the law's own words where it has them (shared/domain/kz-ai-law.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LifecycleStage(models.TextChoices):
    DESIGN = "design", _("Design")
    DEVELOPMENT = "development", _("Development")
    TESTING = "testing", _("Testing")
    IN_OPERATION = "in_operation", _("In operation")
    SUSPENDED = "suspended", _("Suspended")
    DECOMMISSIONED = "decommissioned", _("Decommissioned")


class OrganizationRole(models.TextChoices):
    """The organization's role for a system under the law (Art. 1, Art. 15, Art. 16)."""

    OWNER = "owner", _("Owner")
    POSSESSOR = "possessor", _("Possessor")
    USER = "user", _("User")


class SyntheticMedium(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Images")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class InteractionChannel(models.TextChoices):
    NONE = "", _("Does not interact with people")
    CHATBOT = "chatbot", _("Chatbot")
    VOICE_ASSISTANT = "voice_assistant", _("Voice assistant")
    ASSISTANT = "assistant", _("Assistant embedded in a product")
    OTHER = "other", _("Other direct interaction")


class DecisionRole(models.TextChoices):
    """Whether the system takes or prepares decisions that create, change or end a person's rights."""

    NONE = "none", _("No decisions about people's rights")
    PREPARES = "prepares", _("Prepares such decisions for a human")
    TAKES = "takes", _("Takes such decisions itself")


class Sector(models.TextChoices):
    BANKING = "banking", _("Banking and finance")
    INSURANCE = "insurance", _("Insurance")
    TELECOM = "telecom", _("Telecommunications")
    ECOMMERCE = "ecommerce", _("E-commerce and retail")
    HEALTHCARE = "healthcare", _("Healthcare")
    EDUCATION = "education", _("Education")
    TRANSPORT = "transport", _("Transport and logistics")
    ENERGY = "energy", _("Energy and utilities")
    PUBLIC = "public", _("Public sector")
    INDUSTRY = "industry", _("Industry and mining")
    MEDIA = "media", _("Media and entertainment")
    OTHER = "other", _("Other")


class Deployment(models.TextChoices):
    ON_PREMISES = "on_premises", _("On premises")
    CLOUD = "cloud", _("Cloud")
    HYBRID = "hybrid", _("Hybrid")


class HostedWhere(models.TextChoices):
    ON_PREMISES = "on_premises", _("Own infrastructure")
    KZ_CLOUD = "kz_cloud", _("Cloud in Kazakhstan")
    FOREIGN_CLOUD = "foreign_cloud", _("Cloud abroad")
    PROVIDER_API = "provider_api", _("Provider's API (SaaS)")


class PartyKind(models.TextChoices):
    LEGAL_ENTITY = "legal_entity", _("Legal entity (Kazakhstan)")
    FOREIGN_COMPANY = "foreign_company", _("Foreign company")
    INDIVIDUAL_ENTREPRENEUR = "individual_entrepreneur", _("Individual entrepreneur")
    NATURAL_PERSON = "natural_person", _("Natural person")


class PartyRole(models.TextChoices):
    """Roles the law leaves undefined but practice needs (developer, integrator, supplier…)."""

    DEVELOPER = "developer", _("Developer")
    INTEGRATOR = "integrator", _("Integrator")
    DISTRIBUTOR = "distributor", _("Distributor")
    SUPPLIER = "supplier", _("Supplier")
    DATA_PROVIDER = "data_provider", _("Data provider")
    HOSTING_PROVIDER = "hosting_provider", _("Hosting or cloud provider")
    AUDITOR = "auditor", _("Auditor")
    INSURER = "insurer", _("Insurer")


class DataSource(models.TextChoices):
    OWN = "own", _("Own data")
    LICENSED = "licensed", _("Licensed")
    PURCHASED = "purchased", _("Purchased")
    PUBLIC = "public", _("Publicly available")
    USER_COLLECTED = "user_collected", _("Collected from users")


class DataUsePurpose(models.TextChoices):
    TRAINING = "training", _("Training")
    TUNING = "tuning", _("Fine-tuning")
    EVALUATION = "evaluation", _("Evaluation")


class CopyrightStatus(models.TextChoices):
    OWN = "own", _("Own works")
    LICENSED = "licensed", _("Licensed from the right holders")
    PUBLIC_DOMAIN = "public_domain", _("Public domain")
    NO_OPT_OUT = "no_opt_out", _("Third-party works, no machine-readable opt-out (Art. 23(5))")
    NOT_APPLICABLE = "not_applicable", _("No copyright works")
    UNKNOWN = "unknown", _("Unknown — to be reviewed")


class RiskLevel(models.TextChoices):
    """Art. 17(1): judged by what the system's disruption or termination would do."""

    # Contexts: Russian and Kazakh agree "level" (уровень) and "degree" (степень) differently.
    MINIMAL = "minimal", pgettext_lazy("risk level", "Minimal")
    MEDIUM = "medium", pgettext_lazy("risk level", "Medium")
    HIGH = "high", pgettext_lazy("risk level", "High")


class AutonomyLevel(models.TextChoices):
    """Art. 17(2)."""

    LOW = "low", pgettext_lazy("autonomy", "Low")
    MEDIUM = "medium", pgettext_lazy("autonomy", "Medium")
    HIGH = "high", pgettext_lazy("autonomy", "High")
