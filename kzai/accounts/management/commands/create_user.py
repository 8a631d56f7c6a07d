from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kzai.accounts.management.commands.create_organization import format_errors
from kzai.accounts.models import Organization, User
from kzai.accounts.services import membership_set, user_create
from kzai.activity.context import acting_as
from kzai.core.roles import Role


class Command(BaseCommand):
    help = "Create a user (or reuse one by e-mail) and give them a role in an organization."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--org", required=True, help="Organization slug.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="", help="Full name.")

    def handle(self, *args, email, password, org, role, name, **options):
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"No organization with slug {org!r}.")
        try:
            with acting_as(None, source="command"), transaction.atomic():
                user = User.objects.filter(email__iexact=email).first()
                if user is None:
                    user = user_create(email=email, password=password, full_name=name)
                    created = True
                else:
                    created = False
                membership_set(user=user, organization=organization, role=role)
        except ValidationError as error:
            raise CommandError(format_errors(error))
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {user.email}: {role} in {organization.slug}."))
