"""Risk app models: classification, banned-practice screen and obligations (issue 4); risk register
and annual reviews (issue 5). Each concept lives in its own module and is re-exported here."""

from risk.models.register import Measure, Risk
from risk.models.reviews import Review, ReviewItem, ReviewSchedule

__all__ = ["Measure", "Review", "ReviewItem", "ReviewSchedule", "Risk"]

# Connect the register's signal receivers once the models exist (kept out of apps.py, which the
# classification work owns).
from risk import register_receivers  # noqa: E402,F401
