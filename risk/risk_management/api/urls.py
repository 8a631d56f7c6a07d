from rest_framework.routers import SimpleRouter

from risk.risk_management.api import views

router = SimpleRouter()
router.register("risk/risks", views.RiskViewSet, basename="register-risk")
router.register("risk/measures", views.MeasureViewSet, basename="register-measure")
router.register("risk/reviews", views.ReviewViewSet, basename="review")
router.register("risk/review-items", views.ReviewItemViewSet, basename="review-item")
router.register("risk/review-schedules", views.ReviewScheduleViewSet, basename="review-schedule")
urlpatterns = router.urls
