"""Models of the risk app: classification, banned-practice screen, obligations and the requirements
library here; the risk register and annual reviews in `risk.risk_management.models`. Every model is
re-exported here, so `risk.models` is the one place Django (and callers) find them."""

from risk.models.classification import Classification
from risk.models.contradictions import Contradiction
from risk.models.library import LibraryAdoption, Requirement, RequirementLibraryVersion
from risk.models.obligations import Obligation, ObligationEvidence
from risk.models.screening import Screening
from risk.risk_management.models import Measure, Review, ReviewItem, ReviewSchedule, Risk

__all__ = [
    "Classification",
    "Contradiction",
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
