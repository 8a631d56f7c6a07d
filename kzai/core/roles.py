"""The single table of what each role may do.

The UI, the API and the tests all read this table; nothing else decides role permissions.
Actions are coarse verbs: `view`, `add`, `change`, `delete` on compliance data, plus a few verbs
for special powers. Object-level narrowing (an auditor who sees only the systems of their
engagement) is done by django-guardian grants on top of this table, in `RestrictedQuerySet`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICER = "officer", _("Compliance officer")
    CONTRIBUTOR = "contributor", _("Contributor")
    AUDITOR = "auditor", _("Auditor")
    VIEWER = "viewer", _("Viewer")


class Action(models.TextChoices):
    VIEW = "view", _("View")
    ADD = "add", _("Create")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete or archive")
    APPROVE = "approve", _("Approve and sign off")
    MANAGE_MEMBERS = "manage_members", _("Manage members and tokens")
    IMPORT = "import", _("Import data")
    AUDIT = "audit", _("Record audit findings")


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            Action.VIEW,
            Action.ADD,
            Action.CHANGE,
            Action.DELETE,
            Action.APPROVE,
            Action.MANAGE_MEMBERS,
            Action.IMPORT,
        }
    ),
    Role.OFFICER: frozenset(
        {Action.VIEW, Action.ADD, Action.CHANGE, Action.DELETE, Action.APPROVE, Action.IMPORT}
    ),
    Role.CONTRIBUTOR: frozenset({Action.VIEW, Action.ADD, Action.CHANGE}),
    # Auditors read; they write only their own findings and sign-offs (the audit app checks AUDIT).
    Role.AUDITOR: frozenset({Action.VIEW, Action.AUDIT}),
    Role.VIEWER: frozenset({Action.VIEW}),
}

# Actions a read-only API token may still perform whatever its membership's role.
READ_ONLY_ACTIONS = frozenset({Action.VIEW})

# Roles whose reach is narrowed to objects granted to them through django-guardian.
OBJECT_SCOPED_ROLES = frozenset({Role.AUDITOR})

# HTTP method → action, for views and viewsets that do not name one.
METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


def role_allows(role: str, action: str) -> bool:
    """Whether `role` may perform `action` at all (object scoping aside)."""
    return action in ROLE_ACTIONS.get(role, frozenset())


def roles_allowed(action: str) -> list[str]:
    """The roles that may perform `action`, in the table's order (used by tests and the UI)."""
    return [role for role in Role.values if role_allows(role, action)]
