"""Writing many plain rows at once: PostgreSQL's COPY, or `bulk_create` elsewhere (SQLite).

An import writes hundreds of thousands of rows (obligations, their deadlines, their activity
records). Building a model instance, validating it and letting `bulk_create` compile its parameters
costs far more than the database's own work, so bulk services build plain rows (values by column,
already validated where they came from) and hand them here. On PostgreSQL the rows are streamed to
`COPY … FROM STDIN` from a file-like object that encodes them as the server asks for more, so the
Python that makes the rows and the server that stores them run at the same time. Other databases
get the same rows through `bulk_create`.

Like `bulk_create`, nothing here sends signals: callers record the activity log themselves
(`kzai.activity.services.activity_rows_write`) and forget what they cached.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import functools
import gc
import io
import json
import uuid
from collections.abc import Iterable, Sequence

from django.db import connection

# COPY's text format: tab-separated columns, backslash escapes in values, and NULL written as a
# byte no escaped value holds (it is escaped as \x01 where a text has it), so that a row whose texts
# need no escaping (nearly all) is checked once as a whole instead of value by value.
_NULL = "\x01"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", _NULL: "\\x01"})


def _json(value) -> str:
    if not value:
        return "{}" if type(value) is dict else "[]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class RawJSON(str):
    """A JSON document already serialised (e.g. while hashing it): written as it is. Given as a
    record's changes to `kzai.activity.chain.hash_values`, it must be their canonical JSON (sorted
    keys, compact, as `chain._dumps_fast` writes it): it is hashed as it is."""


# Each type's text before escaping (a str is its own text).
_ENCODERS = {
    str: str,
    RawJSON: str,
    int: str,
    # Bound methods of dicts rather than lambdas: no Python frame per value.
    bool: {True: "t", False: "f"}.__getitem__,
    type(None): {None: _NULL}.__getitem__,
    float: repr,
    decimal.Decimal: str,
    uuid.UUID: str,
    # Rows written together share a few dates and times (`now`, due dates): each is spelled once.
    datetime.date: functools.lru_cache(maxsize=1024)(datetime.date.isoformat),
    # Aware: the offset is written, UTC kept.
    datetime.datetime: functools.lru_cache(maxsize=1024)(datetime.datetime.isoformat),
    dict: _json,
    list: _json,
}


def _plain(value):
    """A value as a model field takes it (serialised JSON back to its object)."""
    return json.loads(value) if type(value) is RawJSON else value


def _encoder(kind):
    """The encoder of `kind`, or of its nearest base (a choices enum is a str), remembered."""
    base = next((t for t in kind.__mro__ if t in _ENCODERS), None)
    if base is None:
        raise TypeError(f"Cannot write a {kind.__name__} value with COPY.")
    _ENCODERS[kind] = _ENCODERS[base]
    return _ENCODERS[kind]


def _copy_line(row: Sequence, encoders=_ENCODERS) -> str:
    try:
        parts = [value if type(value) is str else encoders[type(value)](value) for value in row]
    except KeyError:
        parts = [(encoders.get(type(value)) or _encoder(type(value)))(value) for value in row]
    line = "\t".join(parts)
    # Escaping is needed only where a text holds a tab, a line break, a backslash or the NULL byte.
    if (
        line.count("\t") != len(parts) - 1
        or "\\" in line
        or "\n" in line
        or "\r" in line
        or (_NULL in line and line.count(_NULL) != row.count(None))
    ):
        line = "\t".join(
            _NULL if value is None else part.translate(_COPY_ESCAPES)
            for value, part in zip(row, parts, strict=True)
        )
    return line + "\n"


class CopyLine(str):
    """A row already written as its COPY line (ending in a line break), by a caller that knows
    which of its values need escaping: streamed as it is."""


class _RowStream(io.TextIOBase):
    """A file whose `read` encodes the next rows as COPY text: the rows are made on demand."""

    def __init__(self, rows: Iterable[Sequence]):
        self._rows = iter(rows)
        self._pending = ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        parts, length = [self._pending], len(self._pending)
        for row in self._rows:
            line = row if type(row) is CopyLine else _copy_line(row)
            parts.append(line)
            length += len(line)
            if 0 < size <= length:
                break
        text = "".join(parts)
        if size > 0 and len(text) > size:
            text, self._pending = text[:size], text[size:]
        else:
            self._pending = ""
        return text

    readline = read


@contextlib.contextmanager
def collection_paused():
    """Pause Python's cyclic garbage collector while a bulk write builds its rows.

    Hundreds of thousands of new rows, dicts and lists set off a collection every few hundred
    allocations, each walking every object alive (the rows themselves): a large share of the time
    for nothing, since rows form no cycles. Their memory is freed by reference counting as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def allocate_ids(model, count: int) -> list[int]:
    """`count` new primary keys of `model`'s table, in increasing order, taken from its identity
    sequence as single inserts would take them (PostgreSQL only: elsewhere the insert assigns them)."""
    if count <= 0:
        return []
    # One row holding every id as text: returned row by row, 270,000 ids took a second of
    # round trips and row decoding; as one string they are split and parsed in ~30 ms. nextval
    # stays safe with concurrent writers (each id is taken once, whatever else takes them).
    # The sequence is named as a constant: `nextval(pg_get_serial_sequence(…))` looked the
    # sequence up again for every id (3 µs an id, 0.9 CPU s of the server for 10,000 systems;
    # 0.4 µs named).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(nextval(%s::regclass)::text, ',') FROM generate_series(1, %s)",
            [_sequence_of(cursor, model._meta.db_table, model._meta.pk.column), count],
        )
        return sorted(map(int, cursor.fetchone()[0].split(",")))


