from rest_framework.routers import SimpleRouter

from kzai.deadlines.api import views

router = SimpleRouter()
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
router.register("notifications", views.NotificationViewSet, basename="notification")
urlpatterns = router.urls
