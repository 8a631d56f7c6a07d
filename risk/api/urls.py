from rest_framework.routers import SimpleRouter

from risk.api import register_views
from risk.api.fines import FinesExposureViewSet
from risk.api.views import ClassificationViewSet, LibraryVersionViewSet, ObligationViewSet, ScreeningViewSet

router = SimpleRouter()
# Classification, banned-practice screen, obligations and the requirements library (issue 4).
router.register("risk/classifications", ClassificationViewSet, basename="classification")
router.register("risk/screenings", ScreeningViewSet, basename="screening")
router.register("risk/obligations", ObligationViewSet, basename="obligation")
router.register("risk/library-versions", LibraryVersionViewSet, basename="library-version")
router.register("risk/fines-exposure", FinesExposureViewSet, basename="fines-exposure")
# Risk register and annual reviews (issue 5).
router.register("risk/risks", register_views.RiskViewSet, basename="register-risk")
router.register("risk/measures", register_views.MeasureViewSet, basename="register-measure")
router.register("risk/reviews", register_views.ReviewViewSet, basename="review")
router.register("risk/review-items", register_views.ReviewItemViewSet, basename="review-item")
router.register("risk/review-schedules", register_views.ReviewScheduleViewSet, basename="review-schedule")
urlpatterns = router.urls
