from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("engagements/", views.EngagementListView.as_view(), name="engagement_list"),
    path("my-engagements/", views.MyEngagementsView.as_view(), name="my_engagements"),
    path("engagements/new/", views.EngagementCreateView.as_view(), name="engagement_create"),
    path("engagements/<int:pk>/", views.EngagementDetailView.as_view(), name="engagement_detail"),
    path("engagements/<int:pk>/edit/", views.EngagementUpdateView.as_view(), name="engagement_update"),
    path(
        "engagements/<int:pk>/status/", views.EngagementTransitionView.as_view(), name="engagement_transition"
    ),
    path(
        "engagements/<int:pk>/criteria/generate/",
        views.CriteriaGenerateView.as_view(),
        name="criteria_generate",
    ),
    path("engagements/<int:pk>/criteria/new/", views.CriterionAddView.as_view(), name="criterion_add"),
    path("engagements/<int:pk>/findings/new/", views.FindingCreateView.as_view(), name="finding_create"),
    path(
        "engagements/<int:pk>/requests/new/", views.EvidenceRequestCreateView.as_view(), name="request_create"
    ),
    path("engagements/<int:pk>/conclusion/", views.ConclusionView.as_view(), name="engagement_conclude"),
    path("engagements/<int:pk>/comments/new/", views.CommentAddView.as_view(), name="comment_add"),
    path("engagements/<int:pk>/report/", views.ReportStartView.as_view(), name="report_start"),
    path("engagements/<int:pk>/sign-off/", views.SignOffView.as_view(), name="engagement_signoff"),
    path("criteria/<int:pk>/result/", views.CriterionRecordView.as_view(), name="criterion_record"),
    path("findings/<int:pk>/actions/new/", views.RemediationCreateView.as_view(), name="remediation_create"),
    path("actions/<int:pk>/progress/", views.RemediationProgressView.as_view(), name="remediation_update"),
    path("actions/<int:pk>/verify/", views.RemediationVerifyView.as_view(), name="remediation_verify"),
    path("requests/<int:pk>/respond/", views.EvidenceRespondView.as_view(), name="request_respond"),
    path("requests/<int:pk>/review/", views.EvidenceReviewView.as_view(), name="request_review"),
    path("systems/<int:pk>/", views.SystemAuditsView.as_view(), name="system_audits"),
    path("systems/<int:pk>/filings/new/", views.FilingCreateView.as_view(), name="filing_create"),
    path("filings/<int:pk>/", views.FilingDetailView.as_view(), name="filing_detail"),
    path("filings/<int:pk>/edit/", views.FilingUpdateView.as_view(), name="filing_update"),
    path("filings/<int:pk>/submit/", views.FilingSubmitView.as_view(), name="filing_submit"),
    path("filings/<int:pk>/outcome/", views.FilingOutcomeView.as_view(), name="filing_outcome"),
]
