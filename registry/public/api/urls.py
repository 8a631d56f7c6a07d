from django.urls import path
from rest_framework.routers import SimpleRouter

from registry.public.api import views
from registry.public.labels import api as label_views

router = SimpleRouter()
router.register("public/pages", views.PublicPageViewSet, basename="public-page")
router.register("public/agreement-versions", views.AgreementVersionViewSet, basename="agreement-version")
router.register("public/acceptances", views.AgreementAcceptanceViewSet, basename="agreement-acceptance")
router.register("public/tickets", views.TicketViewSet, basename="ticket")
router.register("public/objections", views.ObjectionViewSet, basename="objection")
router.register("labels", label_views.LabelViewSet, basename="label")
router.register("label-keys", label_views.LabelSigningKeyViewSet, basename="label-key")
router.register("consumer-notices", label_views.ConsumerNoticeViewSet, basename="consumer-notice")
urlpatterns = [
    # Public: verifies a label for anyone (tested with the labels, tests/registry/public/test_labels.py).
    path("labels/verify/", label_views.LabelVerifyView.as_view(), name="label-verify"),
    *router.urls,
]
