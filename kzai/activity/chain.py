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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils.translation import gettext as _

from kzai.activity.models import ActivityChainHead, ActivityRecord
from kzai.core.bulk import RawJSON


def _content_type_key(content_type_id) -> str:
    if content_type_id is None:
        return ""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def _dumps(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


# `_dumps` as one reusable C encoder (json.dumps builds a new encoder per call with these options,
# which costs more than the encoding of a record's changes); the pure-Python encoder otherwise.
_c_encoder = (
    json.encoder.c_make_encoder(None, str, json.encoder.encode_basestring, None, ":", ",", True, False, True)
    if json.encoder.c_make_encoder is not None
    else None
)


def _dumps_fast(value) -> str:
    if _c_encoder is None:
        return _dumps(value)
    return "".join(_c_encoder(value, 0))


_string = json.encoder.encode_basestring  # a JSON string as `_dumps` writes it (ensure_ascii off)


def _number(value) -> str:
    return "null" if value is None else str(int(value))


# Canonical JSON fragments shared by many records (see `hash_values`), by the values they hold.
_FRAGMENTS: dict[tuple, tuple[str, ...]] = {}


def hash_values(values: dict, previous_hash: str, *, timestamp: str, object_type: str, parent_type: str):
    """The hash of a record given as plain values (the columns of `ActivityRecord` by attribute
    name) chained to `previous_hash`, and the canonical JSON of its changes: the same hash as
    `compute_hash` gives the record once stored. `timestamp` is the UTC ISO time, `object_type` and
    `parent_type` the content types' "app.model" keys (computed once by the caller).

    Bulk writers hash hundreds of thousands of records: the canonical JSON of `compute_hash`'s
    content is spelled out here, key by key in sorted order, rather than built as a dict and
    serialised (tests/activity/test_chain.py holds the two to the same result)."""
    changes = values["changes"]
    if type(changes) is not RawJSON:  # else already the canonical JSON (see `RawJSON`)
        changes = _dumps_fast(changes)
    # The keys and the values a batch's records share (action, who, types, organization, request,
    # source, time) are spelled once, as the six fragments between the values that vary.
    key = (
        values["action"],
        values["actor_label"],
        object_type,
        values["organization_id"],
        parent_type,
        values["request_id"],
        values["source"],
        timestamp,
    )
    fragments = _FRAGMENTS.get(key)
    if fragments is None:
        if len(_FRAGMENTS) >= 256:
            _FRAGMENTS.clear()
        action, actor, object_type, organization, parent_type, request_id, source, timestamp = key
        fragments = _FRAGMENTS[key] = (
            '{"action":' + _string(action) + ',"actor":' + _string(actor) + ',"changes":',
            ',"object_type":' + _string(object_type) + ',"organization":' + _number(organization),
            ',"parent_type":' + _string(parent_type) + ',"previous":',
            ',"request_id":' + _string(request_id) + ',"sequence":',
            ',"source":' + _string(source) + ',"system":',
            ',"timestamp":' + _string(timestamp) + "}",
        )
    opening, object_type_on, parent_type_on, request_on, source_on, closing = fragments
    canonical = "".join(
        (
            opening,
            changes,
            ',"object_id":',
            _string(values["object_id"]),
            ',"object_repr":',
            _string(values["object_repr"]),
            object_type_on,
            ',"parent_id":',
            _string(values["parent_object_id"]),
            parent_type_on,
            _string(previous_hash),
            request_on,
            _number(values["sequence"]),
            source_on,
            _number(values["system_id"]),
            closing,
        )
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest(), changes


def _utc_iso(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(record: ActivityRecord, previous_hash: str) -> str:
    """The hash of `record` chained to `previous_hash`, from its stored content only."""
    content = {
        "organization": record.organization_id,
        "sequence": record.sequence,
        "timestamp": _utc_iso(record.timestamp),
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
    return hashlib.sha256(_dumps(content).encode("utf-8")).hexdigest()


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


# The columns a bulk writer gives for each record (`chain_append_rows`), by attribute name.
ROW_FIELDS = (
    "organization_id",
    "actor_id",
    "actor_label",
    "source",
    "request_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "parent_content_type_id",
    "parent_object_id",
    "changes",
    "system_id",
)
_PLAIN = ROW_FIELDS[:-2]  # all but the changes and the system, written after them
# The columns written once per batch and kind in a COPY line (see `chain_append_rows`): those
# before the object's id.
_LINE_HEAD = ROW_FIELDS.index("object_id")
assert ROW_FIELDS[_LINE_HEAD:-2] == ("object_id", "object_repr", "parent_content_type_id", "parent_object_id")
assert ROW_FIELDS[-2:] == ("changes", "system_id")
_WRITTEN = (*ROW_FIELDS, "timestamp", "sequence", "previous_hash", "record_hash")


def chain_append_rows(rows: Iterable[dict], *, organizations: set[int] | None = None) -> int:
    """Append records given as plain values (`ROW_FIELDS` of each) in order, for bulk work such as
    imports: each organization's head is locked once, the records are numbered, stamped with one
    time and hashed while they stream to the database (`kzai.core.bulk`), then the heads move on.

    `rows` may be a generator when the `organizations` of its records are given: each record is
    then made as the database asks for more, so making and storing them overlap. Returns how many
    records were written."""
    from django.db import connection
    from django.utils import timezone

    from kzai.core.bulk import _NULL, CopyLine, _copy_line, bulk_insert

    if organizations is None:
        rows = list(rows)
        organizations = {row["organization_id"] for row in rows}
    if not organizations:
        return 0
    written_count = [0]
    with transaction.atomic():
        heads = {
            head.pk: head
            for head in ActivityChainHead.objects.select_for_update().filter(
                organization_id__in=organizations
            )
        }
        for organization_id in organizations - set(heads):
            heads[organization_id], _created = ActivityChainHead.objects.select_for_update().get_or_create(
                organization_id=organization_id
            )
        now = timezone.now()
        stamp = _utc_iso(now)
        type_keys: dict = {}

        def type_key(content_type_id):
            if content_type_id not in type_keys:
                type_keys[content_type_id] = _content_type_key(content_type_id)
            return type_keys[content_type_id]

        # On PostgreSQL each record goes to COPY as its line of text, most of it made once: the
        # columns before the object (organization, who, source, request, action, object type) are
        # the same for a batch's records of one kind, and the time for all. Per record only the
        # object, parent, changes, system, sequence and hashes are written in; a record whose texts
        # need escaping goes through `_copy_line` like any row.
        as_lines = connection.vendor == "postgresql"
        heads_of_lines: dict = {}
        tail = "\t" + _copy_line((now,))[:-1] + "\t"

        def written():
            for row in rows:
                head = heads[row["organization_id"]]
                row["sequence"] = sequence = head.last_sequence + 1
                previous = head.last_hash
                record_hash, changes = hash_values(
                    row,
                    previous,
                    timestamp=stamp,
                    object_type=type_key(row["content_type_id"]),
                    parent_type=type_key(row["parent_content_type_id"]),
                )
                head.last_sequence, head.last_hash = sequence, record_hash
                written_count[0] += 1
                if as_lines:
                    plain = tuple([row[name] for name in _PLAIN[:_LINE_HEAD]])
                    head_text = heads_of_lines.get(plain)
                    if head_text is None:
                        head_text = heads_of_lines[plain] = _copy_line(plain)[:-1] + "\t"
                    parent_type, system_id = row["parent_content_type_id"], row["system_id"]
                    middle = "\t".join(
                        (
                            row["object_id"],
                            row["object_repr"],
                            _NULL if parent_type is None else str(parent_type),
                            row["parent_object_id"],
                            changes,
                            _NULL if system_id is None else str(system_id),
                        )
                    )
                    if (
                        middle.count("\t") == 5
                        and "\\" not in middle
                        and "\n" not in middle
                        and "\r" not in middle
                        and middle.count(_NULL) == (parent_type is None) + (system_id is None)
                    ):
                        yield CopyLine(f"{head_text}{middle}{tail}{sequence}\t{previous}\t{record_hash}\n")
                        continue
                # The changes as the JSON just hashed (COPY stores it as it is).
                yield (*[row[name] for name in _PLAIN], RawJSON(changes), row["system_id"]) + (
                    now,
                    sequence,
                    previous,
                    record_hash,
                )

        bulk_insert(ActivityRecord, _WRITTEN, written())
        for head in heads.values():
            ActivityChainHead.objects.filter(pk=head.pk).update(
                last_sequence=head.last_sequence, last_hash=head.last_hash
            )
    return written_count[0]


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
