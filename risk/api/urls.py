from rest_framework.routers import SimpleRouter

from risk.api.views import ClassificationViewSet, LibraryVersionViewSet, ObligationViewSet, ScreeningViewSet

router = SimpleRouter()
router.register("risk/classifications", ClassificationViewSet, basename="classification")
router.register("risk/screenings", ScreeningViewSet, basename="screening")
router.register("risk/obligations", ObligationViewSet, basename="obligation")
router.register("risk/library-versions", LibraryVersionViewSet, basename="library-version")
urlpatterns = router.urls
