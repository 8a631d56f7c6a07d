from rest_framework.routers import SimpleRouter

from registry.public.api import views

router = SimpleRouter()
router.register("public/pages", views.PublicPageViewSet, basename="public-page")
router.register("public/agreement-versions", views.AgreementVersionViewSet, basename="agreement-version")
router.register("public/acceptances", views.AgreementAcceptanceViewSet, basename="agreement-acceptance")
router.register("public/tickets", views.TicketViewSet, basename="ticket")
router.register("public/objections", views.ObjectionViewSet, basename="objection")
urlpatterns = router.urls
