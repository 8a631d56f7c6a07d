from rest_framework.routers import SimpleRouter

from registry.api import views
from registry.public.api import urls as public_urls

router = SimpleRouter()
router.register("systems", views.AISystemViewSet, basename="system")
router.register("parties", views.PartyViewSet, basename="party")
router.register("party-links", views.SystemPartyLinkViewSet, basename="party-link")
router.register("components", views.SystemComponentViewSet, basename="component")
router.register("data-libraries", views.DataLibraryViewSet, basename="data-library")
router.register("data-library-uses", views.DataLibraryUseViewSet, basename="data-library-use")
router.register("tags", views.TagViewSet, basename="tag")
# The public side (public pages, user agreements) routes under /api/v1/public/.
urlpatterns = router.urls + public_urls.urlpatterns
