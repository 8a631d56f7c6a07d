"""REST endpoints of the audit app (`/api/v1/audit/...`).

The role table decides the organization's writes (create and change an engagement, remediation,
responses); the auditors' own writes (results, findings, evidence requests and their review,
conclusion, sign-off) pass the role check as reads and the service admits only the engagement's
auditors (403 for anyone else).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit import selectors, services
from audit.api.serializers import (
    CommentSerializer,
    ConclusionSerializer,
    CriterionSerializer,
    EngagementReportSerializer,
    EngagementSerializer,
    EvidenceRequestSerializer,
    FilingOutcomeSerializer,
    FilingSerializer,
    FilingSubmitSerializer,
    FindingSerializer,
    RemediationSerializer,
    ReportRequestSerializer,
    RespondSerializer,
    TransitionSerializer,
    VerifySerializer,
)
from audit.filtersets import CommentFilterSet, EngagementFilterSet, FindingFilterSet, RemediationFilterSet
from audit.models import (
    Comment,
    Criterion,
    Engagement,
    EvidenceRequest,
    Finding,
    RemediationAction,
    TrustedListFiling,
)
from audit.report import report_request
from documents.api.serializers import JobStartedSerializer
from kzai.core.api.viewsets import TenantViewSetMixin
from kzai.core.roles import Action

# The auditors' own writes: the role check lets them through as reads; the service decides.
AUDITOR_WRITE = Action.VIEW


class _ReadCreateBase(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read and create; the per-object steps (`@action`s) go through `_step`."""

    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save(organization=self.organization)

    def _step(self, service, target: str, input_serializer=None):
        """One step on the URL's object: read the step's input with `input_serializer` (none for a
        step without input), call `service(<target>=object, membership=…, **input)`, and answer
        with the object as this endpoint shows it."""
        data = {}
        if input_serializer is not None:
            serializer = input_serializer(data=self.request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        result = service(**{target: self.get_object()}, membership=self.membership, **data)
        return Response(self.get_serializer_class()(result, context=self.get_serializer_context()).data)


class _Base(mixins.UpdateModelMixin, _ReadCreateBase):
    """List, read, create and PATCH (through the serializer's service calls)."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()


class EngagementViewSet(_Base):
    """Audit engagements: planned → fieldwork → reporting → closed (sign-off), or cancelled."""

    queryset = Engagement.objects.all()
    serializer_class = EngagementSerializer
    filterset_class = EngagementFilterSet
    ordering_fields = ["planned_start", "status"]
    required_actions = {
        "transition": AUDITOR_WRITE,
        "generate_criteria": AUDITOR_WRITE,
        "conclude": AUDITOR_WRITE,
        "sign_off": AUDITOR_WRITE,
        "report": Action.VIEW,
    }

    def get_queryset(self):
        return selectors.engagement_list(self.membership).prefetch_related("team")

    @extend_schema(request=TransitionSerializer, responses=EngagementSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        return self._step(services.engagement_transition, "engagement", TransitionSerializer)

    @extend_schema(request=None, responses=CriterionSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="generate-criteria", url_name="generatecriteria")
    def generate_criteria(self, request, pk=None):
        created = services.criteria_generate(engagement=self.get_object(), membership=self.membership)
        return Response(CriterionSerializer(created, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request=ConclusionSerializer, responses=EngagementSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        return self._step(services.engagement_conclude, "engagement", ConclusionSerializer)

    @extend_schema(request=None, responses=EngagementSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off", url_name="signoff")
    def sign_off(self, request, pk=None):
        return self._step(services.engagement_sign_off, "engagement")

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=dict,
        description="The report's content as data, and `latest_report`: the newest rendered PDF "
        "(a document version with its SHA-256 and download URL), or null.",
    )
    @extend_schema(methods=["POST"], request=ReportRequestSerializer, responses={202: JobStartedSerializer})
    @action(detail=True, methods=["get", "post"])
    def report(self, request, pk=None):
        """GET: the report's content and latest PDF. POST: render the PDF of a signed-off engagement
        (lead auditor, officers and administrators) in a language; poll the returned job."""
        engagement = self.get_object()
        if request.method == "POST":
            serializer = ReportRequestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            job = report_request(
                engagement=engagement,
                membership=self.membership,
                language=serializer.validated_data["language"],
            )
            return Response(
                {"job": job.pk, "status": job.status, "poll_url": reverse("job-detail", args=[job.pk])},
                status=202,
            )
        latest = selectors.latest_report(self.membership, engagement)
        context = self.get_serializer_context()
        return Response(
            {
                **selectors.report_content(engagement),
                "latest_report": EngagementReportSerializer(latest, context=context).data if latest else None,
            }
        )


class CriterionViewSet(_Base):
    """Criteria of engagements. POST adds a custom criterion; PATCH records `result` and `notes`."""

    queryset = Criterion.objects.all()
    serializer_class = CriterionSerializer
    filterset_fields = ["result", "source"]
    required_actions = {"create": AUDITOR_WRITE, "partial_update": AUDITOR_WRITE, "update": AUDITOR_WRITE}

    def get_queryset(self):
        return selectors.criterion_list(self.membership)


class FindingViewSet(_Base):
    """Findings the auditors record, with severity and recommendation."""

    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    required_actions = {"create": AUDITOR_WRITE, "partial_update": AUDITOR_WRITE, "update": AUDITOR_WRITE}

    def get_queryset(self):
        return selectors.finding_list(self.membership)


class RemediationViewSet(_Base):
    """Remediation actions of findings; the organization works them, the auditor `verify`s them."""

    queryset = RemediationAction.objects.all()
    serializer_class = RemediationSerializer
    filterset_class = RemediationFilterSet
    required_actions = {"verify": AUDITOR_WRITE}

    def get_queryset(self):
        return selectors.remediation_list(self.membership)

    @extend_schema(request=VerifySerializer, responses=RemediationSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._step(services.remediation_verify, "action", VerifySerializer)


class EvidenceRequestViewSet(_ReadCreateBase):
    """Evidence requests: the auditor asks, the organization `respond`s, the auditor `review`s
    (accepts, or returns with a reason). The history is in the activity log."""

    queryset = EvidenceRequest.objects.all()
    serializer_class = EvidenceRequestSerializer
    filterset_fields = ["status"]
    required_actions = {"create": AUDITOR_WRITE, "review": AUDITOR_WRITE, "respond": Action.CHANGE}

    def get_queryset(self):
        return selectors.evidence_request_list(self.membership)

    @extend_schema(request=RespondSerializer, responses=EvidenceRequestSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._step(services.evidence_request_respond, "item", RespondSerializer)

    @extend_schema(request=VerifySerializer, responses=EvidenceRequestSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._step(services.evidence_request_review, "item", VerifySerializer)


class FilingViewSet(_Base):
    """Trusted-list filings: the checklist, `submit` (10 working days), `outcome` (+5 to publish)."""

    queryset = TrustedListFiling.objects.all()
    serializer_class = FilingSerializer
    filterset_fields = ["status"]
    required_actions = {"submit": Action.APPROVE, "outcome": Action.CHANGE}

    def get_queryset(self):
        return selectors.filing_list(self.membership)

    @extend_schema(request=FilingSubmitSerializer, responses=FilingSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(services.filing_submit, "filing", FilingSubmitSerializer)

    @extend_schema(request=FilingOutcomeSerializer, responses=FilingSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        return self._step(services.filing_record_outcome, "filing", FilingOutcomeSerializer)


class CommentViewSet(_Base):
    """Comments of the engagement's auditors and the organization's officers on criteria, evidence
    requests and findings. Kept (no delete); PATCH corrects the text, by its author only, until
    the sign-off."""

    queryset = Comment.objects.all()
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet
    required_actions = {"create": AUDITOR_WRITE, "partial_update": AUDITOR_WRITE, "update": AUDITOR_WRITE}

    def get_queryset(self):
        return selectors.comment_list(self.membership)

    def create(self, request, *args, **kwargs):
        if not services.may_comment_anywhere(self.membership):
            raise PermissionDenied(_("Only the auditors of an engagement and the officers may comment."))
        return super().create(request, *args, **kwargs)
