"""Labels of synthetic results: signing and verifying (tampering, wrong keys, rotation), the signing
API's tenancy and bad inputs, the label generator, the schema and the public verification."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kzai.activity.models import ActivityRecord
from kzai.core.roles import Role
from registry import services as registry_services
from registry.public.labels import marks, services
from registry.public.labels.models import LabelIssuanceDay, LabelSigningKey
from tests.registry.public.helpers import fresh_client, published_page
from tests.tenancy import APIContract, UIContract

DIGEST = hashlib.sha256(b"a generated picture").hexdigest()
NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))


def generating_system(organization, **facts):
    """A system whose register says it generates images and text (through the register's service)."""
    n = uuid.uuid4().hex[:6].upper()
    fields = {
        "name": f"Image generator {n}",
        "code": f"GEN-{n}",
        "intended_purpose": "Illustrations for marketing.",
        "organization_role": "owner",
        "sector": "banking",
        "generates_synthetic_content": True,
        "synthetic_media": ["image", "text"],
        **facts,
    }
    return registry_services.ai_system_create(organization=organization, **fields)


def sign(system, **overrides):
    arguments = {"content_sha256": DIGEST, "media_type": "image/png", "generated_at": NOW, **overrides}
    return services.label_sign(system=system, **arguments)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# -- signing and verifying -------------------------------------------------------------------------
def test_a_signed_label_verifies_and_names_its_issuer(org):
    system = generating_system(org)
    label = sign(system)
    payload = label["payload"]
    assert label["alg"] == "Ed25519" and label["key_id"] == payload["key_id"]
    assert payload["digital_source_type"] == marks.IPTC_VOCABULARY + "trainedAlgorithmicMedia"
    assert payload["issuer"] == {"organization": org.name, "system": system.name}
    assert payload["generated_at"] == "2026-03-02T04:30:00Z"
    result = services.label_verify(label)
    assert result.valid and result.organization == org.name and result.system == system.name
    assert result.issued_at is not None and not result.key_retired
    assert services.label_verify(label, content_sha256=DIGEST).valid
    other = services.label_verify(label, content_sha256="0" * 64)
    assert not other.valid and "other content" in other.reason


def test_the_public_page_title_names_the_system_once_it_has_one(org):
    page = published_page(org, system=generating_system(org))
    assert sign(page.system)["payload"]["issuer"]["system"] == "Кредитный помощник"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda label: label["payload"].update(content_sha256="f" * 64),
        lambda label: label["payload"]["issuer"].update(organization="Someone Else LLP"),
        lambda label: label["payload"].update(issued_at="2020-01-01T00:00:00Z"),
        lambda label: label["payload"].update(extra="field"),
    ],
)
def test_a_tampered_payload_is_invalid(org, tamper):
    label = sign(generating_system(org))
    tamper(label)
    result = services.label_verify(label)
    assert not result.valid and result.organization == ""


def test_a_tampered_signature_is_invalid(org):
    label = sign(generating_system(org))
    raw = bytearray(base64.urlsafe_b64decode(label["signature"] + "=="))
    raw[0] ^= 1
    for signature in (_b64(bytes(raw)), "not base64 !", "", _b64(b"short")):
        label["signature"] = signature
        assert not services.label_verify(label).valid


def test_another_organizations_key_does_not_verify_our_label(org, other_org):
    ours = sign(generating_system(org))
    theirs = sign(generating_system(other_org))
    assert ours["key_id"] != theirs["key_id"]
    # Our payload claimed under their key (in the label and in the payload): the signature fails.
    forged = {**ours, "key_id": theirs["key_id"], "payload": {**ours["payload"], "key_id": theirs["key_id"]}}
    assert not services.label_verify(forged).valid
    # Their signature on our payload fails too.
    assert not services.label_verify({**ours, "signature": theirs["signature"]}).valid
    # A key id nobody signs with.
    unknown = {
        **ours,
        "key_id": "ed25519-unknown",
        "payload": {**ours["payload"], "key_id": "ed25519-unknown"},
    }
    assert "No organization" in services.label_verify(unknown).reason
    # A key id of the label differing from the payload's.
    assert not services.label_verify({**ours, "key_id": theirs["key_id"]}).valid


