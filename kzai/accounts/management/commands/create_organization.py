from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kzai.accounts.models import OrganizationSize
from kzai.accounts.services import organization_create
from kzai.activity.context import acting_as


class Command(BaseCommand):
    help = "Create an organization (a tenant)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--bin", default="")
        parser.add_argument("--size", default=OrganizationSize.LARGE, choices=OrganizationSize.values)

    def handle(self, *args, name, slug, bin, size, **options):
        try:
            with acting_as(None, source="command"):
                organization = organization_create(name=name, slug=slug, bin=bin, size=size)
        except ValidationError as error:
            raise CommandError(format_errors(error))
        self.stdout.write(
            self.style.SUCCESS(f"Created organization {organization.slug} (id {organization.pk}).")
        )


def format_errors(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