_SEQUENCES: dict[tuple, str] = {}


def _sequence_of(cursor, table: str, column: str) -> str:
    """The name of the sequence behind `table.column`, looked up once per database and process."""
    key = (connection.settings_dict["NAME"], table, column)
    if key not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        _SEQUENCES[key] = cursor.fetchone()[0]
    return _SEQUENCES[key]


def _copy(cursor, sql: str, stream: _RowStream) -> None:
    """Run COPY through the connection's execute wrappers, like any statement (so that whatever
    counts or times the statements sees it too)."""
    raw = cursor.cursor

    def execute(sql, params, many, context):
        if hasattr(raw, "copy_expert"):  # psycopg2
            return raw.copy_expert(sql, stream, size=1 << 16)
        with raw.copy(sql) as copy:  # psycopg 3
            while chunk := stream.read(1 << 16):
                copy.write(chunk)

    executor = execute
    for wrapper in reversed(connection.execute_wrappers):
        executor = functools.partial(wrapper, executor)
    executor(sql, None, False, {"connection": connection, "cursor": cursor})


def bulk_insert(
    model, fields: Sequence[str], rows: Iterable[Sequence], *, return_ids: bool = False
) -> list[int] | None:
    """Insert `rows` (tuples of plain values in the order of `fields`, attribute names such as
    `system_id`) into `model`'s table. Values must already be valid: nothing is cleaned here.

    With `return_ids`, `rows` must be a sequence and the new primary keys are returned in the
    rows' order (on PostgreSQL they are taken from the table's sequence before the COPY).
    """
    meta = model._meta
    if connection.vendor != "postgresql":
        objects = [
            model(**{name: _plain(value) for name, value in zip(fields, row, strict=True)}) for row in rows
        ]
        model.objects.bulk_create(objects, batch_size=500)
        return [obj.pk for obj in objects] if return_ids else None
    columns = [meta.get_field(name).column if name != "pk" else meta.pk.column for name in fields]
    if return_ids:
        rows = list(rows) if not isinstance(rows, Sequence) else rows
        ids = allocate_ids(model, len(rows))
        columns = [meta.pk.column, *columns]
        rows_to_write = ((pk, *row) for pk, row in zip(ids, rows, strict=True))
    else:
        ids, rows_to_write = None, rows
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({quoted}) FROM STDIN WITH (NULL E'\\x01')"
    stream = _RowStream(rows_to_write)
    with connection.cursor() as cursor:
        _copy(cursor, sql, stream)
    return ids


def bulk_create_instances(model, objects: list) -> None:
    """`model.objects.bulk_create(objects)` for new instances already validated (`full_clean`),
    giving each its primary key: on PostgreSQL by COPY, ids taken from the table's sequence first.

    What `bulk_create` does besides the insert is done here too: `auto_now`/`auto_now_add` fields
    are stamped (their `pre_save`), and each instance is marked saved in the default database. As
    with `bulk_create`, no signal is sent. The values are written as the instances hold them, so
    a field whose value needs conversion to reach the database (beyond the types COPY here
    encodes) is refused by `_encoder` rather than written wrongly.
    """
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=500)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    stamped = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for obj in objects:
        for field in stamped:
            field.pre_save(obj, add=True)
    attnames = [field.attname for field in fields]
    ids = bulk_insert(
        model,
        attnames,
        [tuple([obj.__dict__[name] for name in attnames]) for obj in objects],
        return_ids=True,
    )
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
