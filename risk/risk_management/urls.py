"""Pages of risk management. Included by `risk/urls.py` in the `risk:` namespace, so the URL names
(`risk:register_*`, `risk:review_*`) stay those of the risk app."""

from django.urls import path

from risk.risk_management.views import register as register_views
from risk.risk_management.views import reviews as review_views

urlpatterns = [
    path("register/", register_views.RiskListView.as_view(), name="register_risk_list"),
    path("register/export/", register_views.RiskExportView.as_view(), name="register_risk_export"),
    path("register/heat-map/", register_views.HeatMapView.as_view(), name="register_heatmap"),
    path(
        "register/systems/<int:system_pk>/",
        register_views.SystemRegisterView.as_view(),
        name="register_system",
    ),
    path(
        "register/systems/<int:system_pk>/catalogue/",
        register_views.CatalogueView.as_view(),
        name="register_catalogue",
    ),
    path("register/risks/new/", register_views.RiskCreateView.as_view(), name="register_risk_create"),
    path("register/risks/<int:pk>/", register_views.RiskDetailView.as_view(), name="register_risk_detail"),
    path(
        "register/risks/<int:pk>/edit/", register_views.RiskUpdateView.as_view(), name="register_risk_update"
    ),
    path(
        "register/risks/<int:pk>/delete/",
        register_views.RiskDeleteView.as_view(),
        name="register_risk_delete",
    ),
    path("register/measures/", register_views.MeasureListView.as_view(), name="register_measure_list"),
    path(
        "register/measures/new/", register_views.MeasureCreateView.as_view(), name="register_measure_create"
    ),
    path(
        "register/measures/<int:pk>/edit/",
        register_views.MeasureUpdateView.as_view(),
        name="register_measure_update",
    ),
    path(
        "register/measures/<int:pk>/delete/",
        register_views.MeasureDeleteView.as_view(),
        name="register_measure_delete",
    ),
    path("systems/<int:pk>/reviews/", register_views.SystemReviewsView.as_view(), name="system_reviews"),
    path("reviews/", review_views.ReviewListView.as_view(), name="review_list"),
    path("reviews/<int:pk>/", review_views.ReviewDetailView.as_view(), name="review_detail"),
    path("reviews/<int:pk>/start/", review_views.ReviewStartView.as_view(), name="review_start"),
    path("reviews/<int:pk>/sign-off/", review_views.ReviewSignOffView.as_view(), name="review_signoff"),
    path("reviews/<int:pk>/items/", review_views.ReviewItemsView.as_view(), name="review_items"),
    path("reviews/items/<int:pk>/", review_views.ReviewItemView.as_view(), name="review_item"),
    path(
        "reviews/schedules/<int:pk>/",
        review_views.ReviewScheduleUpdateView.as_view(),
        name="review_schedule_update",
    ),
]
