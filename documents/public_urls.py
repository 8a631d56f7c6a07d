"""Public pages of the documents app (no sign-in): the passport verification page."""

from django.urls import re_path

from documents import public_views

urlpatterns = [
    re_path(r"^verify/(?P<digest>[0-9a-f]{64})/$", public_views.verify_passport, name="verify_passport"),
]
