"""Filters of the audit lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from audit.choices import EngagementStatus, EngagementType, FindingSeverity, RemediationStatus
from audit.models import Comment, Engagement, Finding, RemediationAction
from kzai.core.filters import IdFilter


class EngagementFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=EngagementStatus.choices)
    engagement_type = django_filters.ChoiceFilter(label=_("type of audit"), choices=EngagementType.choices)
    q = django_filters.CharFilter(label=_("search"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Engagement
        fields = ["status", "engagement_type", "q"]


class FindingFilterSet(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(label=_("severity"), choices=FindingSeverity.choices)
    engagement = IdFilter(label=_("engagement"), field_name="engagement_id")

    class Meta:
        model = Finding
        fields = ["engagement", "severity"]


class RemediationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=RemediationStatus.choices)
    finding = IdFilter(label=_("finding"), field_name="finding_id")

    class Meta:
        model = RemediationAction
        fields = ["status", "finding"]


class CommentFilterSet(django_filters.FilterSet):
    engagement = IdFilter(label=_("engagement"), field_name="engagement_id")
    criterion = IdFilter(label=_("criterion"), field_name="criterion_id")
    evidence_request = IdFilter(label=_("evidence request"), field_name="evidence_request_id")
    finding = IdFilter(label=_("finding"), field_name="finding_id")

    class Meta:
        model = Comment
        fields = ["engagement", "criterion", "evidence_request", "finding"]
