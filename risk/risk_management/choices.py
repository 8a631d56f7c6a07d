"""Choices of the risk register and the annual review (Art. 18(1) of the law: identify, assess,
treat and update risks at least once a year).

The score bands are data, not scattered `if`s: `SCORE_BANDS` is the one table that turns a
likelihood × severity score (1–25) into a band, read by the models, the filters, the heat map and
the tests.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Review dates are calendar dates in Kazakhstan, whatever the server's TIME_ZONE says.
ALMATY = ZoneInfo("Asia/Almaty")

# The law asks for an update of the risks "at least once a year" (Art. 18(1)(4)).
MAX_REVIEW_INTERVAL_MONTHS = 12


def almaty_today() -> datetime.date:
    """Today's date in Asia/Almaty."""
    return timezone.now().astimezone(ALMATY).date()


def almaty_date(moment: datetime.datetime) -> datetime.date:
    """The calendar date of an aware datetime in Asia/Almaty."""
    return moment.astimezone(ALMATY).date()


class RiskCategory(models.TextChoices):
    SAFETY = "safety", _("Safety")
    INFORMATION_SECURITY = "information_security", _("Information security")
    PERSONAL_DATA = "personal_data", _("Personal data")
    DISCRIMINATION = "discrimination", _("Discrimination and bias")
    TRANSPARENCY = "transparency", _("Transparency")
    ACCURACY = "accuracy", _("Accuracy and reliability")
    MISUSE = "misuse", _("Misuse")
    THIRD_PARTY = "third_party", _("Third-party and contractual")
    LEGAL = "legal", _("Legal")


class RiskOrigin(models.TextChoices):
    """Art. 18(1)(2): risks are assessed for the intended purpose and under foreseeable misuse."""

    INTENDED_USE = "intended_use", _("Intended use")
    FORESEEABLE_MISUSE = "foreseeable_misuse", _("Foreseeable misuse")


class RiskStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    ASSESSED = "assessed", _("Assessed")
    TREATED = "treated", _("Treated")
    ACCEPTED = "accepted", _("Accepted")
    CLOSED = "closed", _("Closed")


class MeasureKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    ORGANISATIONAL = "organisational", _("Organisational")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    VERIFIED = "verified", _("Verified")
    CANCELLED = "cancelled", _("Cancelled")


# A measure in one of these states no longer owes its due date.
MEASURE_DONE_STATUSES = frozenset(
    {MeasureStatus.IMPLEMENTED, MeasureStatus.VERIFIED, MeasureStatus.CANCELLED}
)


class Likelihood(models.IntegerChoices):
    """The 1–5 likelihood scale in words (how often the harm is expected to occur)."""

    RARE = 1, pgettext_lazy("likelihood", "Rare")
    UNLIKELY = 2, pgettext_lazy("likelihood", "Unlikely")
    POSSIBLE = 3, pgettext_lazy("likelihood", "Possible")
    LIKELY = 4, pgettext_lazy("likelihood", "Likely")
    ALMOST_CERTAIN = 5, pgettext_lazy("likelihood", "Almost certain")


class Severity(models.IntegerChoices):
    """The 1–5 severity scale in words (how bad the harm is to people, the organisation or the state)."""

    NEGLIGIBLE = 1, pgettext_lazy("severity", "Negligible")
    MINOR = 2, pgettext_lazy("severity", "Minor")
    MODERATE = 3, pgettext_lazy("severity", "Moderate")
    MAJOR = 4, pgettext_lazy("severity", "Major")
    CRITICAL = 5, pgettext_lazy("severity", "Critical")


def scale_choices(scale: type[models.IntegerChoices]) -> list[tuple[int, str]]:
    """Choices of a form's select that show the number and the word ("4 — likely")."""
    return [(value, format_lazy("{} — {}", value, label)) for value, label in scale.choices]


class ScoreBand(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# (band, lowest score, highest score) — covers 1..25 without gaps (tested).
SCORE_BANDS: tuple[tuple[str, int, int], ...] = (
    (ScoreBand.LOW, 1, 4),
    (ScoreBand.MEDIUM, 5, 9),
    (ScoreBand.HIGH, 10, 16),
    (ScoreBand.CRITICAL, 17, 25),
)

# CSS badge per band (the heat map and lists also print the band's name: colour is never alone).
BAND_BADGES = {
    ScoreBand.LOW: "badge-ok",
    ScoreBand.MEDIUM: "badge-warn",
    ScoreBand.HIGH: "badge-high",
    ScoreBand.CRITICAL: "badge-danger",
}


def band_for(score: int | None) -> str | None:
    """The band of a likelihood × severity score, or None when there is no score."""
    if score is None:
        return None
    for band, low, high in SCORE_BANDS:
        if low <= score <= high:
            return band
    raise ValueError(f"score {score} is outside 1..25")


def band_label(band: str | None) -> str:
    """The band's name in the reader's language ("" when there is no score)."""
    return ScoreBand(band).label if band else ""


def band_range(band: str) -> tuple[int, int]:
    for name, low, high in SCORE_BANDS:
        if name == band:
            return low, high
    raise KeyError(band)


class ReviewStatus(models.TextChoices):
    """Stored statuses; "overdue" is derived from the due date (see `Review.effective_status`)."""

    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    OVERDUE = "overdue", _("Overdue")


class ReviewItemKind(models.TextChoices):
    RISK = "risk", _("Risk")
    MEASURE = "measure", _("Measure")


class ReviewItemOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet reviewed")
    CONFIRMED = "confirmed", _("Confirmed unchanged")
    CHANGED = "changed", _("Changed")
    CLOSED = "closed", _("No longer relevant")
