"""Writes of the audit app: the engagement workflow, criteria, findings, remediation, evidence
requests, the sign-off that locks an engagement, auditors' access and trusted-list filings.

Who may do what is decided here, not only by the role table: the organization (officers, admins)
plans and runs the engagement and answers; only the engagement's own auditors (its lead and team)
record results, findings, evidence requests, the conclusion and the sign-off. A refusal of that
kind is a `PermissionDenied` (403 in the API and the pages); a rule of the workflow is a
`ValidationError` (400).
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.catalogue import checks_for
from audit.choices import (
    ENGAGEMENT_TRANSITIONS,
    Conclusion,
    CriterionResult,
    CriterionSource,
    EngagementStatus,
    EngagementType,
    EvidenceRequestStatus,
    FilingStatus,
    RemediationStatus,
)
from audit.models import (
    Comment,
    Criterion,
    Engagement,
    EvidenceRequest,
    Finding,
    RemediationAction,
    TrustedListFiling,
)
from kzai.activity.services import activity_record_permission
from kzai.core.roles import Action, Role
from kzai.deadlines.models import DeadlineKind
from kzai.deadlines.services import deadline_sync
from kzai.deadlines.workdays import add_working_days
from registry.grants import grant_system_view, granted_system_ids, revoke_system_view

MANDATORY_AUDIT_OBLIGATION = "KZ-AI-HR-04"
# The law asks for the mandatory audit again a year after the last one.
MANDATORY_AUDIT_INTERVAL = relativedelta(years=1)
# The sector body checks a trusted-list filing for completeness, then publishes (KZ-AI-HR-03).
COMPLETENESS_WORKING_DAYS = 10
PUBLICATION_WORKING_DAYS = 5

ENGAGEMENT_FIELDS = (
    "title",
    "engagement_type",
    "audit_firm",
    "lead_auditor",
    "scope",
    "planned_start",
    "planned_end",
    "access_until",
)


# -- who is who -------------------------------------------------------------------------------------
def engagement_auditors(engagement: Engagement) -> list:
    """The lead auditor and the team."""
    return [engagement.lead_auditor, *engagement.team.all()]


def is_engagement_auditor(engagement: Engagement, membership) -> bool:
    """Whether the membership acts as an auditor of this engagement (lead or team, access active)."""
    if (
        membership is None
        or not membership.is_active
        or membership.organization_id != engagement.organization_id
    ):
        return False
    if getattr(membership, "_read_only", False):
        return False
    if membership.role == Role.AUDITOR and not engagement.access_active:
        return False
    return membership.pk == engagement.lead_auditor_id or engagement.team.filter(pk=membership.pk).exists()


def _require_auditor(engagement: Engagement, membership) -> None:
    if not is_engagement_auditor(engagement, membership):
        raise PermissionDenied(_("Only the auditors of this engagement may do this."))


def _require_lead(engagement: Engagement, membership) -> None:
    if (
        membership is None
        or membership.pk != engagement.lead_auditor_id
        or not is_engagement_auditor(engagement, membership)
    ):
        raise PermissionDenied(_("Only the lead auditor of this engagement may do this."))


def _require_organization(membership, action: str = Action.CHANGE) -> None:
    """The organization's side (not its auditors) with a role that allows `action`."""
    if membership is None or membership.role == Role.AUDITOR or not membership.allows(action):
        raise PermissionDenied(_("Your role in this organization does not allow this action."))


def _require_open(engagement: Engagement) -> None:
    if engagement.is_locked:
        raise ValidationError(_("The engagement is signed off or cancelled; nothing in it can change."))


def _validate_team(engagement: Engagement, members) -> None:
    """Auditors of the organization, or (for an internal audit) its officers and admins."""
    allowed = {Role.AUDITOR}
    if engagement.engagement_type == EngagementType.INTERNAL:
        allowed |= {Role.OFFICER, Role.ADMIN}
    for member in members:
        if member.organization_id != engagement.organization_id:
            raise ValidationError({"team": _("Choose members of this organization.")})
        if member.role not in allowed or not member.is_active:
            field = "lead_auditor" if member.pk == engagement.lead_auditor_id else "team"
            raise ValidationError(
                {
                    field: _(
                        "%(member)s cannot audit: choose members with the auditor role "
                        "(or officers, for an internal audit)."
                    )
                    % {"member": member.user.email}
                }
            )


