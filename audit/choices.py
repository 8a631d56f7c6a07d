"""Choices of the audit app, with translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EngagementType(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory audit of a high-risk critical-infrastructure system")
    TRUSTED_LIST = "trusted_list", _("Audit for a list of trusted high-risk systems")
    SECURITY_TEST = "security_test", _("Information-security compliance test")
    INTERNAL = "internal", _("Internal audit")
    BIAS = "bias", _("Bias audit")
    DATA_PROVENANCE = "data_provenance", _("Data provenance audit")


class EngagementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    FIELDWORK = "fieldwork", _("Fieldwork")
    REPORTING = "reporting", _("Reporting")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# The workflow: status → the statuses it may move to through `engagement_transition`.
# Closing happens only by the lead auditor's sign-off (`engagement_sign_off`).
ENGAGEMENT_TRANSITIONS = {
    EngagementStatus.PLANNED: (EngagementStatus.FIELDWORK, EngagementStatus.CANCELLED),
    EngagementStatus.FIELDWORK: (EngagementStatus.REPORTING, EngagementStatus.CANCELLED),
    EngagementStatus.REPORTING: (EngagementStatus.FIELDWORK, EngagementStatus.CANCELLED),
    EngagementStatus.CLOSED: (),
    EngagementStatus.CANCELLED: (),
}
FINAL_STATUSES = (EngagementStatus.CLOSED, EngagementStatus.CANCELLED)


class Conclusion(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    QUALIFIED = "qualified", _("Positive with reservations")
    NEGATIVE = "negative", _("Negative")


class CriterionSource(models.TextChoices):
    OBLIGATION = "obligation", _("Obligation of a system")
    CATALOGUE = "catalogue", _("Check the audit type requires")
    CUSTOM = "custom", _("Custom criterion")


class CriterionResult(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    CONFORMS = "conforms", _("Conforms")
    MINOR = "minor", _("Minor nonconformity")
    MAJOR = "major", _("Major nonconformity")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class FindingSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class RemediationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, awaiting verification")
    VERIFIED = "verified", _("Verified by the auditor")


class EvidenceRequestStatus(models.TextChoices):
    OPEN = "open", _("Awaiting a response")
    ANSWERED = "answered", _("Answered, awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class FilingStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    FILED = "filed", _("Filed with the sector body")
    COMPLETE = "complete", _("Found complete")
    PUBLISHED = "published", _("Published in the list")
    REFUSED = "refused", _("Returned as incomplete")
