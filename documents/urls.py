from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("new/", views.DocumentCreateView.as_view(), name="document_create"),
    path("gaps/", views.GapsView.as_view(), name="gaps"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<int:pk>/edit/", views.DocumentUpdateView.as_view(), name="document_update"),
    path("<int:pk>/versions/", views.VersionUploadView.as_view(), name="version_upload"),
    path("<int:pk>/approve/", views.DocumentApproveView.as_view(), name="document_approve"),
    path("<int:pk>/evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path("<int:pk>/supersede/", views.DocumentSupersedeView.as_view(), name="document_supersede"),
    path("versions/<int:pk>/download/", views.VersionDownloadView.as_view(), name="version_download"),
    path("systems/<int:pk>/", views.SystemDocumentsView.as_view(), name="system_documents"),
    path("systems/<int:pk>/passport/", views.PassportStartView.as_view(), name="passport_start"),
    path("systems/<int:pk>/pack/", views.PackStartView.as_view(), name="pack_start"),
    path("packs/<int:pk>/", views.PackDetailView.as_view(), name="pack_detail"),
    path("packs/<int:pk>/download/", views.PackDownloadView.as_view(), name="pack_download"),
]
