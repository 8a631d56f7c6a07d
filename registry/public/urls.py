"""URLs of the public side.

`urlpatterns` are the anonymous pages, included at `/p/` in the `public:` namespace;
`portal_urlpatterns` are the officer's pages, included by `registry/urls.py` in `registry:`.
"""

from django.urls import path

from registry.public import views
from registry.public.labels.urls import portal_urlpatterns as label_portal_urlpatterns

app_name = "public"
urlpatterns = [
    path("<slug:org_slug>/<slug:public_slug>/", views.PublicSystemView.as_view(), name="page"),
    path(
        "<slug:org_slug>/<slug:public_slug>/agreement/<int:number>/",
        views.PublicAgreementView.as_view(),
        name="agreement",
    ),
    path("<slug:org_slug>/<slug:public_slug>/report/", views.PublicReportView.as_view(), name="report"),
    path("<slug:org_slug>/<slug:public_slug>/object/", views.PublicObjectionView.as_view(), name="objection"),
]

portal_urlpatterns = [
    path("public-pages/", views.PublicPageListView.as_view(), name="public_page_list"),
    path("systems/<int:pk>/public/", views.SystemPublicView.as_view(), name="system_public"),
    path("systems/<int:pk>/public/edit/", views.PublicPageUpdateView.as_view(), name="system_public_update"),
    path(
        "systems/<int:pk>/public/publish/",
        views.PublicPagePublishView.as_view(),
        name="system_public_publish",
    ),
    path(
        "systems/<int:pk>/public/agreements/new/",
        views.AgreementVersionCreateView.as_view(),
        name="agreement_version_create",
    ),
    path("user-reports/", views.TicketListView.as_view(), name="ticket_list"),
    path("user-reports/<int:pk>/", views.TicketDetailView.as_view(), name="ticket_detail"),
    path("objections/", views.ObjectionListView.as_view(), name="objection_list"),
    path("objections/<int:pk>/", views.ObjectionDetailView.as_view(), name="objection_detail"),
    *label_portal_urlpatterns,
]
