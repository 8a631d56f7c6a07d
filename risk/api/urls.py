from rest_framework.routers import SimpleRouter

from risk.api import register_views

router = SimpleRouter()
# Risk register and annual reviews (issue 5).
router.register("risk-register/risks", register_views.RiskViewSet, basename="register-risk")
router.register("risk-register/measures", register_views.MeasureViewSet, basename="register-measure")
router.register("risk-register/reviews", register_views.ReviewViewSet, basename="review")
router.register("risk-register/review-items", register_views.ReviewItemViewSet, basename="review-item")
router.register(
    "risk-register/review-schedules", register_views.ReviewScheduleViewSet, basename="review-schedule"
)
urlpatterns = router.urls