# -- engagements ------------------------------------------------------------------------------------
@transaction.atomic
def engagement_create(*, organization, membership, systems, team=(), **fields) -> Engagement:
    """Plan an engagement of the organization's systems with a lead auditor and a team."""
    _require_organization(membership, Action.ADD)
    unknown = set(fields) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    engagement = Engagement(organization=organization, **fields)
    systems, team = list(systems), list(team)
    if not systems:
        raise ValidationError({"systems": _("Choose at least one AI system.")})
    if any(system.organization_id != organization.pk for system in systems):
        raise ValidationError({"systems": _("Choose systems of this organization.")})
    engagement.full_clean()
    _validate_team(engagement, [engagement.lead_auditor, *team])
    engagement.save()
    engagement.systems.set(systems)
    engagement.team.set(team)
    _audit_deadline(engagement)
    return engagement


@transaction.atomic
def engagement_update(*, engagement: Engagement, membership, systems=None, team=None, **fields) -> Engagement:
    """Change the plan of an engagement that is not yet closed or cancelled."""
    _require_organization(membership, Action.CHANGE)
    _require_open(engagement)
    for name, value in fields.items():
        if name not in ENGAGEMENT_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(engagement, name, value)
    engagement.full_clean()
    members = list(team) if team is not None else list(engagement.team.all())
    _validate_team(engagement, [engagement.lead_auditor, *members])
    if systems is not None:
        systems = list(systems)
        if not systems:
            raise ValidationError({"systems": _("Choose at least one AI system.")})
        if any(system.organization_id != engagement.organization_id for system in systems):
            raise ValidationError({"systems": _("Choose systems of this organization.")})
    engagement.save()
    if systems is not None:
        engagement.systems.set(systems)
    if team is not None:
        engagement.team.set(members)
    if engagement.status != EngagementStatus.PLANNED:
        _grant_access(engagement)
    _audit_deadline(engagement)
    return engagement


@transaction.atomic
def engagement_transition(*, engagement: Engagement, membership, status: str) -> Engagement:
    """Move the engagement along planned → fieldwork → reporting (or cancel it).

    The organization starts fieldwork and cancels; the auditors move between fieldwork and
    reporting. Starting fieldwork records the actual start and gives the auditors view of the
    systems in scope; cancelling takes it back. Closing is the lead auditor's sign-off.
    """
    _require_open(engagement)
    if status not in ENGAGEMENT_TRANSITIONS.get(engagement.status, ()):
        raise ValidationError(
            {
                "status": _("An engagement cannot go from %(from)s to %(to)s.")
                % {
                    "from": EngagementStatus(engagement.status).label,
                    "to": EngagementStatus(status).label if status in EngagementStatus.values else status,
                }
            }
        )
    organization_step = status == EngagementStatus.CANCELLED or engagement.status == EngagementStatus.PLANNED
    if organization_step:
        _require_organization(membership, Action.CHANGE)
    else:
        _require_auditor(engagement, membership)
    previous = engagement.status
    engagement.status = status
    if status == EngagementStatus.FIELDWORK and previous == EngagementStatus.PLANNED:
        engagement.actual_start = timezone.localdate()
    if status == EngagementStatus.CANCELLED:
        engagement.actual_end = timezone.localdate()
    engagement.full_clean()
    engagement.save()
    if status == EngagementStatus.FIELDWORK:
        _grant_access(engagement)
    if status == EngagementStatus.CANCELLED:
        _end_access(engagement)
    _audit_deadline(engagement)
    return engagement


def _audit_deadline(engagement: Engagement) -> None:
    system = engagement.systems.first()
    deadline_sync(
        source=engagement,
        kind=DeadlineKind.AUDIT,
        due_on=engagement.planned_end,
        title=_("Audit: %(title)s") % {"title": engagement.title},
        responsible=None,
        system=system,
        url=reverse("audit:engagement_detail", args=[engagement.pk]),
        completed=engagement.is_locked,
    )


