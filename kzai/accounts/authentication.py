"""`Authorization: Bearer <token>` for the REST API. A token acts for one membership."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from kzai.accounts.models import ApiToken
from kzai.activity import context as activity_context
from kzai.core.api.throttling import InvalidTokenThrottle


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates `Authorization: Bearer <token>`; an address sending invalid tokens is throttled."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: expected 'Bearer <token>'.")
            )
        throttle = InvalidTokenThrottle()
        wait = throttle.wait_before_next(request)
        if wait is not None:
            raise exceptions.Throttled(wait, detail=str(_("Too many invalid tokens from this address.")))
        try:
            raw = header[1].decode()
        except UnicodeError:
            throttle.record(request)
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = ApiToken.objects.authenticate(raw)
        if token is None:
            throttle.record(request)
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        membership = token.membership
        if not (membership.is_active and membership.user.is_active and membership.organization.is_active):
            raise exceptions.AuthenticationFailed(_("The token's membership is no longer active."))
        # Touch last_used_at at most once a minute; a plain update so the activity log stays quiet.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        activity_context.set_user(membership.user)
        return membership.user, token

    def authenticate_header(self, request):
        return self.keyword
