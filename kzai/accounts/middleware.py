"""Resolves the active organization of a browser session.

The choice is kept in the session (set by the organization switcher). A user with one membership
needs no choice. `request.membership` is None for anonymous users and for users without any
active membership.
"""

from kzai.accounts.selectors import active_memberships

SESSION_KEY = "kzai_active_organization"


class ActiveOrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.organization = None
        if request.user.is_authenticated:
            memberships = list(active_memberships(request.user))
            chosen = request.session.get(SESSION_KEY)
            membership = next((m for m in memberships if m.organization_id == chosen), None)
            if membership is None and memberships:
                membership = memberships[0]
                request.session[SESSION_KEY] = membership.organization_id
            request.memberships = memberships
            request.membership = membership
            request.organization = membership.organization if membership else None
        else:
            request.memberships = []
        return self.get_response(request)