# -- auditors' access -------------------------------------------------------------------------------
def _grant_access(engagement: Engagement) -> None:
    if not engagement.access_active:
        return
    systems = list(engagement.systems.all())
    for member in engagement_auditors(engagement):
        if member.role == Role.AUDITOR:
            before = set(granted_system_ids(member))
            for system in systems:
                grant_system_view(member.user, system)
            given = sorted(system.code for system in systems if system.pk not in before)
            if given:
                until = engagement.access_until
                activity_record_permission(
                    instance=member,
                    changes={
                        "access": [
                            None,
                            _("%(systems)s for the audit “%(title)s”, until %(until)s")
                            % {
                                "systems": ", ".join(given),
                                "title": engagement.title,
                                "until": f"{until:%d.%m.%Y}" if until else _("the end of the audit"),
                            },
                        ]
                    },
                )


def _end_access(engagement: Engagement) -> None:
    """Revoke the view the engagement gave, except what another active engagement still gives."""
    for member in engagement_auditors(engagement):
        if member.role != Role.AUDITOR:
            continue
        still_needed = set(
            Engagement.objects.filter(
                organization_id=engagement.organization_id,
                status__in=(EngagementStatus.FIELDWORK, EngagementStatus.REPORTING),
                access_revoked_at__isnull=True,
            )
            .exclude(pk=engagement.pk)
            .filter(_member_q(member))
            .exclude(access_until__lt=timezone.localdate())
            .values_list("systems", flat=True)
        )
        granted = set(granted_system_ids(member))
        ended = []
        for system in engagement.systems.all():
            if system.pk not in still_needed:
                revoke_system_view(member.user, system)
                if system.pk in granted:
                    ended.append(system.code)
        if ended:
            activity_record_permission(
                instance=member,
                changes={
                    "access": [
                        _("%(systems)s for the audit “%(title)s”")
                        % {"systems": ", ".join(sorted(ended)), "title": engagement.title},
                        None,
                    ]
                },
            )
    engagement.access_revoked_at = timezone.now()
    engagement.save()


def _member_q(member):
    from django.db.models import Q

    return Q(lead_auditor=member) | Q(team=member)


@transaction.atomic
def engagement_access_sweep(*, today: datetime.date | None = None) -> int:
    """End the auditors' access of every engagement whose `access_until` has passed (daily task).

    Idempotent: an engagement whose access was revoked is not touched again.
    """
    today = today or timezone.localdate()
    ended = 0
    for engagement in Engagement.objects.filter(
        access_until__lt=today, access_revoked_at__isnull=True
    ).select_for_update(skip_locked=True):
        _end_access(engagement)
        ended += 1
    return ended


# -- criteria ---------------------------------------------------------------------------------------
@transaction.atomic
def criteria_generate(*, engagement: Engagement, membership) -> list[Criterion]:
    """Add the criteria the engagement must check: the in-force obligations of the systems in scope
    and the checks its type requires (per system). Criteria already there are kept as they are."""
    from risk.models import Obligation

    if not (is_engagement_auditor(engagement, membership)):
        _require_organization(membership, Action.CHANGE)
    _require_open(engagement)
    existing = set(engagement.criteria.values_list("source", "system_id", "code"))
    order = engagement.criteria.count()
    created = []
    systems = list(engagement.systems.order_by("code"))
    obligations = Obligation.objects.filter(system__in=systems, in_force=True).select_related(
        "requirement", "system"
    )
    by_system = {}
    for obligation in obligations:
        by_system.setdefault(obligation.system_id, []).append(obligation)
    for system in systems:
        for obligation in by_system.get(system.pk, []):
            if (CriterionSource.OBLIGATION, system.pk, obligation.code) in existing:
                continue
            order += 1
            created.append(
                _criterion_save(
                    Criterion(
                        organization_id=engagement.organization_id,
                        engagement=engagement,
                        source=CriterionSource.OBLIGATION,
                        system=system,
                        obligation=obligation,
                        code=obligation.code,
                        order=order,
                    )
                )
            )
        for check in checks_for(engagement.engagement_type):
            if (CriterionSource.CATALOGUE, system.pk, check.code) in existing:
                continue
            order += 1
            created.append(
                _criterion_save(
                    Criterion(
                        organization_id=engagement.organization_id,
                        engagement=engagement,
                        source=CriterionSource.CATALOGUE,
                        system=system,
                        code=check.code,
                        order=order,
                    )
                )
            )
    return created


