"""Staff exports of the dashboard's filtered case list, as CSV or XLSX.

One queryset for both formats and both databases: the dashboard's FilterSet narrows it and
`export_values` adds the columns as SQL expressions. On PostgreSQL the CSV comes straight
from `COPY (<that query>) TO STDOUT WITH CSV`; elsewhere the same rows are written by the
csv module with the same quoting. Nothing holds the whole list in memory.

Spreadsheet safety: a value a client typed that starts like a formula (=, +, -, @, tab,
carriage return) gets a leading apostrophe, in SQL, so both formats carry the same text.
"""

import codecs
import csv
import queue
import tempfile
import threading
from datetime import date

from django.db import connection, connections
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, TruncDate

from .family import CHILDREN, MARRIAGE_ENDED, UNMARRIED
from .models import Deadline, DeadlineStatus, Entry, FamilyMember
from .timezones import today

FORMULA_START = r"^[=+\-@\t\r]"
CHUNK = 64 * 1024

# (header, value name) in the order of the file.
COLUMNS = [
    ("reference", "x_reference"),
    ("stage", "x_stage"),
    ("triage_level", "x_priority"),
    ("assigned_attorney", "x_attorney"),
    ("family_name", "x_family_name"),
    ("given_names", "x_given_names"),
    ("family_name_native", "x_family_name_native"),
    ("given_names_native", "x_given_names_native"),
    ("date_of_birth", "x_date_of_birth"),
    ("nationality", "x_nationality"),
    ("preferred_language", "x_language"),
    ("phone", "x_phone"),
    ("email", "x_email"),
    ("last_arrival", "x_last_arrival"),
    ("one_year_deadline", "x_one_year"),
    ("next_hearing", "x_next_hearing"),
    ("next_deadline", "x_next_deadline"),
    ("next_deadline_kind", "x_next_deadline_kind"),
    ("family_members", "x_family"),
    ("derivatives", "x_derivatives"),
    ("created", "x_created"),
    ("updated", "x_updated"),
]
HEADER = [header for header, _name in COLUMNS]


def safe_text(field: str):
    """A client's text, neutralised if a spreadsheet would run it; '' becomes NULL so both
    CSV writers print an empty field the same way."""
    value = NullIf(F(field), Value(""))
    return SqlCase(
        When(**{f"{field}__regex": FORMULA_START}, then=Concat(Value("'"), value)),
        default=value,
        output_field=CharField(),
    )


def _case_columns() -> dict:
    """The columns read from the case itself, its client and its attorney."""
    return {
        "x_reference": F("reference"),
        "x_stage": F("stage"),
        "x_priority": F("priority"),
        "x_attorney": NullIf(F("assigned_attorney__username"), Value("")),
        "x_family_name": safe_text("client__family_name"),
        "x_given_names": safe_text("client__given_names"),
        "x_family_name_native": safe_text("client__family_name_native"),
        "x_given_names_native": safe_text("client__given_names_native"),
        "x_date_of_birth": F("client__date_of_birth"),
        # Plain text, not the fields' Python types (Country, PhoneNumber).
        "x_nationality": Cast("client__nationality", CharField()),
        "x_language": F("client__preferred_language"),
        "x_phone": Cast(NullIf(F("client__phone"), Value("")), CharField()),
        "x_email": safe_text("client__email"),
        "x_next_deadline": F("next_deadline_date"),
        "x_next_deadline_kind": NullIf(F("next_deadline_kind"), Value("")),
        "x_created": TruncDate("created_at"),
        "x_updated": TruncDate("updated_at"),
    }


