"""Fixtures every test can use: organizations, members by role, API clients by token."""

import uuid

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from kzai.accounts.services import api_token_create
from kzai.core.roles import Role
from tests.factories import TEST_PASSWORD, MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    # The suite sends thousands of API requests from one address; tests/core/test_throttling.py
    # checks the throttles with low rates.
    # Signing every administrator of the suite in with a second factor would only test the fixtures;
    # tests/accounts/test_two_factor.py turns the requirement on.
    settings.KZAI_TWO_FACTOR_FOR_ADMINS = False
    settings.KZAI_API_THROTTLE_RATES = dict.fromkeys(("token", "address", "invalid_token"), "100000/minute")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A cache of its own for every test: per-organization values (kzai.core.cache) are keyed by the
    # organization's id, and ids repeat — in the other xdist worker's database, and on SQLite after
    # a rollback — so a value one test cached must not be read by another.
    default = settings.CACHES["default"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {**default, "KEY_PREFIX": f"{default.get('KEY_PREFIX', 'tests')}-{uuid.uuid4().hex[:12]}"},
    }


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A page requested in Russian or Kazakh leaves that language active in the thread (the locale
    middleware does not undo it): the next test starts in the default language again."""
    yield
    translation.deactivate()


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Alpha Bank", slug="alpha-bank")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Beta Telecom", slug="beta-telecom")


@pytest.fixture
def make_member(db, org):
    """make_member(role, organization=org) → an active Membership with a fresh user."""

    def make(role=Role.OFFICER, organization=None, **kwargs):
        return MembershipFactory(organization=organization or org, role=role, **kwargs)

    return make


@pytest.fixture
def officer(make_member):
    return make_member(Role.OFFICER)


@pytest.fixture
def api_for():
    """api_for(membership, read_only=False) → an APIClient authenticated with a fresh bearer token."""

    def make(membership, read_only=False):
        _token, raw = api_token_create(membership=membership, read_only=read_only)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make


@pytest.fixture
def web_for(client):
    """web_for(membership) → the Django test client signed in, with that organization active."""
    from django.test import Client

    from kzai.accounts.middleware import SESSION_KEY

    def make(membership):
        web = Client()
        assert web.login(email=membership.user.email, password=TEST_PASSWORD)
        session = web.session
        session[SESSION_KEY] = membership.organization_id
        session.save()
        return web

    return make


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in-process in tests, even when REDIS_URL points at a real broker (CI).

    Tests marked `worker` start a real Celery worker and keep the real broker.
    """
    from kzai.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
