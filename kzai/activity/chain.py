"""The per-organization hash chain over the activity log.

Each record's hash is SHA-256 over its content (organization, sequence, time, who, source, request,
action, object, parent, system, changes) and the previous record's hash, as canonical JSON. Records are
appended under a row lock on the organization's `ActivityChainHead`, so concurrent writers queue up
instead of forking the chain. `chain_verify` recomputes an organization's chain and names the first
record where it breaks: an altered record (its hash no longer matches), a deleted one (a gap in the
sequence or a previous-hash mismatch) or a record inserted outside the writer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils.translation import gettext as _

from kzai.activity.models import ActivityChainHead, ActivityRecord


def _content_type_key(content_type_id) -> str:
    if content_type_id is None:
        return ""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def compute_hash(record: ActivityRecord, previous_hash: str) -> str:
    """The hash of `record` chained to `previous_hash`, from its stored content only."""
    content = {
        "organization": record.organization_id,
        "sequence": record.sequence,
        "timestamp": record.timestamp.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": record.actor_label,
        "source": record.source,
        "request_id": record.request_id,
        "action": record.action,
        "object_type": _content_type_key(record.content_type_id),
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "parent_type": _content_type_key(record.parent_content_type_id),
        "parent_id": record.parent_object_id,
        "system": record.system_id,
        "changes": record.changes,
        "previous": previous_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_append(record: ActivityRecord) -> ActivityRecord:
    """Give `record` (not yet saved) its place at the end of its organization's chain and save it."""
    with transaction.atomic():
        head, _created = ActivityChainHead.objects.select_for_update().get_or_create(
            organization_id=record.organization_id
        )
        record.sequence = head.last_sequence + 1
        record.previous_hash = head.last_hash
        record.record_hash = compute_hash(record, head.last_hash)
        record.save()
        ActivityChainHead.objects.filter(pk=head.pk).update(
            last_sequence=record.sequence, last_hash=record.record_hash
        )
    return record


def chain_append_many(records: list[ActivityRecord]) -> list[ActivityRecord]:
    """Append unsaved records in order with one insert: each organization's head is locked once, the
    records are numbered and hashed in memory, then written together (for bulk work such as imports)."""
    if not records:
        return []
    with transaction.atomic():
        heads = {
            head.pk: head
            for head in ActivityChainHead.objects.select_for_update().filter(
                organization_id__in={r.organization_id for r in records}
            )
        }
        for organization_id in {r.organization_id for r in records} - set(heads):
            heads[organization_id], _created = ActivityChainHead.objects.select_for_update().get_or_create(
                organization_id=organization_id
            )
        for record in records:
            head = heads[record.organization_id]
            record.sequence = head.last_sequence + 1
            record.previous_hash = head.last_hash
            record.record_hash = compute_hash(record, head.last_hash)
            head.last_sequence, head.last_hash = record.sequence, record.record_hash
        created = ActivityRecord.objects.bulk_create(records, batch_size=1000)
        for head in heads.values():
            ActivityChainHead.objects.filter(pk=head.pk).update(
                last_sequence=head.last_sequence, last_hash=head.last_hash
            )
    return created


@dataclass
class ChainReport:
    """The outcome of verifying one organization's chain."""

    checked: int
    broken_at: int | None = None  # the sequence number where the chain first breaks
    record_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def chain_verify(organization_id: int, *, chunk_size: int = 2000) -> ChainReport:
    """Recompute the organization's chain from its first record to the head; stop at the first break."""
    previous_hash, expected_sequence, checked = "", 1, 0
    records = (
        ActivityRecord.objects.filter(organization_id=organization_id)
        .order_by("sequence")
        .iterator(chunk_size=chunk_size)
    )
    for record in records:
        if record.sequence != expected_sequence:
            return ChainReport(
                checked,
                expected_sequence,
                record.pk,
                _("Record %(expected)s is missing: the next record found is number %(found)s.")
                % {"expected": expected_sequence, "found": record.sequence},
            )
        if record.previous_hash != previous_hash:
            return ChainReport(
                checked,
                record.sequence,
                record.pk,
                _("Record %(n)s does not follow the record before it (its previous hash differs).")
                % {"n": record.sequence},
            )
        if compute_hash(record, previous_hash) != record.record_hash:
            return ChainReport(
                checked,
                record.sequence,
                record.pk,
                _("Record %(n)s was altered after it was written (its content no longer matches its hash).")
                % {"n": record.sequence},
            )
        previous_hash, expected_sequence, checked = record.record_hash, expected_sequence + 1, checked + 1
    head = ActivityChainHead.objects.filter(organization_id=organization_id).first()
    if head is not None and (head.last_sequence, head.last_hash) != (expected_sequence - 1, previous_hash):
        return ChainReport(
            checked,
            expected_sequence,
            None,
            _("The last %(n)s record(s) of the chain are missing.")
            % {"n": head.last_sequence - (expected_sequence - 1)},
        )
    return ChainReport(checked)
