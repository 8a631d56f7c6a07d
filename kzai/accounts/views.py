"""Organization switcher, members and invitations, API tokens, profile."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from kzai.accounts import services
from kzai.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InvitationForm,
    MembershipRoleForm,
    OrganizationLanguageForm,
    ProfileForm,
)
from kzai.accounts.lockout import locked_usernames
from kzai.accounts.middleware import SESSION_KEY
from kzai.accounts.models import ApiToken, Invitation, Membership
from kzai.accounts.selectors import membership_for, other_active_admins, user_by_email
from kzai.core.filters import is_id
from kzai.core.grants import grantable_objects
from kzai.core.roles import OBJECT_SCOPED_ROLES, Action
from kzai.core.views import TenantMixin, apply_validation_error


@login_required
@require_POST
def switch_organization(request):
    try:
        organization_id = int(request.POST.get("organization", ""))
    except ValueError:
        raise Http404
    membership = membership_for(request.user, organization_id)
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.organization_id
    messages.success(request, _("You are now working in %(org)s.") % {"org": membership.organization.name})
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


class MemberListView(TenantMixin, View):
    """Members and open invitations of the active organization; administrators manage them."""

    def get_required_action(self):
        return Action.VIEW if self.request.method == "GET" else Action.MANAGE_MEMBERS

    def get(self, request, form=None):
        if self.membership.role in OBJECT_SCOPED_ROLES:
            # Auditors do not see the member list with everyone's e-mail.
            raise PermissionDenied(_("Your role in this organization does not allow this action."))
        members = Membership.objects.restrict(self.membership).select_related("user")
        page = Paginator(members.order_by("user__email"), 50).get_page(request.GET.get("page"))
        invitations = Invitation.objects.restrict(self.membership).filter(accepted_at__isnull=True)
        locked = set()
        if self.membership.allows(Action.MANAGE_MEMBERS):
            locked = locked_usernames([m.user.email for m in page])
        return render(
            request,
            "accounts/members.html",
            {
                "page_obj": page,
                "invitations": invitations[:50],
                "form": form or InvitationForm(),
                "role_form": MembershipRoleForm(),
                "language_form": OrganizationLanguageForm(initial={"language": self.organization.language}),
                "locked": locked,
            },
        )

    def post(self, request):
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    organization=self.organization,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
                return redirect("members")
        return self.get(request, form=form)


class MemberUpdateView(TenantMixin, View):
    required_action = Action.MANAGE_MEMBERS

    def post(self, request, pk):
        membership = get_object_or_404(Membership.objects.restrict(self.membership), pk=pk)
        try:
            if request.POST.get("unlock"):
                services.sign_in_unlock(membership=membership)
                messages.success(request, _("%(user)s can sign in again.") % {"user": membership.user})
            elif request.POST.get("deactivate"):
                services.membership_deactivate(membership=membership)
                messages.success(request, _("%(user)s no longer has access.") % {"user": membership.user})
            else:
                form = MembershipRoleForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose a valid role."))
                if membership.role == "admin" and form.cleaned_data["role"] != "admin":
                    if not other_active_admins(membership).exists():
                        raise ValidationError(_("An organization needs at least one active administrator."))
                services.membership_set(
                    user=membership.user, organization=self.organization, role=form.cleaned_data["role"]
                )
                messages.success(request, _("Role updated."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("members")


class ApiTokenListView(TenantMixin, View):
    """A member's own API tokens in the active organization. The raw token is shown once."""

    required_action = Action.VIEW

    def get(self, request, form=None, raw_token=None):
        tokens = ApiToken.objects.restrict(self.membership).filter(membership=self.membership)
        return render(
            request,
            "accounts/tokens.html",
            {
                "tokens": tokens[:100],
                "form": form or ApiTokenForm(),
                "raw_token": raw_token,
            },
        )

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            token, raw = services.api_token_create(
                membership=self.membership,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                expires_at=form.cleaned_data["expires_at"],
            )
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
            return self.get(request, raw_token=raw)
        return self.get(request, form=form)


