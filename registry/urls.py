from django.urls import path

from registry import views
from registry.public.urls import portal_urlpatterns as public_portal_urlpatterns

app_name = "registry"
urlpatterns = [
    path("", views.SystemListView.as_view(), name="system_list"),
    path("systems/new/", views.SystemCreateView.as_view(), name="system_create"),
    path("systems/options/", views.SystemOptionsView.as_view(), name="system_options"),
    path("systems/export/", views.SystemExportView.as_view(), name="system_export"),
    path("systems/exports/<int:pk>/", views.SystemExportDetailView.as_view(), name="system_export_detail"),
    path(
        "systems/exports/<int:pk>/download/",
        views.SystemExportDownloadView.as_view(),
        name="system_export_download",
    ),
    path("systems/import/", views.SystemImportView.as_view(), name="system_import"),
    path("systems/import/commit/", views.SystemImportCommitView.as_view(), name="system_import_commit"),
    path("systems/import/template/", views.SystemImportTemplateView.as_view(), name="system_import_template"),
    path("systems/<int:pk>/", views.SystemDetailView.as_view(), name="system_detail"),
    path("systems/<int:pk>/edit/", views.SystemUpdateView.as_view(), name="system_update"),
    path("systems/<int:pk>/archive/", views.SystemArchiveView.as_view(), name="system_archive"),
    path("systems/<int:pk>/parties/", views.SystemPartiesView.as_view(), name="system_parties"),
    path("systems/<int:pk>/data/", views.SystemDataView.as_view(), name="system_data"),
    path("systems/<int:pk>/history/", views.SystemHistoryView.as_view(), name="system_history"),
    path("systems/<int:system_pk>/parties/new/", views.PartyLinkFormView.as_view(), name="link_create"),
    path("systems/<int:system_pk>/parties/<int:pk>/", views.PartyLinkFormView.as_view(), name="link_update"),
    path(
        "systems/<int:system_pk>/parties/<int:pk>/delete/",
        views.PartyLinkDeleteView.as_view(),
        name="link_delete",
    ),
    path(
        "systems/<int:system_pk>/components/new/", views.ComponentFormView.as_view(), name="component_create"
    ),
    path(
        "systems/<int:system_pk>/components/<int:pk>/",
        views.ComponentFormView.as_view(),
        name="component_update",
    ),
    path(
        "systems/<int:system_pk>/components/<int:pk>/delete/",
        views.ComponentDeleteView.as_view(),
        name="component_delete",
    ),
    path(
        "systems/<int:system_pk>/data/<int:pk>/delete/",
        views.LibraryUseDeleteView.as_view(),
        name="library_use_delete",
    ),
    path("parties/", views.PartyListView.as_view(), name="party_list"),
    path("parties/new/", views.PartyCreateView.as_view(), name="party_create"),
    path("parties/<int:pk>/", views.PartyDetailView.as_view(), name="party_detail"),
    path("parties/<int:pk>/edit/", views.PartyUpdateView.as_view(), name="party_update"),
    path("parties/<int:pk>/archive/", views.PartyArchiveView.as_view(), name="party_archive"),
    path("data-libraries/", views.DataLibraryListView.as_view(), name="library_list"),
    path("data-libraries/new/", views.DataLibraryCreateView.as_view(), name="library_create"),
    path("data-libraries/<int:pk>/", views.DataLibraryDetailView.as_view(), name="library_detail"),
    path("data-libraries/<int:pk>/edit/", views.DataLibraryUpdateView.as_view(), name="library_update"),
    path("data-libraries/<int:pk>/archive/", views.DataLibraryArchiveView.as_view(), name="library_archive"),
    # The public side (public pages, user agreements), in the same `registry:` namespace.
    *public_portal_urlpatterns,
]