def _criterion_save(criterion: Criterion) -> Criterion:
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_add(
    *, engagement: Engagement, membership, title: str, description: str = "", system=None
) -> Criterion:
    """A custom criterion the auditors add."""
    _require_auditor(engagement, membership)
    _require_open(engagement)
    if system is not None and not engagement.systems.filter(pk=system.pk).exists():
        raise ValidationError({"system": _("Choose a system in the engagement's scope.")})
    return _criterion_save(
        Criterion(
            organization_id=engagement.organization_id,
            engagement=engagement,
            source=CriterionSource.CUSTOM,
            system=system,
            title=title,
            description=description,
            order=engagement.criteria.count() + 1,
        )
    )


@transaction.atomic
def criterion_record(*, criterion: Criterion, membership, result: str, notes: str = "") -> Criterion:
    """The auditors record a criterion's result with notes."""
    engagement = criterion.engagement
    _require_auditor(engagement, membership)
    _require_open(engagement)
    if engagement.status != EngagementStatus.FIELDWORK and engagement.status != EngagementStatus.REPORTING:
        raise ValidationError(_("Results are recorded during fieldwork or reporting."))
    if (
        result in (CriterionResult.MINOR, CriterionResult.MAJOR, CriterionResult.NOT_APPLICABLE)
        and not (notes or "").strip()
    ):
        raise ValidationError({"notes": _("Explain the result in the notes.")})
    criterion.result = result
    criterion.notes = notes
    criterion.assessed_by = membership
    criterion.assessed_at = timezone.now()
    return _criterion_save(criterion)


