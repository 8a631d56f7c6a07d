"""Reads of the public side: what the public may see, and the officer's lists and counts."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.utils.timezone import localdate as almaty_today  # TIME_ZONE is Asia/Almaty

from kzai.accounts.models import Membership
from kzai.core.roles import Action
from registry.public.models import AgreementAcceptance, AgreementVersion, Objection, PublicPage, Ticket


def published_page(org_slug: str, public_slug: str) -> PublicPage:
    """The published page at this public address, or 404 (unpublished, archived or unknown alike)."""
    page = (
        PublicPage.objects.published()
        .select_related("organization")
        .filter(organization__slug=org_slug, public_slug=public_slug)
        .first()
    )
    if page is None:
        raise Http404
    return page


def effective_versions(page: PublicPage):
    """The agreement versions already in effect (Almaty date), newest first."""
    return AgreementVersion.objects.filter(
        system_id=page.system_id, effective_on__lte=almaty_today()
    ).order_by("-number")


def public_page_list(membership: Membership | None):
    return PublicPage.objects.restrict(membership, Action.VIEW).select_related("system")


def agreement_versions_with_counts(membership: Membership | None, system):
    """The system's agreement versions, newest first, each with `acceptance_count`."""
    return (
        AgreementVersion.objects.restrict(membership, Action.VIEW)
        .filter(system=system)
        .annotate(acceptance_count=Count("acceptances"))
        .order_by("-number")
    )


def agreement_version_list(membership: Membership | None):
    return (
        AgreementVersion.objects.restrict(membership, Action.VIEW)
        .select_related("system")
        .annotate(acceptance_count=Count("acceptances"))
        .order_by("system_id", "-number")  # Meta.ordering is dropped by the GROUP BY of annotate()
    )


def acceptance_list(membership: Membership | None):
    return AgreementAcceptance.objects.restrict(membership, Action.VIEW).select_related("version")


def acceptance_status(membership: Membership | None, *, system, end_user: str) -> dict:
    """Whether `end_user` accepted `system`'s agreement: the latest acceptance and whether it is of
    the version currently in effect."""
    latest = (
        acceptance_list(membership)
        .filter(system=system, end_user=end_user)
        .order_by("-version__number")
        .first()
    )
    current = (
        AgreementVersion.objects.restrict(membership, Action.VIEW)
        .filter(Q(system=system), Q(effective_on__lte=almaty_today()))
        .order_by("-number")
        .first()
    )
    return {
        "accepted": latest is not None,
        "version": latest.version.number if latest else None,
        "accepted_at": latest.accepted_at if latest else None,
        "current_version": current.number if current else None,
        "accepted_current": bool(latest and current and latest.version_id == current.pk),
    }


def ticket_list(membership: Membership | None):
    """The organization's user reports, newest first, with what the list shows."""
    return Ticket.objects.restrict(membership, Action.VIEW).select_related("system", "assignee__user", "risk")


def objection_list(membership: Membership | None):
    """Objections to automated processing, newest first."""
    return Objection.objects.restrict(membership, Action.VIEW).select_related("system", "answered_by__user")
