from rest_framework.routers import SimpleRouter

from documents.api import views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("document-versions", views.DocumentVersionViewSet, basename="document-version")
router.register("evidence-links", views.EvidenceLinkViewSet, basename="evidence-link")
urlpatterns = router.urls
