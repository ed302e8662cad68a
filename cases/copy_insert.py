"""Many new rows of one model in one PostgreSQL COPY, for the demo seed at a million cases,
and the load settled after (load_settle).

Each value goes through its field as for a save (pre_save, then get_db_prep_save), so
encrypted fields are encrypted, auto_now_add dates set and choices stored as they are; the
primary keys are taken from the table's sequence first and set on the objects, as
bulk_create would. Elsewhere (SQLite, for `make run`) it is bulk_create.
"""

import io
from datetime import date, datetime, time

from django.db import connection
from django.db.models import DateField, Field
from psycopg2.extras import Json

# COPY's text format: a tab between columns, \N for NULL, these escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_insert(model, objs: list) -> list:
    """Insert `objs` (unsaved instances of `model`) and return them with their pks."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs, batch_size=500)
    table = model._meta.db_table
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = value
    fields = model._meta.concrete_fields
    defaults = _defaults(model, fields)
    buffer = io.StringIO()
    for obj in objs:
        values = obj.__dict__
        buffer.write("\t".join(
            default[1] if default is not None and values.get(field.attname, _UNSET) == default[0]
            else _text(field.get_db_prep_save(field.pre_save(obj, True), connection))
            for field, default in zip(fields, defaults, strict=True)
        ))  # fmt: skip
        buffer.write("\n")
        obj._state.adding, obj._state.db = False, connection.alias
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN", buffer
        )
    return objs


_UNSET = object()


def _defaults(model, fields) -> list:
    """Per field, (a new instance's value, its COPY text), or None where each object's own
    value must go through the field (dates set on save, the pk, fields with their own
    pre_save). A client row has some 250 columns, most of them left at their default: their
    text is worked out once, not once per row."""
    blank = model()
    defaults = []
    for field in fields:
        set_on_save = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        # A date field's pre_save only sets auto_now dates; a country field's its own.
        own = type(field).pre_save is not Field.pre_save and not isinstance(field, DateField)
        if field.primary_key or set_on_save or own or field.attname not in blank.__dict__:
            defaults.append(None)
            continue
        value = blank.__dict__[field.attname]
        defaults.append((value, _text(field.get_db_prep_save(value, connection))))
    return defaults


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, Json):
        value = value.dumps(value.adapted)
    elif isinstance(value, datetime | date | time):
        return value.isoformat()
    elif isinstance(value, bytes | memoryview):
        return "\\\\x" + bytes(value).hex()
    return str(value).translate(_ESCAPES)


# Every GIN index of the schema (the names' trigram indexes): rows inserted go to its pending
# list first, which every search reads through in full and the planner counts against the
# index, so after a bulk load a name search read every client rather than the index (at
# 10k, 31 ms against 1.6 ms). VACUUM or autovacuum merges them in; this does it in a
# transaction.
GIN_MERGE_SQL = """
SELECT gin_clean_pending_list(idx.oid) FROM pg_class idx JOIN pg_am am ON am.oid = idx.relam
WHERE am.amname = 'gin' AND idx.relnamespace = current_schema()::regnamespace
"""


def load_settle() -> None:
    """After a bulk load (PostgreSQL): what autovacuum would do within minutes, now, so the
    first pages after it are planned on what was loaded: the GIN pending lists merged into
    their indexes, then ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(GIN_MERGE_SQL)
        cursor.execute("ANALYZE")
