from django.urls import path

from risk.risk_management import urls as risk_management_urls
from risk.views import fines, library, obligations, system, wizard

app_name = "risk"
urlpatterns = [
    # Classification, screening, obligations, requirements library.
    path("systems/<int:pk>/", system.SystemRiskView.as_view(), name="system_risk"),
    path("systems/<int:pk>/classify/", wizard.WizardView.as_view(), name="wizard"),
    path(
        "classifications/<int:pk>/", system.ClassificationDetailView.as_view(), name="classification_detail"
    ),
    path(
        "classifications/<int:pk>/approve/",
        system.ClassificationApproveView.as_view(),
        name="classification_approve",
    ),
    path("screenings/<int:pk>/", system.ScreeningDetailView.as_view(), name="screening_detail"),
    path(
        "contradictions/<int:pk>/explain/",
        system.ContradictionExplainView.as_view(),
        name="contradiction_explain",
    ),
    path("obligations/", obligations.ObligationListView.as_view(), name="obligation_list"),
    path("obligations/matrix/", obligations.MatrixView.as_view(), name="matrix"),
    path("obligations/<int:pk>/", obligations.ObligationDetailView.as_view(), name="obligation_detail"),
    path("obligations/<int:pk>/edit/", obligations.ObligationUpdateView.as_view(), name="obligation_update"),
    path(
        "obligations/<int:pk>/evidence/",
        obligations.EvidenceAddView.as_view(),
        name="obligation_evidence_add",
    ),
    path("fines/", fines.FinesExposureView.as_view(), name="fines_exposure"),
    path("library/", library.LibraryListView.as_view(), name="library_list"),
    path("library/<int:pk>/", library.LibraryDetailView.as_view(), name="library_detail"),
    path("library/<int:pk>/apply/", library.LibraryApplyView.as_view(), name="library_apply"),
    # Risk register and annual reviews, in the same `risk:` namespace.
    *risk_management_urls.urlpatterns,
]
