from kzai.core.roles import Action


def tenancy(request):
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "active_organization": getattr(request, "organization", None),
        "memberships": getattr(request, "memberships", []),
        "can": {action.value: bool(membership and membership.allows(action)) for action in Action},
    }
