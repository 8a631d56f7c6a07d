"""Reads of the audit app, always through `restrict(membership, action)`."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from audit.choices import EngagementStatus, RemediationStatus
from audit.models import (
    Comment,
    Criterion,
    Engagement,
    EngagementReport,
    EvidenceRequest,
    Finding,
    RemediationAction,
    TrustedListFiling,
)
from kzai.core.roles import Role


def engagement_list(membership):
    return (
        Engagement.objects.restrict(membership)
        .select_related("lead_auditor__user", "audit_firm")
        .prefetch_related("systems")
        .annotate(finding_count=Count("audit_findings", distinct=True))
        .order_by("-planned_start", "-id")
    )


def criterion_list(membership):
    return Criterion.objects.restrict(membership).select_related(
        "engagement", "system", "obligation__requirement", "assessed_by__user"
    )


def finding_list(membership):
    return Finding.objects.restrict(membership).select_related("engagement", "criterion", "raised_by__user")


def remediation_list(membership):
    return RemediationAction.objects.restrict(membership).select_related(
        "finding__engagement", "owner__user", "verified_by__user"
    )


def evidence_request_list(membership):
    return (
        EvidenceRequest.objects.restrict(membership)
        .select_related("engagement", "criterion", "requested_by__user", "responded_by__user")
        .prefetch_related("versions__document")
    )


def comment_list(membership):
    return Comment.objects.restrict(membership).select_related("engagement", "author__user")


def report_list(membership):
    return EngagementReport.objects.restrict(membership).select_related("version__document", "engagement")


def latest_report(membership, engagement):
    """The newest rendered report of the engagement the membership may read, or None."""
    return report_list(membership).filter(engagement=engagement).first()


def filing_list(membership):
    return TrustedListFiling.objects.restrict(membership).select_related("system", "audit_engagement")


def engagement_detail(membership, pk):
    """One engagement with everything its page shows, or None when out of reach."""
    engagement = engagement_list(membership).prefetch_related("team__user").filter(pk=pk).first()
    if engagement is None:
        return None
    engagement.criteria_rows = list(
        engagement.criteria.select_related("system", "obligation__requirement", "assessed_by__user")
    )
    engagement.finding_rows = list(
        engagement.audit_findings.select_related("criterion", "raised_by__user").prefetch_related(
            Prefetch("actions", queryset=RemediationAction.objects.select_related("owner__user"))
        )
    )
    engagement.request_rows = list(
        engagement.evidence_requests.select_related(
            "criterion", "requested_by__user", "responded_by__user"
        ).prefetch_related("versions__document")
    )
    # Every comment of the engagement in one query, hung on the row it is about.
    by_target = {}
    for comment in engagement.comments.select_related("author__user"):
        for name in Comment.TARGETS:
            target_id = getattr(comment, f"{name}_id")
            if target_id:
                by_target.setdefault((name, target_id), []).append(comment)
    for name, rows in (
        ("criterion", engagement.criteria_rows),
        ("finding", engagement.finding_rows),
        ("evidence_request", engagement.request_rows),
    ):
        for row in rows:
            row.comment_rows = by_target.get((name, row.pk), [])
    engagement.latest_report = latest_report(membership, engagement)
    return engagement


def auditor_engagements(user):
    """Every engagement across the user's client organizations in which they audit (lead or team),
    each read through that membership's restricted queryset."""
    from kzai.accounts.models import Membership

    memberships = Membership.objects.active().filter(user=user).select_related("organization")
    rows = []
    for membership in memberships:
        if membership.role != Role.AUDITOR and not membership.allows("approve"):
            continue
        engagements = (
            engagement_list(membership)
            .filter(Q(lead_auditor=membership) | Q(team=membership))
            .distinct()
            .order_by("status", "-planned_start")
        )
        rows.extend((membership, engagement) for engagement in engagements)
    return rows


def system_engagements(membership, system):
    return engagement_list(membership).filter(systems=system).distinct()


def system_filings(membership, system):
    return filing_list(membership).filter(system=system)


def open_remediation_count(engagement) -> int:
    return (
        RemediationAction.objects.filter(finding__engagement=engagement)
        .exclude(status=RemediationStatus.VERIFIED)
        .count()
    )


ACTIVE_STATUSES = (EngagementStatus.PLANNED, EngagementStatus.FIELDWORK, EngagementStatus.REPORTING)