def test_a_label_signed_with_a_fresh_key_of_the_same_id_shape_is_refused(org):
    """A forger who makes their own Ed25519 key cannot pass its signature off under our key id."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    label = sign(generating_system(org))
    forged_signature = Ed25519PrivateKey.generate().sign(services.canonical(label["payload"]))
    assert not services.label_verify({**label, "signature": _b64(forged_signature)}).valid


def test_a_rotated_key_still_verifies_and_no_longer_signs(org, make_member):
    admin = make_member(Role.ADMIN)
    system = generating_system(org)
    before = sign(system)
    old_key = LabelSigningKey.objects.get(key_id=before["key_id"])
    new_key = services.signing_key_rotate(organization=org, membership=admin)
    old_key.refresh_from_db()
    assert old_key.retired_at is not None and old_key.retired_by == admin and new_key.is_active
    result = services.label_verify(before)
    assert result.valid and result.key_retired
    after = sign(system)
    assert after["key_id"] == new_key.key_id != before["key_id"]
    assert services.label_verify(after).valid
    with pytest.raises(ValidationError, match="retired"):
        services._private_key(old_key)
    assert LabelSigningKey.objects.filter(organization=org, retired_at__isnull=True).count() == 1


def test_private_keys_are_stored_encrypted_and_never_in_the_activity_log(org):
    label = sign(generating_system(org))
    key = LabelSigningKey.objects.get(key_id=label["key_id"])
    assert key.private_key_encrypted.startswith("gAAAA")  # a Fernet token, not raw key material
    entries = ActivityRecord.objects.filter(organization=org)
    assert entries.exists()
    assert not any("private_key" in json.dumps(e.changes or {}) for e in entries)


def test_signing_needs_a_system_that_generates_synthetic_content_of_that_medium(org):
    quiet = generating_system(org, generates_synthetic_content=False, synthetic_media=[])
    with pytest.raises(ValidationError) as error:
        sign(quiet)
    assert "system" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        sign(generating_system(org), media_type="audio/mpeg")
    assert "media_type" in error.value.message_dict


def test_an_archived_system_signs_nothing(org):
    system = generating_system(org)
    registry_services.ai_system_archive(system=system)
    with pytest.raises(ValidationError) as error:
        sign(system)
    assert "archived" in str(error.value)


def test_issued_labels_are_counted_per_system_and_day(org, make_member, web_for):
    system, other = generating_system(org), generating_system(org)
    for _ in range(3):
        sign(system)
    sign(other)
    assert LabelIssuanceDay.objects.get(system=system).count == 3
    body = web_for(make_member(Role.VIEWER)).get(reverse("registry:system_labels", args=[system.pk])).content
    assert b'data-testid="labels-total">3<' in body and b'data-testid="labels-recent">3<' in body
    public_tab = web_for(make_member(Role.VIEWER)).get(reverse("registry:system_public", args=[system.pk]))
    assert b'data-testid="labels-issued">3<' in public_tab.content


# -- the signing API ---------------------------------------------------------------------------------
def _sign_url(system):
    return reverse("label-sign", args=[system.pk])


def _payload(**overrides):
    return {
        "content_sha256": DIGEST,
        "media_type": "image/png",
        "generated_at": "2026-03-02T09:30:00+05:00",
        **overrides,
    }


def test_the_backend_signs_through_the_api_and_anyone_verifies(org, make_member, api_for):
    client = api_for(make_member(Role.CONTRIBUTOR))
    system = generating_system(org)
    response = client.post(
        _sign_url(system), _payload(digital_source_type="compositeWithTrainedAlgorithmicMedia"), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["payload"]["digital_source_type"].endswith("/compositeWithTrainedAlgorithmicMedia")
    assert body["headers"]["AI-Generated"].startswith("?1")
    header = body.pop("headers")["AI-Label"]
    anonymous = fresh_client()
    verified = anonymous.post(reverse("label-verify"), {"label": body}, content_type="application/json")
    assert verified.status_code == 200 and verified.json()["valid"] is True
    assert verified.json()["organization"] == org.name
    # The header form verifies too.
    by_header = anonymous.post(reverse("label-verify"), {"label": header}, content_type="application/json")
    assert by_header.json()["valid"] is True
    listed = client.get(reverse("label-list")).json()["results"]
    assert [(row["id"], row["labels_issued"]) for row in listed] == [(system.pk, 1)]


def test_another_organizations_system_is_404_for_signing(org, other_org, make_member, api_for):
    theirs = generating_system(other_org)
    client = api_for(make_member(Role.ADMIN))
    assert client.post(_sign_url(theirs), _payload(), format="json").status_code == 404
    assert not LabelIssuanceDay.objects.exists() and not LabelSigningKey.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"content_sha256": "xyz"}, "content_sha256"),
        ({"content_sha256": "A" * 65}, "content_sha256"),
        ({"media_type": "application/zip"}, "media_type"),
        ({"media_type": "video/mp4"}, "media_type"),  # not among the system's registered media
        ({"digital_source_type": "digitalCapture"}, "digital_source_type"),
        ({"generated_at": "yesterday"}, "generated_at"),
        ({"generated_at": "2999-01-01T00:00:00Z"}, "generated_at"),
        ({"generated_at": None}, "generated_at"),
    ],
)
def test_bad_sign_requests_are_400_with_the_field(org, make_member, api_for, overrides, field):
    client = api_for(make_member(Role.CONTRIBUTOR))
    response = client.post(_sign_url(generating_system(org)), _payload(**overrides), format="json")
    assert response.status_code == 400 and field in response.json(), response.content


def test_roles_that_cannot_add_cannot_sign(org, make_member, api_for):
    system = generating_system(org)
    for role in (Role.VIEWER, Role.AUDITOR):
        assert api_for(make_member(role)).post(_sign_url(system), _payload(), format="json").status_code in (
            403,
            404,
        )
    assert (
        api_for(make_member(Role.ADMIN), read_only=True)
        .post(_sign_url(system), _payload(), format="json")
        .status_code
        == 403
    )


def test_only_administrators_rotate_keys(org, make_member, api_for, web_for):
    url = reverse("label-key-rotate")
    for role in (Role.OFFICER, Role.CONTRIBUTOR, Role.VIEWER, Role.AUDITOR):
        assert api_for(make_member(role)).post(url).status_code == 403
        assert web_for(make_member(role)).post(reverse("registry:label_key_rotate")).status_code == 403
    first = api_for(make_member(Role.ADMIN)).post(url)
    assert first.status_code == 201 and first.json()["active"] is True
    assert "private" not in json.dumps(first.json())
    web = web_for(make_member(Role.ADMIN))
    assert web.post(reverse("registry:label_key_rotate")).status_code == 302
    keys = LabelSigningKey.objects.filter(organization=org)
    assert keys.count() == 2 and keys.filter(retired_at__isnull=True).count() == 1
    page = web.get(reverse("registry:label_keys")).content.decode()
    assert all(k.key_id in page for k in keys) and "gAAAA" not in page


# -- the public side: schema and verification ---------------------------------------------------------
def test_the_schema_is_published_and_describes_a_signed_label(client, org):
    response = client.get(reverse("labels:schema", args=[1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    schema = response.json()
    assert schema["$id"].endswith("/labels/schema/v1.json")
    label = sign(generating_system(org))
    assert set(schema["required"]) == set(label)
    assert set(schema["properties"]["payload"]["required"]) == set(label["payload"])
    assert (
        label["payload"]["digital_source_type"]
        in schema["properties"]["payload"]["properties"]["digital_source_type"]["enum"]
    )
    assert client.get(reverse("labels:schema", args=[2])).status_code == 404


def test_the_public_form_verifies_a_pasted_label(org):
    label = sign(generating_system(org))
    web = fresh_client()
    assert web.get(reverse("labels:verify")).status_code == 200
    response = web.post(reverse("labels:verify"), {"label": json.dumps(label)})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="label-valid"' in body and org.name in body
    label["payload"]["media_type"] = "image/jpeg"
    response = web.post(reverse("labels:verify"), {"label": json.dumps(label)})
    assert 'data-testid="label-invalid"' in response.content.decode()


@pytest.mark.parametrize("text", ["", "not a label", "[1, 2]", "{", "x" * 20000, "e30"])
def test_bad_labels_on_the_public_form_are_400_or_invalid_never_500(text):
    response = fresh_client().post(reverse("labels:verify"), {"label": text})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert 'data-testid="label-invalid"' in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"label": 5}', b'{"label": "!!"}', b'{"label": {}, "content_sha256": "zz"}'],
)
def test_bad_bodies_on_the_json_endpoint(body):
    response = fresh_client().post(reverse("label-verify"), body, content_type="application/json")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["valid"] is False


def test_verification_is_rate_limited_per_address(org):
    label = json.dumps({"label": sign(generating_system(org))})
    web = fresh_client()
    for _ in range(services.VERIFICATIONS_PER_ADDRESS):
        assert web.post(reverse("label-verify"), label, content_type="application/json").status_code == 200
    assert web.post(reverse("label-verify"), label, content_type="application/json").status_code == 429
    assert web.post(reverse("labels:verify"), {"label": label}).status_code == 429
    assert (
        fresh_client().post(reverse("label-verify"), label, content_type="application/json").status_code
        == 200
    )


# -- the label generator -----------------------------------------------------------------------------
def test_the_generator_gives_the_warning_in_three_languages(org, make_member, web_for):
    system = generating_system(org)
    response = web_for(make_member(Role.VIEWER)).get(reverse("registry:system_labels", args=[system.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for code, text in (("kk", "ЖИ жасаған"), ("ru", "Создано ИИ"), ("en", "Generated by AI")):
        assert f'data-testid="snippet-{code}"' in body and f'lang="{code}"' in body
        assert (
            text in marks.warning_texts(system, code)["short"]
            or text in marks.warning_texts(system, code)["sentence"]
        )
    assert "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia" in body
    assert "AI-Generated: ?1" in body and "/labels/schema/v1.json" in body
    assert "<script>" not in body


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_badge_is_an_accessible_svg(org, make_member, web_for, language):
    system = generating_system(org)
    url = reverse("registry:system_label_badge", args=[system.pk, language])
    response = web_for(make_member(Role.VIEWER)).get(url)
    svg = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg and f'lang="{language}"' in svg
    assert marks.warning_texts(system, language)["short"] in svg


def test_an_unknown_badge_language_is_404(org, make_member, web_for):
    system = generating_system(org)
    web = web_for(make_member(Role.VIEWER))
    assert web.get(reverse("registry:system_label_badge", args=[system.pk, "de"])).status_code == 404


def test_the_warning_texts_differ_per_language_and_never_fall_back_to_english(org):
    system = generating_system(org)
    kk, ru, en = (marks.warning_texts(system, code)["short"] for code in ("kk", "ru", "en"))
    assert len({kk, ru, en}) == 3 and en == "Generated by AI"


# -- contracts ---------------------------------------------------------------------------------------
def _labelled_system(organization):
    system = generating_system(organization)
    sign(system)
    return system


class TestLabelPages(UIContract):
    detail_url_name = "registry:system_labels"
    covered_url_names = ("registry:system_label_badge",)

    def make_object(self, organization):
        return _labelled_system(organization)

    def _object_urls(self, obj):
        return [*super()._object_urls(obj), reverse("registry:system_label_badge", args=[obj.pk, "kk"])]


class TestLabelKeyPages(UIContract):
    list_url_name = "registry:label_keys"
    covered_url_names = ("registry:label_key_rotate",)

    def make_object(self, organization):
        return services.signing_key_rotate(organization=organization, membership=None)


class TestLabelAPI(APIContract):
    basename = "label"

    def make_object(self, organization):
        return _labelled_system(organization)


class TestLabelKeyAPI(APIContract):
    basename = "label-key"

    def make_object(self, organization):
        return services.signing_key_rotate(organization=organization, membership=None)


def test_the_marking_obligation_shows_the_labels_issued(org, make_member, web_for):
    from risk.services.obligations import obligations_sync

    system = generating_system(org)
    obligations_sync(system=system)
    obligation = system.obligations.get(code="KZ-AI-TR-02")
    other = system.obligations.exclude(code="KZ-AI-TR-02").first()
    sign(system)
    sign(system)
    web = web_for(make_member(Role.VIEWER))
    body = web.get(reverse("risk:obligation_detail", args=[obligation.pk])).content.decode()
    assert 'data-testid="computed-evidence"' in body and "2 in all" in body
    assert reverse("registry:system_labels", args=[system.pk]) in body
    other_body = web.get(reverse("risk:obligation_detail", args=[other.pk])).content.decode()
    assert 'data-testid="computed-evidence"' not in other_body


def test_every_signed_label_validates_against_the_published_schema(client, org):
    import jsonschema

    schema = client.get(reverse("labels:schema", args=[1])).json()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    system = generating_system(org)
    for source_type in marks.DigitalSourceType.values:
        validator.validate(sign(system, digital_source_type=source_type, media_type="text/plain"))
    tampered = sign(system)
    tampered["payload"]["ai_generated"] = False
    assert not validator.is_valid(tampered)


def test_the_generator_page_reads_a_bounded_number_of_queries(
    org, make_member, web_for, django_assert_max_num_queries
):
    system = generating_system(org)
    published_page(org, system=system)
    for _ in range(5):
        sign(system)
    web = web_for(make_member(Role.VIEWER))
    url = reverse("registry:system_labels", args=[system.pk])
    web.get(url)
    with django_assert_max_num_queries(14):
        assert web.get(url).status_code == 200


def test_the_snippet_can_repeat_on_a_page_and_reads_once(org):
    snippet = marks.warning_snippet(generating_system(org), "ru")
    assert 'role="note"' in snippet and 'lang="ru"' in snippet
    assert 'aria-hidden="true"' in snippet and " id=" not in snippet  # no duplicate ids per result
    assert "<script" not in snippet and "style=" not in snippet
    assert "Этот материал создан системой искусственного интеллекта" in snippet
