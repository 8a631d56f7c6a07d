"""Every API route and every app page must plug into the shared tenancy suite (tests/tenancy.py)."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests import tenancy

# Routes that serve no tenant data, each with the reason.
API_EXEMPT = {
    "api_me": "describes the caller only; covered in tests/accounts/test_api.py",
}
# Pages that cannot carry a UIContract (no organization's objects behind them), each with the reason.
UI_EXEMPT = {
    "invitation_accept": "a secret-token page, signed in or not: tests/accounts/test_invitations.py",
    "switch_organization": "POST-only, switches the session: tests/accounts/test_invitations.py",
    "verify_passport": "public, no sign-in, shows only issuer and time for a hash: "
    "tests/documents/test_passport.py",
    "labels:schema": "the published JSON schema of labels, the same for everyone: "
    "tests/registry/public/test_labels.py",
    "labels:verify": "public, no sign-in: verifies a pasted label and names only its issuer and time; "
    "tests/registry/public/test_labels.py",
    "two_factor_verify": "the second step of a person's own sign-in, no organization's objects: "
    "tests/accounts/test_two_factor.py",
    "organization_two_factor": "an admin's POST-only switch, refused to other roles: "
    "tests/accounts/test_two_factor.py",
    "organization_language": "an admin's POST-only setting, refused to other roles: "
    "tests/deadlines/test_emails.py",
}
# Anonymous pages open to everyone (no tenant session): they plug into `PublicContract`.
PUBLIC_NAMESPACES = ("public",)


def _import_all_test_modules():
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_"):
            importlib.import_module(module.name)


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name


def test_every_api_route_has_a_tenancy_contract():
    _import_all_test_modules()
    covered = {c.basename for c in tenancy.API_CONTRACTS}
    missing = []
    for route, name in _walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/") or name in API_EXEMPT:
            continue
        basename = name.rsplit("-", 1)[0]
        if basename not in covered:
            missing.append(f"{route} ({name})")
    assert not missing, f"API routes without an APIContract: {missing}"


def test_every_page_has_a_tenancy_contract():
    """Every page of the portal (the overview and the accounts pages too), not only the apps'."""
    from tests.security.world import portal_url_names

    _import_all_test_modules()
    covered = set().union(*(c.url_names() for c in tenancy.UI_CONTRACTS))
    missing = [name for name in portal_url_names() if name not in covered and name not in UI_EXEMPT]
    assert not missing, f"pages without a UIContract: {missing}"
    assert "dashboard" in covered and "profile" in covered and "members" in covered


def test_every_public_page_has_a_public_contract():
    _import_all_test_modules()
    covered = set().union(set(), *(set(c.url_names) for c in tenancy.PUBLIC_CONTRACTS))
    missing = [
        f"{route} ({name})"
        for route, name in _walk(get_resolver().url_patterns)
        if name.split(":")[0] in PUBLIC_NAMESPACES and name not in covered
    ]
    assert not missing, f"public pages without a PublicContract: {missing}"