def report_content(engagement) -> dict:
    """The final audit report as data (for the documents app's PDF rendering): the engagement, its
    systems, criteria with results, findings with remediation state, and the conclusion.

    The caller has read `engagement` through a restricted queryset."""
    criteria = engagement.criteria.select_related("system", "obligation__requirement")
    findings = engagement.audit_findings.prefetch_related("actions__owner__user").select_related(
        "criterion__obligation__requirement"
    )
    return {
        "engagement": {
            "id": engagement.pk,
            "title": engagement.title,
            "type": engagement.get_engagement_type_display(),
            "status": engagement.get_status_display(),
            "audit_firm": str(engagement.audit_firm) if engagement.audit_firm_id else "",
            "lead_auditor": engagement.lead_auditor.user.email,
            "team": [member.user.email for member in engagement.team.all()],
            "scope": engagement.scope,
            "planned": [engagement.planned_start, engagement.planned_end],
            "actual": [engagement.actual_start, engagement.actual_end],
        },
        "systems": [{"code": s.code, "name": s.name} for s in engagement.systems.order_by("code")],
        "criteria": [
            {
                "code": c.code,
                "system": c.system.code if c.system_id else "",
                "title": c.title_text,
                "source": c.get_source_display(),
                "result": c.get_result_display(),
                "result_key": c.result,
                "notes": c.notes,
            }
            for c in criteria
        ],
        "findings": [
            {
                "title": f.title,
                "severity": f.get_severity_display(),
                "description": f.description,
                "recommendation": f.recommendation,
                "criterion": (f.criterion.code or f.criterion.title_text) if f.criterion_id else "",
                "actions": [
                    {
                        "description": a.description,
                        "owner": a.owner.user.email,
                        "due_on": a.due_on,
                        "status": a.get_status_display(),
                        "evidence": a.evidence,
                    }
                    for a in f.actions.all()
                ],
            }
            for f in findings
        ],
        "evidence": evidence_seen(engagement),
        "conclusion": engagement.get_conclusion_display() if engagement.conclusion else "",
        "conclusion_text": engagement.conclusion_text,
        "signed_off_by": engagement.signed_off_by.user.email if engagement.signed_off_by_id else "",
        "signed_off_at": engagement.signed_off_at,
    }


def evidence_seen(engagement) -> list[dict]:
    """The document versions given in answer to the engagement's accepted evidence requests, with
    their SHA-256: what the auditors saw, as the report lists it."""
    from audit.choices import EvidenceRequestStatus

    rows = []
    accepted = engagement.evidence_requests.filter(status=EvidenceRequestStatus.ACCEPTED).prefetch_related(
        "versions__document"
    )
    for item in accepted:
        for version in sorted(item.versions.all(), key=lambda v: (v.document.title, v.number)):
            rows.append(
                {
                    "request": item.request,
                    "document": version.document.title,
                    "version": version.number,
                    "file": version.original_name,
                    "sha256": version.sha256,
                }
            )
    return rows


def passport_audits(membership, system) -> list:
    """The system's engagements as the passport's Audits section lists them (read as `membership`),
    each with its newest report."""
    engagements = list(
        engagement_list(membership)
        .filter(systems=system)
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=EngagementReport.objects.select_related("version").order_by("-issued_at", "-id"),
            )
        )
        .distinct()
    )
    for engagement in engagements:
        reports = list(engagement.reports.all())
        engagement.latest_report = reports[0] if reports else None
    return engagements


def filing_clock(filing, *, today=None) -> list[dict]:
    """The sector body's clock of a filed application, for people: each step with its due date,
    the working days left (Kazakhstan's calendar, from today in Asia/Almaty) or by how many it is
    late, and the day it was done."""
    from django.utils import timezone

    from kzai.deadlines.workdays import working_days_between

    today = today or timezone.localdate()
    steps = []
    if filing.filed_on:
        steps.append(("completeness", filing.completeness_due_on, filing.complete_on))
    if filing.complete_on:
        steps.append(("publication", filing.publication_due_on, filing.published_on))
    rows = []
    for key, due_on, done_on in steps:
        row = {"key": key, "due_on": due_on, "done_on": done_on, "left": None, "late": None}
        if done_on is None and due_on is not None and filing.status != "refused":
            if due_on >= today:
                row["left"] = working_days_between(today, due_on)
            else:
                row["late"] = working_days_between(due_on, today)
        rows.append(row)
    return rows
