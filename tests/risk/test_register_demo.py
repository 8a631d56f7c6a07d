"""The register's demo data loads through the services, and loading twice changes nothing."""

from kzai.core.roles import Role
from kzai.deadlines.models import Deadline, DeadlineKind
from risk.demo_register import load_register_demo
from risk.models import Review, Risk


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
    assert Deadline.objects.filter(organization=org, kind=DeadlineKind.RISK_REVIEW).count() == 4
    assert Deadline.objects.filter(organization=org, kind=DeadlineKind.MEASURE).exists()
    load_register_demo(context)
    assert Risk.objects.filter(organization=org).count() == risks
