from rest_framework.routers import SimpleRouter

from kzai.activity.api.views import ActivityRecordViewSet

router = SimpleRouter()
router.register("activity", ActivityRecordViewSet, basename="activity")
urlpatterns = router.urls
