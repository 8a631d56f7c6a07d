from django.core.management.base import BaseCommand, CommandError

from kzai.accounts.models import Membership
from kzai.accounts.services import api_token_create
from kzai.activity.context import acting_as


class Command(BaseCommand):
    help = (
        "Create an API token for a user in an organization. The token is printed once; only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--org", required=True, help="Organization slug.")
        parser.add_argument("--read-only", action="store_true", dest="read_only")
        parser.add_argument("--name", default="")

    def handle(self, *args, email, org, read_only, name, **options):
        membership = (
            Membership.objects.active()
            .filter(user__email__iexact=email, organization__slug=org)
            .select_related("organization", "user")
            .first()
        )
        if membership is None:
            raise CommandError(f"{email} has no active membership in {org!r}.")
        with acting_as(membership.user, source="command"):
            token, raw = api_token_create(membership=membership, name=name, read_only=read_only)
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.key_hint}… for {membership.user.email} in {org} "
            f"({'read-only' if read_only else membership.get_role_display()}). It will not be shown again."
        )
