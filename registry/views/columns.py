"""The columns a user may choose for the register list, with how each cell is shown and sorted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "registry_system_columns"


def _yes(value: bool) -> str:
    return str(_("yes")) if value else ""


def _member(membership) -> str:
    return (membership.user.full_name or membership.user.email) if membership else ""


def _risk(system):
    if system.is_prohibited:
        return format_html('<span class="badge badge-danger">{}</span>', _("Prohibited capability"))
    if not system.risk_level:
        return format_html('<span class="muted">{}</span>', _("Not classified"))
    badge = format_html(
        '<span class="badge badge-{}">{}</span>', system.risk_level, system.get_risk_level_display()
    )
    if system.classification_stale:
        badge = format_html('{} <span class="badge badge-warn">{}</span>', badge, _("out of date"))
    return badge


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable
    ordering: str = ""  # the FilterSet ordering key, when the column is sortable


COLUMNS = (
    Column("code", _("Code"), lambda s: s.code, "code"),
    Column("name", _("Name"), lambda s: s.name, "name"),
    Column(
        "lifecycle_stage", _("Lifecycle stage"), lambda s: s.get_lifecycle_stage_display(), "lifecycle_stage"
    ),
    Column(
        "organization_role", _("Our role"), lambda s: s.get_organization_role_display(), "organization_role"
    ),
    Column("sector", _("Sector"), lambda s: s.get_sector_display(), "sector"),
    Column("risk_level", _("Risk level"), _risk, "risk_level"),
    Column("business_unit", _("Business unit"), lambda s: s.business_unit, "business_unit"),
    Column("responsible_officer", _("Responsible officer"), lambda s: _member(s.responsible_officer)),
    Column("technical_owner", _("Technical owner"), lambda s: _member(s.technical_owner)),
    Column("decision_role", _("Decisions on rights"), lambda s: s.get_decision_role_display()),
    Column("processes_personal_data", _("Personal data"), lambda s: _yes(s.processes_personal_data)),
    Column("processes_biometric_data", _("Biometric data"), lambda s: _yes(s.processes_biometric_data)),
    Column(
        "generates_synthetic_content", _("Synthetic content"), lambda s: ", ".join(s.synthetic_media or [])
    ),
    Column(
        "interacts_with_natural_persons",
        _("Interacts with people"),
        lambda s: s.get_interaction_channel_display() if s.interacts_with_natural_persons else "",
    ),
    Column("critical_ict_infrastructure", _("Critical ICT"), lambda s: _yes(s.critical_ict_infrastructure)),
    Column("hosting", _("Hosting"), lambda s: f"{s.get_deployment_display()} · {s.hosting_country}"),
    Column(
        "data_leaves_kazakhstan",
        _("Data leaves KZ"),
        lambda s: _yes(s.data_leaves_kazakhstan or s.uses_foreign_platform),
    ),
    Column("classification_stale", _("Classification out of date"), lambda s: _yes(s.classification_stale)),
    Column("is_prohibited", _("Prohibited"), lambda s: _yes(s.is_prohibited)),
    Column(
        "parties",
        _("Parties"),
        lambda s: format_html_join(
            ", ",
            '{} <small class="muted">({})</small>',
            ((link.party.name, link.get_role_display()) for link in s.party_links.all()),
        ),
    ),
    Column("tags", _("Tags"), lambda s: ", ".join(t.name for t in s.tags.all())),
    Column("updated_at", _("Updated"), lambda s: s.updated_at.strftime("%Y-%m-%d"), "updated_at"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_COLUMNS = (
    "code",
    "name",
    "lifecycle_stage",
    "organization_role",
    "risk_level",
    "responsible_officer",
    "parties",
)


def chosen_columns(request) -> list[Column]:
    """The columns from `?columns=` (remembered in the session), else the remembered or default ones."""
    requested = [k for k in request.GET.getlist("columns") if k in COLUMN_BY_KEY]
    if requested:
        request.session[SESSION_KEY] = requested
    keys = requested or request.session.get(SESSION_KEY) or DEFAULT_COLUMNS
    keys = [k for k in keys if k in COLUMN_BY_KEY] or list(DEFAULT_COLUMNS)
    return [COLUMN_BY_KEY[k] for k in keys]