class ApiTokenRevokeView(TenantMixin, View):
    required_action = Action.VIEW

    def post(self, request, pk):
        own_tokens = ApiToken.objects.restrict(self.membership).filter(membership=self.membership)
        token = get_object_or_404(own_tokens, pk=pk)
        services.api_token_revoke(token=token)
        messages.success(request, _("Token revoked."))
        return redirect("api_tokens")


def invitation_accept(request, token):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = user_by_email(invitation.email)
    if request.user.is_authenticated and request.user.email.lower() != invitation.email:
        return render(request, "accounts/invitation_invalid.html", {"wrong_user": True}, status=403)
    if existing and not request.user.is_authenticated:
        messages.info(
            request, _("Sign in as %(email)s to accept the invitation.") % {"email": invitation.email}
        )
        return redirect(f"/accounts/login/?next={request.path}")
    form = None
    if request.method == "POST":
        if existing is None:
            form = AcceptInvitationForm(request.POST, email=invitation.email)
            if form.is_valid():
                existing = services.user_create(
                    email=invitation.email,
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                )
        if existing is not None:
            try:
                membership = services.invitation_accept(invitation=invitation, user=existing)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("dashboard")
            if not request.user.is_authenticated:
                login(request, existing, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = membership.organization_id
            messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
            return redirect("dashboard")
    elif existing is None:
        form = AcceptInvitationForm(email=invitation.email)
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            user.full_name = form.cleaned_data["full_name"]
            user.notify_by_email = form.cleaned_data["notify_by_email"]
            user.language = form.cleaned_data["language"]
            user.save(update_fields=["full_name", "notify_by_email", "language"])
            messages.success(request, _("Profile saved."))
            return redirect("profile")
    else:
        form = ProfileForm(
            initial={
                "full_name": user.full_name,
                "notify_by_email": user.notify_by_email,
                "language": user.language,
            }
        )
    return render(request, "accounts/profile.html", {"form": form})


def _ids(values) -> set[int]:
    """The posted values that are ids (whole numbers in the id range); anything else is ignored."""
    return {int(v) for v in values if is_id(v)}


class MemberSystemsView(TenantMixin, View):
    """Which AI systems an auditor may see. Administrators choose; the change is logged."""

    def get_required_action(self):
        return Action.VIEW if self.request.method == "GET" else Action.MANAGE_MEMBERS

    def _member(self, pk):
        if self.membership.role in OBJECT_SCOPED_ROLES:
            raise Http404  # auditors do not read the member pages (names and e-mails)
        member = get_object_or_404(
            Membership.objects.select_related("user"), pk=pk, organization=self.organization
        )
        if member.role not in OBJECT_SCOPED_ROLES:
            raise Http404
        return member

    def get(self, request, pk):
        member = self._member(pk)
        grants = grantable_objects()
        page = Paginator(grants.choices(self.membership), 200).get_page(request.GET.get("page"))
        return render(
            request,
            "accounts/member_systems.html",
            {
                "member": member,
                "page_obj": page,
                "granted": set(grants.granted_ids(member)),
            },
        )

    def post(self, request, pk):
        member = self._member(pk)
        grants = grantable_objects()
        on_page = _ids(request.POST.getlist("on_page"))
        chosen = _ids(request.POST.getlist("systems"))
        # The form shows one page of systems: keep grants on other pages as they are.
        keep = set(grants.granted_ids(member)) - on_page
        systems = grants.grantable(self.membership).filter(pk__in=keep | (chosen & on_page))
        grants.grants_set(membership=member, objects=systems)
        messages.success(request, _("Systems in scope saved for %(user)s.") % {"user": member.user})
        return redirect(request.get_full_path())


class OrganizationLanguageView(TenantMixin, View):
    """An administrator sets the organization's language of e-mails (members may choose their own)."""

    def get_required_action(self):
        return Action.MANAGE_MEMBERS if self.request.method == "POST" else Action.VIEW

    def post(self, request):
        form = OrganizationLanguageForm(request.POST)
        if form.is_valid():
            services.organization_language_set(
                organization=self.organization, language=form.cleaned_data["language"]
            )
            messages.success(request, _("The language of e-mails is saved."))
        else:
            messages.error(request, _("Choose one of the listed languages."))
        return redirect("members")


organization_language = OrganizationLanguageView.as_view()
