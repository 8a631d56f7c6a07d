"""Models of risk management, re-exported by `risk.models` (they belong to the `risk` app)."""

from risk.risk_management.models.register import Measure, Risk
from risk.risk_management.models.reviews import Review, ReviewItem, ReviewSchedule

__all__ = ["Measure", "Review", "ReviewItem", "ReviewSchedule", "Risk"]
