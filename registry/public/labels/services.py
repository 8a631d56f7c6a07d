"""Signing and verifying labels of synthetic results, and the organizations' signing keys.

A label is `{"schema", "alg": "Ed25519", "key_id", "payload", "signature"}`; the signature covers
the canonical JSON of the payload (keys sorted, no whitespace, UTF-8), see `marks.label_schema`.
Private keys are generated here, stored encrypted with a key derived from SECRET_KEY, decrypted
only to sign, and never returned by anything.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import re
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kzai.accounts.models import Organization
from registry.models import AISystem
from registry.public.labels import marks
from registry.public.labels.models import LabelIssuanceDay, LabelSigningKey

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
MEDIA_TYPE = re.compile(r"^(text|image|audio|video)/[a-z0-9][a-z0-9.+-]{0,99}$")
# A result may be signed a while after it was generated (queued), never before it exists.
CLOCK_SLACK = datetime.timedelta(minutes=5)
MAX_LABEL_BYTES = 8 * 1024
# Verifying is cheap but answers anyone: a generous budget per address (form and API together),
# counted like the public forms'.
VERIFICATIONS_PER_ADDRESS = 60
VERIFY_WINDOW_SECONDS = 600


# -- keys ------------------------------------------------------------------------------------------
def _fernet() -> Fernet:
    """The symmetric key that encrypts private keys at rest, derived from SECRET_KEY (HKDF-SHA256).

    Changing SECRET_KEY makes stored private keys unusable for signing (rotate them afterwards);
    their public halves stay readable, so labels already issued still verify.
    """
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"kzai label signing keys v1"
    ).derive(settings.SECRET_KEY.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _new_key(*, organization, membership) -> LabelSigningKey:
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    private_raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    key = LabelSigningKey(
        organization=organization,
        # The fingerprint: unique across organizations, so a verifier finds the key from the label.
        key_id="ed25519-" + hashlib.sha256(public_raw).hexdigest()[:24],
        public_key=_b64url(public_raw),
        private_key_encrypted=_fernet().encrypt(private_raw).decode("ascii"),
        created_by=membership,
    )
    key.full_clean(exclude=["private_key_encrypted"])
    key.save()
    return key


def signing_key_active(*, organization, membership=None) -> LabelSigningKey:
    """The organization's active signing key, made on first use."""
    key = LabelSigningKey.objects.filter(organization=organization, retired_at__isnull=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _new_key(organization=organization, membership=membership)
    except IntegrityError:  # another request made it at the same moment
        return LabelSigningKey.objects.get(organization=organization, retired_at__isnull=True)


@transaction.atomic
def signing_key_rotate(*, organization, membership) -> LabelSigningKey:
    """Retire the active key (its public half stays, so its labels still verify) and make a new one."""
    # The organization's row serializes two rotations at once (there may be no key row to lock yet).
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    current = (
        LabelSigningKey.objects.select_for_update()
        .filter(organization=organization, retired_at__isnull=True)
        .first()
    )
    if current is not None:
        current.retired_at = timezone.now()
        current.retired_by = membership
        current.save()
    return _new_key(organization=organization, membership=membership)


def _private_key(key: LabelSigningKey) -> Ed25519PrivateKey:
    """Decrypt the key to sign with; a retired key never signs again."""
    if key.retired_at is not None:
        raise ValidationError(_("This signing key is retired: it only verifies labels it signed before."))
    try:
        raw = _fernet().decrypt(key.private_key_encrypted.encode("ascii"))
    except InvalidToken as error:
        raise ValidationError(
            _("The signing key cannot be read (was SECRET_KEY changed?). An administrator must rotate it.")
        ) from error
    return Ed25519PrivateKey.from_private_bytes(raw)


def canonical(payload: dict) -> bytes:
    """The bytes a signature covers (documented in the published schema)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _utc_iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- signing ---------------------------------------------------------------------------------------
def _check_sign_request(*, system, content_sha256, media_type, digital_source_type, generated_at) -> None:
    errors = {}
    if system.archived_at is not None:
        errors["system"] = [_("This AI system is archived; restore it first.")]
    elif not system.generates_synthetic_content:
        errors["system"] = [
            _(
                "The register says this AI system does not generate synthetic content; "
                "correct its facts first."
            )
        ]
    if not SHA256_HEX.match(content_sha256 or ""):
        errors["content_sha256"] = [_("Give the SHA-256 of the content as 64 lowercase hexadecimal digits.")]
    if not MEDIA_TYPE.match(media_type or ""):
        errors["media_type"] = [_("Give a media type of text, image, audio or video, e.g. image/png.")]
    elif system.generates_synthetic_content and media_type.split("/")[0] not in (
        system.synthetic_media or []
    ):
        errors["media_type"] = [
            _("The register lists this system's synthetic media as: %(media)s.")
            % {"media": ", ".join(system.synthetic_media or []) or "—"}
        ]
    if digital_source_type not in marks.DigitalSourceType.values:
        errors["digital_source_type"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(marks.DigitalSourceType.values)}
        ]
    if timezone.is_naive(generated_at):
        errors["generated_at"] = [_("Give the time with a time zone.")]
    elif generated_at > timezone.now() + CLOCK_SLACK:
        errors["generated_at"] = [_("This time is in the future.")]
    if errors:
        raise ValidationError(errors)


def _count_issued(system: AISystem) -> None:
    day = timezone.localdate()
    if LabelIssuanceDay.objects.filter(system=system, day=day).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            LabelIssuanceDay.objects.create(
                organization_id=system.organization_id, system=system, day=day, count=1
            )
    except IntegrityError:  # the first label of the day, signed twice at once
        LabelIssuanceDay.objects.filter(system=system, day=day).update(count=F("count") + 1)


@transaction.atomic
def label_sign(
    *,
    system: AISystem,
    content_sha256: str,
    media_type: str,
    generated_at: datetime.datetime,
    digital_source_type: str | None = None,
    membership=None,
) -> dict:
    """Sign a label for one synthetic result of `system` with its organization's active key, and
    count it for the system's evidence of marking (TR-02)."""
    content_sha256 = (content_sha256 or "").strip().lower()
    media_type = (media_type or "").strip().lower()
    digital_source_type = digital_source_type or marks.default_source_type(system)
    _check_sign_request(
        system=system,
        content_sha256=content_sha256,
        media_type=media_type,
        digital_source_type=digital_source_type,
        generated_at=generated_at,
    )
    key = signing_key_active(organization=system.organization, membership=membership)
    payload = {
        "v": marks.SCHEMA_VERSION,
        "ai_generated": True,
        "label_id": str(uuid.uuid4()),
        "content_sha256": content_sha256,
        "media_type": media_type,
        "digital_source_type": marks.iptc_uri(digital_source_type),
        "generated_at": _utc_iso(generated_at),
        "issued_at": _utc_iso(timezone.now()),
        "issuer": {
            "organization": system.organization.name,
            "system": marks.system_public_name(system, "ru"),
        },
        "key_id": key.key_id,
    }
    signature = _private_key(key).sign(canonical(payload))
    _count_issued(system)
    return {
        "schema": marks.schema_url(),
        "alg": "Ed25519",
        "key_id": key.key_id,
        "payload": payload,
        "signature": _b64url(signature),
    }


# -- verifying -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    """The answer of the public verification: valid or not, why, and who issued the label when."""

    valid: bool
    reason: str = ""
    organization: str = ""
    system: str = ""
    issued_at: datetime.datetime | None = None
    generated_at: datetime.datetime | None = None
    media_type: str = ""
    digital_source_type: str = ""
    key_id: str = ""
    key_retired: bool = False


def label_parse(text: str) -> dict:
    """A label from what a person or program pastes: its JSON, or the base64url `AI-Label` header."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"label": [_("Paste the label.")]})
    if len(text.encode("utf-8")) > MAX_LABEL_BYTES * 2:
        raise ValidationError({"label": [_("This is too long to be a label.")]})
    if not text.startswith("{"):
        try:
            text = _unb64url(text).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError) as error:
            raise ValidationError(
                {"label": [_("This is neither a label's JSON nor its header value.")]}
            ) from error
    try:
        label = json.loads(text)
    except ValueError as error:
        raise ValidationError(
            {"label": [_("This is neither a label's JSON nor its header value.")]}
        ) from error
    if not isinstance(label, dict):
        raise ValidationError({"label": [_("A label is a JSON object.")]})
    return label


def _invalid(reason: str) -> Verification:
    return Verification(valid=False, reason=reason)


def label_verify(label: dict, *, content_sha256: str = "") -> Verification:
    """Check a label's signature against the key it names, and (optionally) that it is the label of
    the content with this SHA-256. Keys are looked up across organizations: anyone may verify."""
    payload, key_id, signature = label.get("payload"), label.get("key_id"), label.get("signature")
    if not isinstance(payload, dict) or not isinstance(key_id, str) or not isinstance(signature, str):
        return _invalid(_("This is not a label: it needs a payload, a key id and a signature."))
    if label.get("alg") != "Ed25519":
        return _invalid(_("Unknown signature algorithm."))
    if payload.get("key_id") != key_id:
        return _invalid(_("The key id of the label and of its payload differ."))
    key = LabelSigningKey.objects.select_related("organization").filter(key_id=key_id).first()
    if key is None:
        return _invalid(_("No organization signs with this key."))
    try:
        raw_signature = _unb64url(signature)
        public = Ed25519PublicKey.from_public_bytes(_unb64url(key.public_key))
        public.verify(raw_signature, canonical(payload))
    except (InvalidSignature, binascii.Error, ValueError):
        return _invalid(_("The signature does not match: the label was changed or signed with another key."))
    if content_sha256 and content_sha256.strip().lower() != payload.get("content_sha256"):
        return _invalid(_("The label is genuine, but it is the label of other content."))
    issuer = payload.get("issuer") if isinstance(payload.get("issuer"), dict) else {}
    return Verification(
        valid=True,
        organization=key.organization.name,
        system=str(issuer.get("system", "")),
        issued_at=_parse_time(payload.get("issued_at")),
        generated_at=_parse_time(payload.get("generated_at")),
        media_type=str(payload.get("media_type", "")),
        digital_source_type=str(payload.get("digital_source_type", "")),
        key_id=key.key_id,
        key_retired=key.retired_at is not None,
    )


def _parse_time(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
