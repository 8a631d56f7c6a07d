from rest_framework.routers import SimpleRouter

from risk.api.fines import FinesExposureViewSet
from risk.api.views import (
    ClassificationViewSet,
    ContradictionViewSet,
    LibraryVersionViewSet,
    ObligationViewSet,
    ScreeningViewSet,
)
from risk.risk_management.api import urls as risk_management_urls

router = SimpleRouter()
router.register("risk/classifications", ClassificationViewSet, basename="classification")
router.register("risk/screenings", ScreeningViewSet, basename="screening")
router.register("risk/contradictions", ContradictionViewSet, basename="contradiction")
router.register("risk/obligations", ObligationViewSet, basename="obligation")
router.register("risk/library-versions", LibraryVersionViewSet, basename="library-version")
router.register("risk/fines-exposure", FinesExposureViewSet, basename="fines-exposure")
# The risk register and annual reviews route under the same /api/v1/risk/ prefix.
urlpatterns = router.urls + risk_management_urls.urlpatterns