def _related_columns(on: date) -> dict:
    """The columns from other tables: correlated subqueries, each an aggregate over an index
    (no sorts, no LIMIT)."""
    open_hearings = Deadline.objects.filter(
        case=OuterRef("pk"), kind="hearing", status=DeadlineStatus.OPEN
    ).order_by().values("case_id")
    one_year = Deadline.objects.filter(
        case=OuterRef("pk"), kind="one_year", computed=True
    ).order_by()
    entries = Entry.objects.filter(client=OuterRef("client_id")).order_by().values("client_id")
    family = FamilyMember.objects.filter(client=OuterRef("client_id")).order_by().values(
        "client_id"
    )
    # The same rule as cases.family.derivative_eligible, as SQL: a child's age taken on the
    # filing date once filed; a spouse only while the client's own answer keeps them married.
    eligible = Q(in_united_states=True) & (
        (
            Q(relationship="spouse")
            & ~Q(marital_status__in=MARRIAGE_ENDED)
            & ~Q(client__marital_status__in=MARRIAGE_ENDED)
        )
        | Q(
            relationship__in=CHILDREN,
            qualifies_as_child=True,
            marital_status__in=UNMARRIED,
            turns_21_on__gt=Coalesce(F("client__claim__filed_on"), Value(on)),
        )
    )
    return {
        "x_last_arrival": Subquery(entries.annotate(last=Max("date")).values("last")),
        "x_one_year": Subquery(one_year.values("due_date")),
        "x_next_hearing": Subquery(open_hearings.annotate(first=Min("due_date")).values("first")),
        "x_family": Coalesce(
            Subquery(family.annotate(n=Count("pk")).values("n")), 0,
            output_field=IntegerField(),
        ),
        "x_derivatives": Coalesce(
            Subquery(family.filter(eligible).annotate(n=Count("pk")).values("n")), 0,
            output_field=IntegerField(),
        ),
    }  # fmt: skip


def export_values(queryset):
    """The filtered cases with the export's columns, as SQL, in file order."""
    columns = {**_case_columns(), **_related_columns(today())}
    names = [name for _h, name in COLUMNS]
    # Annotated in file order too: COPY writes the SELECT's columns as they stand.
    annotations = {name: columns[name] for name in names}
    return queryset.annotate(**annotations).values_list(*names)


class _Lines:
    """A file for csv.writer that hands back what was written."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_chunks(values, *, use_copy: bool | None = None):
    """UTF-8 with a BOM (so Excel reads Cyrillic right), header first, then the rows."""
    out = _Lines()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    yield codecs.BOM_UTF8 + out.take().encode()
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if use_copy:
        yield from _copy_chunks(values)
        return
    for row in values.iterator(chunk_size=2000):
        writer.writerow([_cell(v) for v in row])
        if len(out.parts) >= 500:
            yield out.take().encode()
    yield out.take().encode()


class _QueueFile:
    def __init__(self, chunks: queue.Queue):
        self.chunks = chunks

    def write(self, data):
        self.chunks.put(bytes(data))


def _copy_chunks(values):
    """PostgreSQL writes the CSV itself; a thread feeds it to the response as it comes."""
    sql, params = values.query.sql_with_params()
    chunks: queue.Queue = queue.Queue(maxsize=64)  # back-pressure: memory stays flat
    done = object()
    failure = []

    def copy():
        conn = connections.create_connection("default")
        try:
            with conn.cursor() as cursor:
                # One long scan: compiling it (JIT) costs more than it saves.
                cursor.execute("SET jit = off")
                statement = cursor.mogrify(sql, params).decode()
                cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH CSV", _QueueFile(chunks),
                                   size=CHUNK)  # fmt: skip
        except Exception as error:  # noqa: BLE001 - re-raised in the response's thread
            failure.append(error)
        finally:
            conn.close()
            chunks.put(done)

    worker = threading.Thread(target=copy, daemon=True)
    worker.start()
    while (chunk := chunks.get()) is not done:
        yield chunk
    worker.join()
    if failure:
        raise failure[0]


def xlsx_file(values):
    """An XLSX workbook written row by row (openpyxl write-only) into a temporary file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cases")
    sheet.append(HEADER)

    def cell(value):
        if isinstance(value, str):
            # Always text, never a formula; control characters XML cannot hold are dropped.
            text = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            text.data_type = "s"
            return text
        if isinstance(value, date):
            day = WriteOnlyCell(sheet, value=value)
            day.number_format = "yyyy-mm-dd"
            return day
        return value

    for row in values.iterator(chunk_size=2000):
        sheet.append([cell(v) for v in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


def file_chunks(handle):
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk



