from django.urls import path
from rest_framework.routers import SimpleRouter

from kzai.accounts.api.views import InvitationViewSet, MembershipViewSet, MeView

router = SimpleRouter()
router.register("members", MembershipViewSet, basename="member")
router.register("invitations", InvitationViewSet, basename="invitation")
urlpatterns = [path("me/", MeView.as_view(), name="api_me"), *router.urls]
