"""Verify the activity log's hash chain of one or every organization; exit 1 where it breaks."""

from django.core.management.base import BaseCommand, CommandError

from kzai.accounts.models import Organization
from kzai.activity.chain import chain_verify


class Command(BaseCommand):
    help = "Recompute each organization's activity hash chain and say where it breaks."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="the organization's slug (default: every organization)")

    def handle(self, *args, organization=None, **options):
        organizations = Organization.objects.order_by("slug")
        if organization:
            organizations = organizations.filter(slug=organization)
            if not organizations.exists():
                raise CommandError(f"No organization with the slug {organization!r}.")
        broken = 0
        for org in organizations:
            report = chain_verify(org.pk)
            if report.intact:
                self.stdout.write(f"{org.slug}: intact, {report.checked} records")
            else:
                broken += 1
                where = f" (record id {report.record_id})" if report.record_id else ""
                self.stdout.write(f"{org.slug}: BROKEN at record {report.broken_at}{where}: {report.reason}")
        if broken:
            raise CommandError(f"The activity chain is broken in {broken} organization(s).", returncode=1)
