"""The OpenAPI schema and Swagger UI are private unless settings.KZAI_API_DOCS_PUBLIC (the demo)."""

import pytest
from django.test import Client

from kzai.core.roles import Role
from tests.core.test_settings import PRODUCTION_ENV, _manage

SCHEMA = {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"}


def test_private_docs_need_a_signed_in_user_or_a_token(db, make_member, web_for, api_for, settings):
    settings.KZAI_API_DOCS_PUBLIC = False
    anonymous = Client()
    assert anonymous.get("/api/schema/", **SCHEMA).status_code == 401
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/?next=/api/docs/")
    assert anonymous.get("/api/docs/?script=").status_code == 302
    viewer = make_member(Role.VIEWER)
    assert web_for(viewer).get("/api/docs/").status_code == 200
    assert web_for(viewer).get("/api/schema/", **SCHEMA).status_code == 200
    assert api_for(viewer).get("/api/schema/").status_code == 200


def test_public_docs_are_open_to_anyone(db, settings):
    settings.KZAI_API_DOCS_PUBLIC = True
    assert Client().get("/api/schema/", **SCHEMA).status_code == 200
    assert Client().get("/api/docs/").status_code == 200


@pytest.mark.parametrize("debug, public", [("0", "False"), ("1", "True")])
def test_private_in_production_public_in_the_demo(debug, public):
    env = {**PRODUCTION_ENV, "DEBUG": debug}
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.KZAI_API_DOCS_PUBLIC)", env=env
    )
    assert result.stdout.strip().splitlines()[-1] == public, result.stderr
