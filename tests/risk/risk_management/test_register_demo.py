"""The register's demo data loads through the services, and loading twice changes nothing."""

from kzai.core.roles import Role
from kzai.deadlines.models import Deadline, DeadlineKind
from risk.models import Review, Risk
from risk.risk_management.demo import load_register_demo


class _Context:
    def __init__(self, organization, members):
        self.organization = organization
        self.members = members
        self.other_organization = None


def test_demo_loads_and_is_idempotent(org, make_member):
    context = _Context(org, {role: make_member(role) for role in Role.values})
    load_register_demo(context)
    risks = Risk.objects.filter(organization=org).count()
    assert risks >= 15
    assert Review.objects.filter(organization=org, status="completed").count() == 1
    assert Review.objects.filter(organization=org, status="in_progress").count() == 1
    assert Deadline.objects.filter(organization=org, kind=DeadlineKind.RISK_REVIEW).count() == 5
    assert Deadline.objects.filter(organization=org, kind=DeadlineKind.MEASURE).exists()
    load_register_demo(context)
    assert Risk.objects.filter(organization=org).count() == risks


def test_full_demo_shows_register_reviews_and_notifications_and_loads_twice(db, capsys):
    from django.core.management import call_command

    from kzai.accounts.models import Organization
    from kzai.deadlines.models import Notification
    from registry.models import AISystem
    from risk.models import Measure

    call_command("load_demo")
    bank = Organization.objects.get(slug="qazaq-bank")
    counts = {
        "systems": AISystem.objects.filter(organization=bank).count(),
        "risks": Risk.objects.filter(organization=bank).count(),
        "measures": Measure.objects.filter(organization=bank).count(),
        "reviews": Review.objects.filter(organization=bank).count(),
        "notifications": Notification.objects.filter(organization=bank).count(),
    }
    # The register's demo systems are the registry's (no duplicates under other codes).
    assert counts["systems"] == 8
    assert counts["risks"] >= 15 and counts["measures"] >= 15
    assert Review.objects.filter(organization=bank, status="completed").exists()
    assert Review.objects.filter(organization=bank, status="in_progress").exists()
    assert counts["notifications"] > 0
    call_command("load_demo")
    assert counts == {
        "systems": AISystem.objects.filter(organization=bank).count(),
        "risks": Risk.objects.filter(organization=bank).count(),
        "measures": Measure.objects.filter(organization=bank).count(),
        "reviews": Review.objects.filter(organization=bank).count(),
        "notifications": Notification.objects.filter(organization=bank).count(),
    }
