"""Load a realistic demo tenant: organizations, one user per role, and each app's demo data.

Idempotent: running it again resets the demo users' passwords and leaves existing data alone.
Each app may ship a `demo.py` with `load_demo(context: DemoContext)`, called in INSTALLED_APPS order.
"""

import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from kzai.accounts.models import Membership, Organization, User
from kzai.accounts.services import membership_set, organization_create, user_create
from kzai.activity.context import acting_as
from kzai.core.roles import Role

DEMO_PASSWORD = "kzai-demo-2026"
DEMO_ORG = {"name": "Qazaq Digital Bank JSC", "slug": "qazaq-bank", "bin": "", "size": "large"}
SECOND_ORG = {"name": "Steppe Telecom LLP", "slug": "steppe-telecom", "bin": "", "size": "medium"}
DEMO_PEOPLE = [
    ("admin@demo.kz", "Aigerim Nurlanovna", Role.ADMIN),
    ("officer@demo.kz", "Daniyar Seitkali", Role.OFFICER),
    ("contributor@demo.kz", "Madina Ospanova", Role.CONTRIBUTOR),
    ("auditor@demo.kz", "Yerlan Abenov", Role.AUDITOR),
    ("viewer@demo.kz", "Saule Tokayeva", Role.VIEWER),
]


@dataclass
class DemoContext:
    organization: Organization
    members: dict[str, Membership] = field(default_factory=dict)  # by role
    other_organization: Organization | None = None
    # What one app's demo leaves for a later one (e.g. the register's systems that go live once the
    # risk app has screened them).
    shared: dict = field(default_factory=dict)


class Command(BaseCommand):
    help = "Load the demo organization with one user per role and sample data for every capability."

    def handle(self, *args, **options):
        with acting_as(None, source="command"), transaction.atomic():
            organization = self._organization(DEMO_ORG)
            other = self._organization(SECOND_ORG)
            context = DemoContext(organization=organization, other_organization=other)
            for email, name, role in DEMO_PEOPLE:
                user = User.objects.filter(email=email).first() or user_create(
                    email=email, password=DEMO_PASSWORD, full_name=name
                )
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                context.members[role] = membership_set(user=user, organization=organization, role=role)
            # The officer also works for a second organization, to show the switcher.
            membership_set(user=context.members[Role.OFFICER].user, organization=other, role=Role.OFFICER)
            for app_config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                module.load_demo(context)
        self.stdout.write(self.style.SUCCESS(f"Demo organization “{organization.name}” is ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ with one of:")
        for email, _name, role in DEMO_PEOPLE:
            self.stdout.write(f"  {role:<12} {email:<22} password: {DEMO_PASSWORD}")

    def _organization(self, data):
        return Organization.objects.filter(slug=data["slug"]).first() or organization_create(**data)
