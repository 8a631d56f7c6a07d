"""Risk app models: classification, banned-practice screen and obligations (issue 4); risk register
and annual reviews (issue 5). Each concept lives in its own module and is re-exported here."""

from risk.models.classification import Classification
from risk.models.library import LibraryAdoption, Requirement, RequirementLibraryVersion
from risk.models.obligations import Obligation, ObligationEvidence
from risk.models.register import Measure, Risk
from risk.models.reviews import Review, ReviewItem, ReviewSchedule
from risk.models.screening import Screening

__all__ = [
    "Classification",
    "LibraryAdoption",
    "Measure",
    "Obligation",
    "ObligationEvidence",
    "Requirement",
    "RequirementLibraryVersion",
    "Review",
    "ReviewItem",
    "ReviewSchedule",
    "Risk",
    "Screening",
]
