"""The columns a user may choose for the register list, with how each cell is shown and sorted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from registry.fields import BOOL, CHOICE, MEMBER, SYSTEM_FACTS, Fact

SESSION_KEY = "registry_system_columns"


def _yes(value: bool) -> str:
    return str(_("yes")) if value else ""


def _member(membership) -> str:
    return (membership.user.full_name or membership.user.email) if membership else ""


def _risk(system):
    if system.is_prohibited:
        return _with_contradiction(
            system, format_html('<span class="badge badge-danger">{}</span>', _("Prohibited capability"))
        )
    if not system.risk_level:
        return _with_contradiction(system, format_html('<span class="muted">{}</span>', _("Not classified")))
    badge = format_html(
        '<span class="badge badge-{}">{}</span>', system.risk_level, system.get_risk_level_display()
    )
    if system.classification_stale:
        badge = format_html('{} <span class="badge badge-warn">{}</span>', badge, _("out of date"))
    return _with_contradiction(system, badge)


def _with_contradiction(system, badge):
    if not system.has_contradictions:
        return badge
    return format_html('{} <span class="badge badge-warn">{}</span>', badge, _("contradiction"))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable
    ordering: str = ""  # the FilterSet ordering key, when the column is sortable


def _fact_value(fact: Fact) -> Callable:
    if fact.kind == CHOICE:
        return lambda s: getattr(s, f"get_{fact.name}_display")()
    if fact.kind == BOOL:
        return lambda s: _yes(getattr(s, fact.name))
    if fact.kind == MEMBER:
        return lambda s: _member(getattr(s, fact.name))
    return lambda s: getattr(s, fact.name)


# The facts declared as list columns in `registry.fields`, then the columns that combine facts or
# show the classification state and links.
COLUMNS = (
    *(
        Column(f.name, f.list_column, _fact_value(f), f.name if f.sortable else "")
        for f in SYSTEM_FACTS
        if f.list_column
    ),
    Column("risk_level", _("Risk level"), _risk, "risk_level"),
    Column(
        "generates_synthetic_content", _("Synthetic content"), lambda s: ", ".join(s.synthetic_media or [])
    ),
    Column(
        "interacts_with_natural_persons",
        _("Interacts with people"),
        lambda s: s.get_interaction_channel_display() if s.interacts_with_natural_persons else "",
    ),
    Column("hosting", _("Hosting"), lambda s: f"{s.get_deployment_display()} · {s.hosting_country}"),
    Column(
        "data_leaves_kazakhstan",
        _("Data leaves KZ"),
        lambda s: _yes(s.data_leaves_kazakhstan or s.uses_foreign_platform),
    ),
    Column("classification_stale", _("Classification out of date"), lambda s: _yes(s.classification_stale)),
    Column("is_prohibited", _("Prohibited"), lambda s: _yes(s.is_prohibited)),
    Column(
        "has_contradictions",
        _("Contradicts its screen or classification"),
        lambda s: _yes(s.has_contradictions),
    ),
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
