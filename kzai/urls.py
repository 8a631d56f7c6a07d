from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from kzai.accounts import two_factor_views
from kzai.accounts import views as account_views
from kzai.activity import views as activity_views
from kzai.core import views as core_views
from kzai.core.api.docs import ApiDocsView, SchemaView
from kzai.core.api.overview import OverviewView

api_v1 = [
    path("", include("kzai.accounts.api.urls")),
    path("", include("kzai.activity.api.urls")),
    path("", include("registry.api.urls")),
    path("", include("risk.api.urls")),
    path("", include("audit.api.urls")),
    path("", include("kzai.deadlines.api.urls")),
    path("", include("kzai.jobs.api.urls")),
    path("", include("documents.api.urls")),
    path("overview/", OverviewView.as_view(), name="overview"),
]

urlpatterns = [
    path("", core_views.DashboardView.as_view(), name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", two_factor_views.SignInView.as_view(), name="login"),
    path("accounts/two-factor/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("organizations/switch/", account_views.switch_organization, name="switch_organization"),
    path("settings/members/", account_views.MemberListView.as_view(), name="members"),
    path("settings/members/<int:pk>/", account_views.MemberUpdateView.as_view(), name="member_update"),
    path(
        "settings/members/<int:pk>/systems/", account_views.MemberSystemsView.as_view(), name="member_systems"
    ),
    path("settings/two-factor/", two_factor_views.organization_two_factor, name="organization_two_factor"),
    path("settings/language/", account_views.organization_language, name="organization_language"),
    path("settings/tokens/", account_views.ApiTokenListView.as_view(), name="api_tokens"),
    path(
        "settings/tokens/<int:pk>/revoke/",
        account_views.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    path("invitations/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    path("activity/", activity_views.ActivityListView.as_view(), name="activity_list"),
    path("activity/integrity/", activity_views.ActivityChainView.as_view(), name="activity_chain"),
    path("registry/", include("registry.urls")),
    path("risk/", include("risk.urls")),
    path("documents/", include("documents.urls")),
    path("", include("documents.public_urls")),
    path("audit/", include("audit.urls")),
    path("", include("kzai.deadlines.urls")),
    path("", include("kzai.jobs.urls")),
    # The public side of AI systems: anonymous pages, no sign-in (registry/public/).
    path("p/", include("registry.public.urls")),
    # Labels of synthetic results: their published schema and public verification (no sign-in).
    path("labels/", include("registry.public.labels.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api_schema"), name="api_docs"),
    path("admin/", admin.site.urls),
]
