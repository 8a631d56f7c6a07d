import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kzai.accounts.models import ApiToken, Membership, Organization, User
from kzai.activity.models import ActivityRecord

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_organization_user_and_token_end_to_end(client):
    run("create_organization", "--name", "Kaspi Demo", "--slug", "kaspi-demo")
    organization = Organization.objects.get(slug="kaspi-demo")
    run(
        "create_user",
        "--email",
        "Officer@Example.KZ",
        "--password",
        "a-long-password-1",
        "--org",
        "kaspi-demo",
        "--role",
        "officer",
    )
    user = User.objects.get(email="officer@example.kz")
    assert user.check_password("a-long-password-1")
    assert Membership.objects.get(user=user, organization=organization).role == "officer"

    raw, err = run("create_api_token", "--email", "officer@example.kz", "--org", "kaspi-demo", "--name", "ci")
    raw = raw.strip()
    assert raw.startswith("kzai_") and "will not be shown again" in err
    token = ApiToken.objects.get()
    # Only the hash is stored, never the token itself.
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.key_hash, token.key_hint, token.name}
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["role"] == "officer"
    # The commands are attributed in the activity log.
    assert ActivityRecord.objects.filter(organization=organization, source="command").exists()


def test_create_user_again_updates_the_role_instead_of_failing():
    run("create_organization", "--name", "Org", "--slug", "org-one")
    run(
        "create_user",
        "--email",
        "a@b.kz",
        "--password",
        "pw-long-enough",
        "--org",
        "org-one",
        "--role",
        "viewer",
    )
    out, _ = run(
        "create_user",
        "--email",
        "a@b.kz",
        "--password",
        "pw-long-enough",
        "--org",
        "org-one",
        "--role",
        "admin",
    )
    assert "Updated" in out
    assert Membership.objects.get(user__email="a@b.kz").role == "admin"


def test_read_only_token_command():
    run("create_organization", "--name", "Org", "--slug", "org-two")
    run(
        "create_user",
        "--email",
        "a@b.kz",
        "--password",
        "pw-long-enough",
        "--org",
        "org-two",
        "--role",
        "admin",
    )
    run("create_api_token", "--email", "a@b.kz", "--org", "org-two", "--read-only")
    assert ApiToken.objects.get().read_only is True


@pytest.mark.parametrize(
    "args, message",
    [
        (["create_organization", "--name", "X", "--slug", "Bad Slug!"], "slug"),
        (
            ["create_user", "--email", "a@b.kz", "--password", "p", "--org", "missing", "--role", "admin"],
            "No organization",
        ),
        (["create_api_token", "--email", "nobody@b.kz", "--org", "missing"], "no active membership"),
    ],
)
def test_commands_fail_with_clear_messages(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_duplicate_slug_is_rejected():
    run("create_organization", "--name", "One", "--slug", "same-slug")
    with pytest.raises(CommandError, match="slug"):
        run("create_organization", "--name", "Two", "--slug", "same-slug")


def test_unknown_role_is_rejected():
    run("create_organization", "--name", "One", "--slug", "one-org")
    with pytest.raises(CommandError):
        run("create_user", "--email", "a@b.kz", "--password", "p", "--org", "one-org", "--role", "boss")


def test_load_demo_is_idempotent():
    out, _ = run("load_demo")
    assert "officer@demo.kz" in out
    counts = (Organization.objects.count(), User.objects.count(), Membership.objects.count())
    run("load_demo")
    assert (Organization.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert User.objects.get(email="officer@demo.kz").memberships.count() == 2


@pytest.mark.parametrize(
    "password, reason",
    [
        ("password", "too common"),
        ("short-1", "too short"),
        ("12345678901234", "entirely numeric"),
        ("weak.person@example.kz", "too similar"),
    ],
)
def test_create_user_refuses_a_password_the_web_forms_refuse(password, reason):
    run("create_organization", "--name", "Org", "--slug", "org-weak")
    args = ["--email", "weak.person@example.kz", "--password", password, "--org", "org-weak"]
    with pytest.raises(CommandError, match=reason):
        run("create_user", *args, "--role", "viewer")
    assert not User.objects.filter(email="weak.person@example.kz").exists()
