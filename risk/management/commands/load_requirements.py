"""Load requirements library files; optionally preview or apply a version for an organization."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kzai.accounts.models import Organization
from kzai.activity.context import acting_as
from risk.library.loader import LibraryError, load_library_file, shipped_library_files
from risk.selectors import library_upgrade_preview
from risk.services.adoption import library_apply
from risk.services.library import library_file_load


class _Rollback(Exception):
    """Raised to undo a --check run that stored a version only to compare it."""


class Command(BaseCommand):
    help = (
        "Validate and load requirements library YAML files (default: those shipped in risk/library/"
        "requirements). With --organization, preview every requirement the newest file adds, removes "
        "or changes (field by field) and which systems and obligations each change touches; add "
        "--apply to adopt it. --check stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files (default: the shipped library)")
        parser.add_argument("--organization", help="Organization slug to preview or apply for")
        parser.add_argument("--apply", action="store_true", help="Adopt the version for the organization")
        parser.add_argument("--check", action="store_true", help="Only validate and preview; store nothing")

    def handle(self, *args, files, organization, apply, check, **options):
        paths = files or [str(p) for p in shipped_library_files()]
        if check and apply:
            raise CommandError("--check stores nothing; leave out --apply.")
        if check and organization is None:
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
        org = None
        if organization is not None:
            org = Organization.objects.filter(slug=organization).first()
            if org is None:
                raise CommandError(f"No organization with slug {organization!r}")
        try:
            with acting_as(None, source="command"), transaction.atomic():
                version = self._load(paths)
                if org is not None:
                    self._preview(org, version)
                    if apply:
                        adoption = library_apply(organization=org, version=version, membership=None)
                        self.stdout.write(
                            self.style.SUCCESS(
                                f"Applied {version.version} to {org.name}: "
                                f"+{adoption.gained} / -{adoption.lost} (kept)"
                            )
                        )
                    elif check:
                        raise _Rollback
                    else:
                        self.stdout.write("Preview only; add --apply to adopt the version.")
        except _Rollback:
            self.stdout.write("Check only: nothing was stored.")

    def _load(self, paths):
        version = None
        for path in paths:
            try:
                version, created = library_file_load(path=path)
            except LibraryError as error:
                raise CommandError(str(error)) from None
            except ValidationError as error:
                # A stored version is immutable: a file that changes it is refused, not a traceback.
                raise CommandError(f"{path}: {' '.join(error.messages)}") from None
            self.stdout.write(
                f"{path}: version {version.version} {'loaded' if created else 'already loaded'}"
            )
        return version

    def _preview(self, org, version):
        preview = library_upgrade_preview(organization=org, version=version)
        changes = preview.requirements
        if not changes:
            self.stdout.write(f"{version.version}: no requirement added, removed or changed.")
        for change in changes:
            touched = ", ".join(s.code for s in change.systems) or "no system"
            self.stdout.write(f"{change.kind.upper()} {change.code} — touches: {touched}")
            if change.obligations:
                review = " (return for review)" if change.kind == "changed" and change.substantive else ""
                listed = ", ".join(f"{o.system.code}·{o.code}" for o in change.obligations)
                self.stdout.write(f"    obligations: {listed}{review}")
            for field_change in change.fields:
                self.stdout.write(
                    f"    {field_change.label}: {field_change.before!r} → {field_change.after!r}"
                    + ("" if field_change.substantive else " (wording only)")
                )
        for change in preview.changed_systems:
            if change.gained or change.lost:
                gained = ", ".join(r.code for r in change.gained) or "—"
                lost = ", ".join(o.code for o in change.lost) or "—"
                self.stdout.write(f"  {change.system.code}: gains {gained}; no longer applicable {lost}")
