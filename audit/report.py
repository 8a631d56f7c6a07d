"""The final audit report: rendered to PDF by WeasyPrint after the sign-off (a kzai.jobs job, like
the technical passport), stored as a version of the engagement's report document (catalogue item
"audit-reports", covering the systems in scope), and the Audits section of the passport.

The report is read from `audit.selectors.report_content`: engagement data, criteria with their
results, findings with the state of their remediation, and the SHA-256 of every document version
the auditors accepted as evidence.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import selectors
from audit.choices import EngagementStatus
from audit.models import Engagement, EngagementReport
from kzai.core.roles import Action, Role
from kzai.jobs.kinds import JobError, register

REPORT_JOB = "audit.report"
REPORT_ITEM = "audit-reports"
LANGUAGES = ("en", "ru", "kk")


def may_request_report(engagement: Engagement, membership) -> bool:
    """The lead auditor (while their access lasts) or an officer or administrator of the
    organization may ask for the report, once the engagement is signed off."""
    from audit.services import is_engagement_auditor

    if membership is None or membership.organization_id != engagement.organization_id:
        return False
    if membership.pk == engagement.lead_auditor_id and is_engagement_auditor(engagement, membership):
        return True
    return membership.role != Role.AUDITOR and membership.allows(Action.APPROVE)


def _check_request(engagement: Engagement, membership, language: str) -> None:
    if not may_request_report(engagement, membership):
        raise PermissionDenied(_("Only the lead auditor or a compliance officer may ask for the report."))
    if engagement.status != EngagementStatus.CLOSED:
        raise ValidationError(
            _("The report is rendered once the lead auditor has signed the engagement off.")
        )
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose English, Russian or Kazakh.")})


def report_request(*, engagement: Engagement, membership, language: str):
    """Queue the rendering of the engagement's report in `language`; returns the job."""
    from kzai.jobs.services import job_start

    _check_request(engagement, membership, language)
    return job_start(
        membership=membership,
        kind=REPORT_JOB,
        params={"engagement_id": engagement.pk, "language": language},
    )


def report_render(*, engagement: Engagement, membership, language: str, progress=None) -> EngagementReport:
    """Render the report of a signed-off engagement in `language` and store it as a new version of
    the engagement's report document (created on the first rendering)."""
    from documents.passport import render_pdf
    from documents.services import rendered_version_store

    _check_request(engagement, membership, language)
    with translation.override(language):
        if progress:
            progress(1, 4)
        content = selectors.report_content(engagement)
        issued_at = timezone.now()
        html = render_to_string(
            "audit/report/report.html",
            {
                **content,
                "organization": engagement.organization,
                "issued_at": issued_at,
                "language": language,
            },
        )
        if progress:
            progress(2, 4)
        pdf = render_pdf(html)
        if progress:
            progress(3, 4)
        with transaction.atomic():
            previous = (
                EngagementReport.objects.filter(engagement=engagement).select_related("version").first()
            )
            version = rendered_version_store(
                document=previous.version.document if previous else None,
                author=membership,
                title=_("Audit report — %(title)s") % {"title": engagement.title},
                systems=engagement.systems.all(),
                items=[REPORT_ITEM],
                file=ContentFile(
                    pdf, name=f"audit-report-{engagement.pk}-{language}-{issued_at:%Y%m%d-%H%M%S}.pdf"
                ),
                change_note=_("Rendered by kzai (%(language)s)") % {"language": language},
            )
            report = EngagementReport(
                organization_id=engagement.organization_id,
                engagement=engagement,
                version=version,
                language=language,
                issued_at=issued_at,
            )
            report.full_clean()
            report.save()
    if progress:
        progress(4, 4)
    return report


# -- the job ----------------------------------------------------------------------------------------
def run_report(*, job, membership, progress) -> dict:
    engagement = selectors.engagement_list(membership).filter(pk=job.params.get("engagement_id")).first()
    if engagement is None:
        raise JobError(_("The engagement is no longer available to you."))
    try:
        report = report_render(
            engagement=engagement,
            membership=membership,
            language=job.params.get("language", ""),
            progress=progress,
        )
    except (PermissionDenied, ValidationError) as error:
        raise JobError(" ".join(getattr(error, "messages", [str(error)]))) from error
    return {
        "engagement_id": engagement.pk,
        "document_id": report.version.document_id,
        "version_id": report.version_id,
        "sha256": report.version.sha256,
        "download_url": reverse("document-version-download", args=[report.version_id]),
    }


def _engagement_page(job) -> str:
    return reverse("audit:engagement_detail", args=[job.params["engagement_id"]])


def register_kinds() -> None:
    # Auditors may run it (their role allows view only); `report_request` decides who may ask.
    register(
        REPORT_JOB,
        action=Action.VIEW,
        label=gettext_lazy("Audit report"),
        run=run_report,
        result_url=_engagement_page,
    )


# -- the passport's Audits section --------------------------------------------------------------------
def passport_section(*, system, membership) -> str:
    return render_to_string(
        "audit/report/passport_section.html",
        {"engagements": selectors.passport_audits(membership, system)},
    )