# -- findings and remediation -----------------------------------------------------------------------
@transaction.atomic
def finding_create(
    *,
    engagement: Engagement,
    membership,
    title: str,
    severity: str,
    description: str = "",
    recommendation: str = "",
    criterion: Criterion | None = None,
) -> Finding:
    """An auditor of the engagement records a finding."""
    _require_auditor(engagement, membership)
    _require_open(engagement)
    finding = Finding(
        organization_id=engagement.organization_id,
        engagement=engagement,
        criterion=criterion,
        title=title,
        severity=severity,
        description=description,
        recommendation=recommendation,
        raised_by=membership,
    )
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def finding_update(*, finding: Finding, membership, **fields) -> Finding:
    """An auditor of the engagement corrects a finding."""
    _require_auditor(finding.engagement, membership)
    _require_open(finding.engagement)
    for name, value in fields.items():
        if name not in ("title", "severity", "description", "recommendation", "criterion"):
            raise TypeError(f"unknown field {name}")
        setattr(finding, name, value)
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def remediation_create(
    *, finding: Finding, membership, description: str, owner, due_on: datetime.date
) -> RemediationAction:
    """The organization opens an action to remedy a finding; its due date becomes a deadline."""
    _require_organization(membership, Action.CHANGE)
    _require_open(finding.engagement)
    action = RemediationAction(
        organization_id=finding.organization_id,
        finding=finding,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    action.full_clean()
    action.save()
    _remediation_deadline(action)
    return action


@transaction.atomic
def remediation_update(
    *, action: RemediationAction, membership, status: str | None = None, evidence: str | None = None, **fields
) -> RemediationAction:
    """The organization works through an action: status (up to done), evidence, owner, due date."""
    _require_organization(membership, Action.CHANGE)
    _require_open(action.finding.engagement)
    if action.status == RemediationStatus.VERIFIED:
        raise ValidationError(_("A verified action cannot change."))
    if status is not None:
        if status == RemediationStatus.VERIFIED:
            raise ValidationError({"status": _("Only the auditor verifies an action.")})
        action.status = status
    if evidence is not None:
        action.evidence = evidence
    for name, value in fields.items():
        if name not in ("description", "owner", "due_on"):
            raise TypeError(f"unknown field {name}")
        setattr(action, name, value)
    if action.status == RemediationStatus.DONE and not action.evidence.strip():
        raise ValidationError({"evidence": _("Say what shows the action is done.")})
    action.full_clean()
    action.save()
    _remediation_deadline(action)
    return action


@transaction.atomic
def remediation_verify(
    *, action: RemediationAction, membership, accept: bool, reason: str = ""
) -> RemediationAction:
    """The auditor verifies a done action, or sends it back to in progress with a reason."""
    _require_auditor(action.finding.engagement, membership)
    _require_open(action.finding.engagement)
    if action.status != RemediationStatus.DONE:
        raise ValidationError(_("Only an action marked done can be verified."))
    if accept:
        action.status = RemediationStatus.VERIFIED
        action.verified_by = membership
        action.verified_at = timezone.now()
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the action is not done.")})
        action.status = RemediationStatus.IN_PROGRESS
        action.evidence = f"{action.evidence}\n\n{_('Returned by the auditor')}: {reason}".strip()
    action.full_clean()
    action.save()
    _remediation_deadline(action)
    return action


def _remediation_deadline(action: RemediationAction) -> None:
    finding = action.finding
    deadline_sync(
        source=action,
        kind=DeadlineKind.REMEDIATION,
        due_on=action.due_on,
        title=_("Remediation: %(finding)s") % {"finding": finding.title},
        responsible=action.owner,
        system=finding.engagement.systems.first(),
        url=reverse("audit:engagement_detail", args=[finding.engagement_id]),
        completed=action.status in (RemediationStatus.DONE, RemediationStatus.VERIFIED),
    )


# -- evidence requests ------------------------------------------------------------------------------
@transaction.atomic
def evidence_request_create(
    *,
    engagement: Engagement,
    membership,
    request: str,
    due_on: datetime.date | None = None,
    criterion: Criterion | None = None,
) -> EvidenceRequest:
    """An auditor asks the organization for a document or an answer."""
    _require_auditor(engagement, membership)
    _require_open(engagement)
    item = EvidenceRequest(
        organization_id=engagement.organization_id,
        engagement=engagement,
        criterion=criterion,
        request=request,
        due_on=due_on,
        requested_by=membership,
    )
    item.full_clean()
    item.save()
    return item


def evidence_versions_in_scope(engagement: Engagement, membership):
    """Document versions the organization may give as evidence: versions, readable by
    `membership`, of documents covering at least one system in the engagement's scope."""
    from documents.models import DocumentVersion

    return (
        DocumentVersion.objects.restrict(membership)
        .filter(
            organization_id=engagement.organization_id,
            document__systems__in=engagement.systems.values("pk"),
        )
        .select_related("document")
        .distinct()
        .order_by("document__title", "-number")
    )


@transaction.atomic
def evidence_request_respond(
    *, item: EvidenceRequest, membership, response: str, versions=None
) -> EvidenceRequest:
    """The organization answers an open (or returned) request, with a text and, optionally,
    versions of its documents of systems in scope (the auditor sees them and their SHA-256)."""
    _require_organization(membership, Action.CHANGE)
    _require_open(item.engagement)
    if item.status not in (EvidenceRequestStatus.OPEN, EvidenceRequestStatus.RETURNED):
        raise ValidationError(_("This request is not waiting for a response."))
    if not response.strip():
        raise ValidationError({"response": _("Write the response.")})
    versions = list(versions or [])
    if versions:
        allowed = set(
            evidence_versions_in_scope(item.engagement, membership)
            .filter(pk__in=[v.pk for v in versions])
            .values_list("pk", flat=True)
        )
        if any(version.pk not in allowed for version in versions):
            raise ValidationError(
                {"versions": _("Choose versions of documents of the systems in the engagement's scope.")}
            )
    item.response = response
    item.responded_by = membership
    item.responded_at = timezone.now()
    item.status = EvidenceRequestStatus.ANSWERED
    item.full_clean()
    item.save()
    if versions or item.versions.exists():
        item.versions.set(versions)
    return item


# -- comments -----------------------------------------------------------------------------------------
def may_comment(engagement: Engagement, membership) -> bool:
    """The engagement's auditors and the organization's officers and administrators."""
    if membership is None or membership.organization_id != engagement.organization_id:
        return False
    if is_engagement_auditor(engagement, membership):
        return True
    return membership.role != Role.AUDITOR and membership.allows(Action.APPROVE)


def may_comment_anywhere(membership) -> bool:
    """Whether the membership may comment on some engagement (an auditor on a team, whose access
    lasts; an officer or administrator): the API refuses anyone else before reading the request."""
    from django.db.models import Q

    if membership is None:
        return False
    if membership.role != Role.AUDITOR:
        return membership.allows(Action.APPROVE)
    return (
        Engagement.objects.restrict(membership)
        .filter(Q(lead_auditor=membership) | Q(team=membership))
        .exists()
    )


@transaction.atomic
def comment_add(*, membership, text: str, criterion=None, evidence_request=None, finding=None) -> Comment:
    """Comment on one criterion, evidence request or finding of an open engagement."""
    target = criterion or evidence_request or finding
    if target is None or sum(x is not None for x in (criterion, evidence_request, finding)) != 1:
        raise ValidationError(_("A comment is on one criterion, evidence request or finding."))
    engagement = target.engagement
    if not may_comment(engagement, membership):
        raise PermissionDenied(_("Only the auditors of this engagement and the officers may comment."))
    _require_open(engagement)
    comment = Comment(
        organization_id=engagement.organization_id,
        engagement=engagement,
        criterion=criterion,
        evidence_request=evidence_request,
        finding=finding,
        author=membership,
        text=text,
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, membership, text: str) -> Comment:
    """Only the author corrects their comment, and only until the sign-off."""
    if (
        membership is None
        or comment.author_id != membership.pk
        or not may_comment(comment.engagement, membership)
    ):
        raise PermissionDenied(_("Only the author may change a comment."))
    _require_open(comment.engagement)
    comment.text = text
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def evidence_request_review(
    *, item: EvidenceRequest, membership, accept: bool, reason: str = ""
) -> EvidenceRequest:
    """The auditor accepts the response, or returns it with a reason."""
    _require_auditor(item.engagement, membership)
    _require_open(item.engagement)
    if item.status != EvidenceRequestStatus.ANSWERED:
        raise ValidationError(_("Only an answered request can be accepted or returned."))
    if accept:
        item.status = EvidenceRequestStatus.ACCEPTED
        item.return_reason = ""
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the response is returned.")})
        item.status = EvidenceRequestStatus.RETURNED
        item.return_reason = reason
    item.full_clean()
    item.save()
    return item


# -- conclusion and sign-off ------------------------------------------------------------------------
@transaction.atomic
def engagement_conclude(
    *, engagement: Engagement, membership, conclusion: str, conclusion_text: str
) -> Engagement:
    """An auditor drafts the conclusion (during reporting)."""
    _require_auditor(engagement, membership)
    _require_open(engagement)
    if engagement.status != EngagementStatus.REPORTING:
        raise ValidationError(_("The conclusion is written during reporting."))
    engagement.conclusion = conclusion
    engagement.conclusion_text = conclusion_text
    engagement.full_clean()
    if not conclusion_text.strip():
        raise ValidationError({"conclusion_text": _("Write the conclusion.")})
    engagement.save()
    return engagement


@transaction.atomic
def engagement_sign_off(*, engagement: Engagement, membership) -> Engagement:
    """The lead auditor signs the conclusion off: the engagement closes and is locked for good.

    A positive conclusion of a mandatory audit meets the KZ-AI-HR-04 obligation of each system in
    scope, and its next due date is a year after the sign-off.
    """
    _require_lead(engagement, membership)
    _require_open(engagement)
    if engagement.status != EngagementStatus.REPORTING:
        raise ValidationError(_("Only an engagement in reporting can be signed off."))
    if not engagement.conclusion or not engagement.conclusion_text.strip():
        raise ValidationError(_("Write the conclusion before signing off."))
    if engagement.criteria.filter(result=CriterionResult.NOT_ASSESSED).exists():
        raise ValidationError(_("Every criterion needs a result before the sign-off."))
    now = timezone.now()
    engagement.status = EngagementStatus.CLOSED
    engagement.actual_end = timezone.localdate()
    engagement.signed_off_by = membership
    engagement.signed_off_at = now
    engagement.full_clean()
    engagement.save()
    _audit_deadline(engagement)
    if engagement.engagement_type == EngagementType.MANDATORY and engagement.conclusion in (
        Conclusion.POSITIVE,
        Conclusion.QUALIFIED,
    ):
        _mark_mandatory_audit_met(engagement, membership)
    # The final report is rendered in the background in the lead auditor's language; it can be
    # rendered again (in another language) from the engagement's page.
    from audit.report import LANGUAGES, report_request

    language = (translation.get_language() or "")[:2]
    report_request(
        engagement=engagement, membership=membership, language=language if language in LANGUAGES else "ru"
    )
    return engagement


def _mark_mandatory_audit_met(engagement: Engagement, membership) -> None:
    """KZ-AI-HR-04 (mandatory audit) of each system in scope is met; the next audit is due a year on."""
    from risk.choices import ObligationStatus
    from risk.models import Obligation
    from risk.services.obligations import obligation_update

    signed_on = timezone.localtime(engagement.signed_off_at).date()
    for obligation in Obligation.objects.filter(
        system__in=engagement.systems.all(), code=MANDATORY_AUDIT_OBLIGATION, in_force=True
    ).select_related("system", "requirement"):
        obligation_update(
            obligation=obligation,
            membership=membership,
            status=ObligationStatus.MET,
            due_on=signed_on + MANDATORY_AUDIT_INTERVAL,
            notes=(obligation.notes + "\n" if obligation.notes else "")
            + _("Met by the audit “%(title)s” signed off on %(date)s.")
            % {"title": engagement.title, "date": f"{signed_on:%d.%m.%Y}"},
        )


# -- trusted-list filings ---------------------------------------------------------------------------
@transaction.atomic
def filing_create(*, system, membership, sector_body: str, **fields) -> TrustedListFiling:
    """Start preparing a trusted-list application for a system."""
    _require_organization(membership, Action.ADD)
    filing = TrustedListFiling(organization_id=system.organization_id, system=system, sector_body=sector_body)
    return _filing_update(filing, **fields)


@transaction.atomic
def filing_update(*, filing: TrustedListFiling, membership, **fields) -> TrustedListFiling:
    """Tick the checklist: application, copyright document, the positive audit."""
    _require_organization(membership, Action.CHANGE)
    if filing.status != FilingStatus.PREPARING:
        raise ValidationError(_("A filed application cannot change."))
    return _filing_update(filing, **fields)


def _filing_update(filing, **fields):
    for name, value in fields.items():
        if name not in ("sector_body", "application_ready", "copyright_document", "audit_engagement"):
            raise TypeError(f"unknown field {name}")
        setattr(filing, name, value)
    engagement = filing.audit_engagement
    if engagement is not None and not (
        engagement.status == EngagementStatus.CLOSED
        and engagement.conclusion in (Conclusion.POSITIVE, Conclusion.QUALIFIED)
        and engagement.systems.filter(pk=filing.system_id).exists()
    ):
        raise ValidationError(
            {"audit_engagement": _("Choose a closed audit of this system with a positive conclusion.")}
        )
    filing.full_clean()
    filing.save()
    return filing


def filing_missing(filing: TrustedListFiling) -> list[str]:
    """What the checklist still lacks, as sentences for people."""
    missing = []
    if not filing.application_ready:
        missing.append(_("The application"))
    if not filing.copyright_document.strip():
        missing.append(_("The copyright certificate or agreement"))
    if filing.audit_engagement_id is None:
        missing.append(_("A positive audit report"))
    return missing


@transaction.atomic
def filing_submit(*, filing: TrustedListFiling, membership, filed_on: datetime.date) -> TrustedListFiling:
    """File the complete application: the sector body's 10 working days start."""
    _require_organization(membership, Action.APPROVE)
    if filing.status != FilingStatus.PREPARING:
        raise ValidationError(_("This application was filed already."))
    missing = filing_missing(filing)
    if missing:
        raise ValidationError(_("The filing is incomplete: %(missing)s.") % {"missing": "; ".join(missing)})
    filing.status = FilingStatus.FILED
    filing.filed_on = filed_on
    filing.completeness_due_on = add_working_days(filed_on, COMPLETENESS_WORKING_DAYS)
    filing.full_clean()
    filing.save()
    return filing


@transaction.atomic
def filing_record_outcome(
    *, filing: TrustedListFiling, membership, status: str, on: datetime.date
) -> TrustedListFiling:
    """Record what the sector body did: found complete (publication due in 5 working days),
    returned as incomplete, or published."""
    _require_organization(membership, Action.CHANGE)
    allowed = {
        FilingStatus.FILED: (FilingStatus.COMPLETE, FilingStatus.REFUSED),
        FilingStatus.COMPLETE: (FilingStatus.PUBLISHED,),
    }
    if status not in allowed.get(filing.status, ()):
        raise ValidationError({"status": _("This step does not follow the filing's current state.")})
    if filing.filed_on and on < filing.filed_on:
        raise ValidationError({"on": _("The date cannot be before the filing.")})
    filing.status = status
    if status == FilingStatus.COMPLETE:
        filing.complete_on = on
        filing.publication_due_on = add_working_days(on, PUBLICATION_WORKING_DAYS)
    elif status == FilingStatus.PUBLISHED:
        filing.published_on = on
    filing.full_clean()
    filing.save()
    return filing
