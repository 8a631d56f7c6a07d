"""Load requirements library files; optionally preview or apply a version for an organization."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kzai.accounts.models import Organization
from kzai.activity.context import acting_as
from risk.library.loader import LibraryError, load_library_file, shipped_library_files
from risk.services.adoption import library_apply, library_preview
from risk.services.library import library_file_load


class Command(BaseCommand):
    help = (
        "Validate and load requirements library YAML files (default: those shipped in risk/library/"
        "requirements). With --organization, preview what the newest loaded file changes for that "
        "organization's systems; add --apply to adopt it."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files (default: the shipped library)")
        parser.add_argument("--organization", help="Organization slug to preview or apply for")
        parser.add_argument("--apply", action="store_true", help="Adopt the version for the organization")
        parser.add_argument("--check", action="store_true", help="Only validate the files; store nothing")

    def handle(self, *args, files, organization, apply, check, **options):
        paths = files or [str(p) for p in shipped_library_files()]
        if check:
            problems = []
            for path in paths:
                try:
                    data = load_library_file(path)
                    self.stdout.write(
                        f"{path}: version {data.version}, {len(data.requirements)} requirements — valid"
                    )
                except LibraryError as error:
                    problems += error.problems
            if problems:
                raise CommandError("\n".join(str(p) for p in problems))
            return
        version = None
        with acting_as(None, source="command"), transaction.atomic():
            for path in paths:
                try:
                    version, created = library_file_load(path=path)
                except LibraryError as error:
                    raise CommandError(str(error)) from None
                self.stdout.write(
                    f"{path}: version {version.version} {'loaded' if created else 'already loaded'}"
                )
            if organization is None:
                return
            org = Organization.objects.filter(slug=organization).first()
            if org is None:
                raise CommandError(f"No organization with slug {organization!r}")
            for change in library_preview(organization=org, version=version):
                if change.gained or change.lost:
                    gained = ", ".join(r.code for r in change.gained) or "—"
                    lost = ", ".join(o.code for o in change.lost) or "—"
                    self.stdout.write(f"  {change.system.code}: gains {gained}; no longer applicable {lost}")
            if apply:
                adoption = library_apply(organization=org, version=version, membership=None)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Applied {version.version} to {org.name}: "
                        f"+{adoption.gained} / -{adoption.lost} (kept)"
                    )
                )
            else:
                self.stdout.write("Preview only; add --apply to adopt the version.")
