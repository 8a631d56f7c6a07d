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


def test_every_operation_has_a_known_tag_and_a_summary(db, make_member, api_for):
    schema = api_for(make_member(Role.VIEWER)).get("/api/schema/", **SCHEMA).json()
    known = [tag["name"] for tag in schema["tags"]]
    assert {"register", "classification", "risk management", "documents", "audit", "deadlines"} <= set(known)
    assert {"accounts", "activity", "public", "overview"} <= set(known)
    used = set()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            tags = operation.get("tags", [])
            if len(tags) != 1 or tags[0] not in known or not operation.get("summary"):
                missing.append(f"{method.upper()} {path}: {tags} {operation.get('summary')!r}")
            used.update(tags)
    assert not missing, missing
    assert used == set(known), "a tag with no operation, or an operation with an undeclared tag"
    assert schema["paths"]["/api/v1/systems/"]["get"]["summary"] == "List AI systems"
    assert schema["paths"]["/api/v1/risk/risks/"]["post"]["tags"] == ["risk management"]


def test_a_browser_reads_the_schema_as_json(db, make_member, web_for, settings):
    settings.KZAI_API_DOCS_PUBLIC = False
    web = web_for(make_member(Role.VIEWER))
    for query, accept in (("?format=json", "*/*"), ("", "text/html,application/xhtml+xml,*/*;q=0.8")):
        response = web.get(f"/api/schema/{query}", HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json"), query
        assert response.json()["info"]["title"] == "kzai API"
    # A tool asking for the OpenAPI media types still gets them.
    assert web.get("/api/schema/", **SCHEMA)["Content-Type"].startswith("application/vnd.oai.openapi+json")


def test_a_browser_without_a_session_is_sent_to_sign_in_for_the_private_schema(db, settings):
    settings.KZAI_API_DOCS_PUBLIC = False
    response = Client().get("/api/schema/?format=json", HTTP_ACCEPT="text/html")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Client().get("/api/schema/?format=json").status_code == 401
