from rest_framework.routers import SimpleRouter

from audit.api import views

router = SimpleRouter()
router.register("audit/engagements", views.EngagementViewSet, basename="audit-engagement")
router.register("audit/criteria", views.CriterionViewSet, basename="audit-criterion")
router.register("audit/findings", views.FindingViewSet, basename="audit-finding")
router.register("audit/remediation-actions", views.RemediationViewSet, basename="audit-remediation")
router.register("audit/evidence-requests", views.EvidenceRequestViewSet, basename="audit-evidence-request")
router.register("audit/trusted-list-filings", views.FilingViewSet, basename="audit-filing")
router.register("audit/comments", views.CommentViewSet, basename="audit-comment")
urlpatterns = router.urls
