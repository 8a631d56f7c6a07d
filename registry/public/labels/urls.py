"""URLs of labelling.

`urlpatterns` are public (no sign-in), included at `/labels/` in the `labels:` namespace: the
label schema and the verification form (programs verify at `POST /api/v1/labels/verify/`).
`portal_urlpatterns` are the officer's pages, added to the register's (`registry:`) by
`registry/public/urls.py`.
"""

from django.urls import path

from registry.public.labels import views

app_name = "labels"
urlpatterns = [
    path("schema/v<int:version>.json", views.label_schema, name="schema"),
    path("verify/", views.LabelVerifyView.as_view(), name="verify"),
]

portal_urlpatterns = [
    path("systems/<int:pk>/public/labels/", views.SystemLabelsView.as_view(), name="system_labels"),
    path(
        "systems/<int:pk>/public/labels/badge-<slug:language>.svg",
        views.SystemLabelBadgeView.as_view(),
        name="system_label_badge",
    ),
    path(
        "systems/<int:pk>/public/consumer-notice/",
        views.SystemConsumerNoticeView.as_view(),
        name="system_consumer_notice",
    ),
    path(
        "systems/<int:pk>/public/consumer-notice/<slug:language>.html",
        views.SystemConsumerNoticeDocumentView.as_view(),
        name="system_consumer_notice_document",
    ),
    path("label-keys/", views.LabelKeyListView.as_view(), name="label_keys"),
    path("label-keys/rotate/", views.LabelKeyRotateView.as_view(), name="label_key_rotate"),
]
