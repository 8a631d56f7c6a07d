import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from kzai.accounts.models import ApiToken
from kzai.accounts.services import api_token_create, api_token_revoke
from kzai.core.roles import Role


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_token_acts_for_its_membership_only(org, other_org, make_member):
    member = make_member(Role.OFFICER)
    make_member(Role.ADMIN, organization=other_org, user=member.user)
    _token, raw = api_token_create(membership=member)
    body = bearer(raw).get("/api/v1/me/").json()
    assert body["organization"]["slug"] == org.slug and body["role"] == "officer"


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer kzai_wrong", "Token abc"])
def test_bad_headers_are_refused(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()


def test_revoked_and_expired_tokens_are_refused(org, make_member):
    member = make_member(Role.VIEWER)
    token, raw = api_token_create(membership=member)
    assert bearer(raw).get("/api/v1/me/").status_code == 200
    api_token_revoke(token=token)
    assert bearer(raw).get("/api/v1/me/").status_code == 401
    _token, raw2 = api_token_create(
        membership=member, expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert bearer(raw2).get("/api/v1/me/").status_code == 401


def test_token_records_last_use(org, make_member):
    token, raw = api_token_create(membership=make_member(Role.VIEWER))
    assert token.last_used_at is None
    bearer(raw).get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_tokens_page_shows_the_raw_token_once(org, make_member, web_for):
    member = make_member(Role.VIEWER)
    web = web_for(member)
    response = web.post("/settings/tokens/", {"name": "sync", "read_only": "on"})
    raw = response.context["raw_token"]
    assert raw.startswith("kzai_") and raw in response.content.decode()
    assert raw not in web.get("/settings/tokens/").content.decode()
    token = ApiToken.objects.get(membership=member)
    assert token.read_only and token.name == "sync"
    web.post(f"/settings/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(org, make_member, web_for):
    token, _raw = api_token_create(membership=make_member(Role.ADMIN))
    response = web_for(make_member(Role.ADMIN)).post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_auditor_manages_their_own_tokens(org, make_member, web_for):
    auditor = make_member(Role.AUDITOR)
    web = web_for(auditor)
    web.post("/settings/tokens/", {"name": "read api"})
    token = ApiToken.objects.get(membership=auditor)
    assert "read api" in web.get("/settings/tokens/").content.decode()
    assert web.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
