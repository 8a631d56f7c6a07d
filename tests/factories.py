"""factory_boy factories shared by every test module."""

import factory
from django.utils import timezone

from kzai.accounts.models import Membership, Organization, User
from kzai.core.roles import Role
from registry import choices
from registry.models import AISystem, DataLibrary, Party, SystemComponent, SystemPartyLink, Tag
from registry.validators import check_digit

TEST_PASSWORD = "correct-horse-battery-9"


def make_bin(seq: int) -> str:
    """A valid BIN: registered in 2015-01, resident legal entity, serial `seq`, with its check digit."""
    for serial in range(seq * 10, seq * 10 + 10):
        head = f"1501400{serial % 10000:04d}"
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)
    raise AssertionError("no valid BIN in range")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.kz")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.OFFICER


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"tag-{n}")


class AISystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AISystem

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Scoring model {n}")
    code = factory.Sequence(lambda n: f"SYS-{n:04d}")
    intended_purpose = "Credit scoring of retail loan applications."
    organization_role = choices.OrganizationRole.OWNER
    sector = choices.Sector.BANKING
    lifecycle_stage = choices.LifecycleStage.DEVELOPMENT


class SystemComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemComponent

    system = factory.SubFactory(AISystemFactory)
    organization = factory.SelfAttribute("system.organization")
    name = factory.Sequence(lambda n: f"model-{n}")
    version = "1.0"


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Vendor {n} LLP")
    kind = choices.PartyKind.LEGAL_ENTITY
    identifier = factory.Sequence(lambda n: make_bin(n))
    country = "KZ"


class SystemPartyLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SystemPartyLink

    system = factory.SubFactory(AISystemFactory)
    organization = factory.SelfAttribute("system.organization")
    party = factory.SubFactory(PartyFactory, organization=factory.SelfAttribute("..organization"))
    role = choices.PartyRole.DEVELOPER


class DataLibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataLibrary

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Loan applications {n}")
    source = choices.DataSource.OWN
    obtained_on = factory.LazyFunction(lambda: timezone.localdate())


# -- risk register and reviews -----------------------------------------------------------------------
class RiskFactory(factory.django.DjangoModelFactory):
    """Risks go through the register service, so scores and bands are computed as in production."""

    class Meta:
        model = "risk.Risk"

    system = factory.SubFactory(AISystemFactory)
    title = factory.Sequence(lambda n: f"Biased outcomes {n}")
    category = "discrimination"
    likelihood = 3
    severity = 4

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from risk.risk_management.services import risk_create

        kwargs.pop("organization", None)
        return risk_create(**kwargs)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "risk.Measure"

    system = factory.SubFactory(AISystemFactory)
    title = factory.Sequence(lambda n: f"Bias testing {n}")
    kind = "technical"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from risk.risk_management.services import measure_create

        system = kwargs["system"]
        risks = kwargs.pop("risks", None) or [RiskFactory(system=system)]
        return measure_create(risks=risks, **kwargs)


def system_in_operation(organization, *, classified_at=None, **kwargs):
    """An AI system in operation, first classified at `classified_at` (as approving a classification does)."""
    return AISystemFactory(
        organization=organization,
        lifecycle_stage=choices.LifecycleStage.IN_OPERATION,
        first_classified_at=classified_at,
        classified_at=classified_at,
        **kwargs,
    )


# -- risk: classification, screening, obligations ---------------------------------------------------
NO_PROHIBITED_PRACTICE = {f"KZ-AI-PROH-0{n}": {"present": False} for n in range(1, 8)}


def classify_system(
    system,
    membership,
    *,
    disruption_impact="minimal",
    autonomy="recommends",
    approve=True,
    explanation="",
    **answers,
):
    """Classify a system through the services (draft, then approval unless approve=False; an
    `explanation` is needed to approve answers that contradict the register)."""
    from risk.services.classification import classification_approve, classification_create

    classification = classification_create(
        system=system,
        membership=membership,
        disruption_impact=disruption_impact,
        autonomy=autonomy,
        **answers,
    )
    if approve:
        classification_approve(classification=classification, membership=membership, explanation=explanation)
    return classification


def system_with_obligations(organization, **facts):
    """A system whose obligations were derived (facts as AISystemFactory keyword arguments)."""
    from risk.services.obligations import obligations_sync

    system = AISystemFactory(organization=organization, **facts)
    obligations_sync(system=system)
    return system


def screened_system(system, membership, *, lifecycle_stage=None, answers=None):
    """Screen a system for the prohibited capabilities through `screening_record` (none present
    unless `answers` says otherwise), then, if `lifecycle_stage` is given, move it there through the
    register's service (e.g. into operation, which the gate allows only once screened)."""
    from registry.services import ai_system_update
    from risk.services.screening import screening_record

    screening_record(system=system, membership=membership, answers=answers or NO_PROHIBITED_PRACTICE)
    system.refresh_from_db()
    if lifecycle_stage is not None:
        system = ai_system_update(system=system, lifecycle_stage=lifecycle_stage)
    return system
