"""Staff exports of the dashboard's filtered case list, as CSV or XLSX.

One queryset for both formats and both databases: the dashboard's FilterSet narrows it and
`export_values` adds the columns as SQL expressions. On PostgreSQL the CSV comes straight
from `COPY (<that query>) TO STDOUT WITH CSV`; elsewhere the same rows are written by the
csv module with the same quoting. Nothing holds the whole list in memory.

A paralegal reads the file: headers and values are English words (stage, level, language,
country, deadline kind), dates ISO 8601; the codes a system matches on come once more in
`*_code` columns at the end. The words are SQL CASE expressions too, so COPY writes them.

Spreadsheet safety: a value a client typed that starts like a formula (=, +, -, @, tab,
carriage return) gets a leading apostrophe, in SQL, so both formats carry the same text.
"""

import codecs
import csv
import queue
import re
import tempfile
import threading
from datetime import date

from django.db import connection, connections
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    DateField,
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
from django.utils import translation
from django_countries import countries

from .choices import Language
from .family import CHILDREN, MARRIAGE_ENDED, UNMARRIED
from .filters import nationality_choices
from .models import (
    AsylumClaim,
    Court,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    Entry,
    FamilyMember,
    Priority,
    Stage,
)
from .timezones import today

FORMULA_START = r"^[=+\-@\t\r]"
CHUNK = 64 * 1024

# (header, value name, XLSX column width in characters) in the order of the file.
COLUMNS = [
    ("Reference", "x_reference", 16),
    ("Stage", "x_stage", 22),
    ("Triage level", "x_priority", 12),
    ("Attorney", "x_attorney", 16),
    ("Family name", "x_family_name", 20),
    ("Given names", "x_given_names", 20),
    ("Family name (native script)", "x_family_name_native", 20),
    ("Given names (native script)", "x_given_names_native", 20),
    ("Date of birth", "x_date_of_birth", 12),
    ("Nationality", "x_nationality", 18),
    ("Preferred language", "x_language", 12),
    ("Phone", "x_phone", 16),
    ("E-mail", "x_email", 28),
    ("Last arrival", "x_last_arrival", 12),
    ("One-year deadline", "x_one_year", 12),
    ("Filing date", "x_filed_on", 12),
    ("Detained", "x_detained", 9),
    ("Hearing court", "x_court", 28),
    ("Next hearing", "x_next_hearing", 12),
    ("Next deadline", "x_next_deadline", 12),
    ("Next deadline kind", "x_next_deadline_kind", 26),
    ("Family members", "x_family", 9),
    ("Derivatives", "x_derivatives", 9),
    ("Created", "x_created", 12),
    ("Updated", "x_updated", 12),
    # The codes, for a system that matches on them (a spreadsheet lookup, an import).
    ("stage_code", "x_stage_code", 12),
    ("triage_level_code", "x_priority_code", 10),
    ("nationality_code", "x_nationality_code", 8),
    ("language_code", "x_language_code", 8),
    ("next_deadline_kind_code", "x_next_deadline_kind_code", 14),
]
HEADER = [header for header, _name, _width in COLUMNS]


def safe_text(field: str):
    """A client's text, neutralised if a spreadsheet would run it; '' becomes NULL so both
    CSV writers print an empty field the same way."""
    value = NullIf(F(field), Value(""))
    return SqlCase(
        When(**{f"{field}__regex": FORMULA_START}, then=Concat(Value("'"), value)),
        default=value,
        output_field=CharField(),
    )


def words(field: str, labels):
    """A code as its English label, in SQL; a code with no label stays as it is, and an
    empty one is empty (NULL)."""
    with translation.override("en"):
        whens = [When(**{field: code}, then=Value(str(label))) for code, label in labels if code]
    return SqlCase(*whens, default=NullIf(Cast(field, CharField()), Value("")),
                   output_field=CharField())  # fmt: skip


def _present_countries():
    """(code, English name) of the nationalities on file: a few dozen WHENs per row, not
    the world's 250 (the dashboard's filter reads the same cached list)."""
    with translation.override("en"):
        return [(code, str(countries.name(code))) for code, _name in nationality_choices()]


def _case_columns() -> dict:
    """The columns read from the case itself, its client, claim, court and attorney."""
    return {
        "x_reference": F("reference"),
        "x_stage": words("stage", Stage.choices),
        "x_priority": words("priority", Priority.choices),
        "x_attorney": NullIf(F("assigned_attorney__username"), Value("")),
        "x_family_name": safe_text("client__family_name"),
        "x_given_names": safe_text("client__given_names"),
        "x_family_name_native": safe_text("client__family_name_native"),
        "x_given_names_native": safe_text("client__given_names_native"),
        "x_date_of_birth": F("client__date_of_birth"),
        "x_nationality": words("client__nationality", _present_countries()),
        "x_language": words("client__preferred_language", Language.choices),
        # Plain text, not the fields' Python types (Country, PhoneNumber).
        "x_phone": Cast(NullIf(F("client__phone"), Value("")), CharField()),
        "x_email": safe_text("client__email"),
        # A lookup by a unique index per row, not a join: a join's plan depends on the
        # planner's statistics, which are stale right after a bulk load.
        "x_filed_on": Subquery(
            AsylumClaim.objects.filter(client_id=OuterRef("client_id")).values("filed_on")
        ),
        "x_detained": SqlCase(When(client__detained=True, then=Value("Yes")),
                              default=Value("No"), output_field=CharField()),  # fmt: skip
        "x_court": Subquery(
            Court.objects.filter(pk=OuterRef("client__hearing_court_id"))
            .annotate(safe=safe_text("name")).values("safe")
        ),
        "x_next_deadline": F("next_deadline_date"),
        "x_next_deadline_kind": words("next_deadline_kind", DeadlineKind.choices),
        "x_created": TruncDate("created_at"),
        "x_updated": TruncDate("updated_at"),
        "x_stage_code": F("stage"),
        "x_priority_code": F("priority"),
        "x_nationality_code": NullIf(Cast("client__nationality", CharField()), Value("")),
        "x_language_code": F("client__preferred_language"),
        "x_next_deadline_kind_code": NullIf(F("next_deadline_kind"), Value("")),
    }


def _related_columns(on: date) -> dict:
    """The columns from other tables: correlated subqueries, each an aggregate over an index
    (no sorts, no LIMIT)."""
    # Only the case's own deadlines are looked up (a handful), the kind and status checked
    # among them: a condition on status would let a planner with stale statistics AND in
    # the index of every open deadline, for each row.
    open_hearing = SqlCase(When(kind="hearing", status=DeadlineStatus.OPEN, then=F("due_date")))
    deadlines = Deadline.objects.filter(case=OuterRef("pk")).order_by().values("case_id")
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
        "x_next_hearing": Subquery(deadlines.annotate(first=Min(open_hearing)).values("first")),
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
    names = [name for _h, name, _w in COLUMNS]
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
    def __init__(self, put):
        self.put = put

    def write(self, data):
        self.put(bytes(data))


def _on_own_connection(produce, *, maxsize: int):
    """What `produce(cursor, put)` puts, yielded here as it comes: it reads on a connection
    of its own, in a thread, so PostgreSQL works on the next rows while this thread writes
    the last ones (two processes, two cores). The bounded queue is back-pressure: memory
    stays flat. Its error is raised here."""
    items: queue.Queue = queue.Queue(maxsize=maxsize)
    done = object()
    failure = []

    def read():
        conn = connections.create_connection("default")
        try:
            conn.ensure_connection()
            # psycopg2's own cursor: under DEBUG Django wraps cursors in CursorDebugWrapper,
            # whose copy_expert takes no `size` (the file came out as its header alone).
            with conn.connection.cursor() as cursor:
                # One long scan: compiling it (JIT) costs more than it saves.
                cursor.execute("SET jit = off")
                cursor.execute("SET DateStyle = 'ISO, YMD'")  # ISO dates whatever the server
                produce(cursor, items.put)
        except Exception as error:  # noqa: BLE001 - re-raised in the reader's thread
            failure.append(error)
        finally:
            conn.close()
            items.put(done)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    while (item := items.get()) is not done:
        yield item
    worker.join()
    if failure:
        raise failure[0]


def _copy_chunks(values):
    """PostgreSQL writes the CSV itself; a thread feeds it to the response as it comes."""
    sql, params = values.query.sql_with_params()

    def copy(cursor, put):
        statement = cursor.mogrify(sql, params).decode()
        cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH CSV", _QueueFile(put),
                           size=CHUNK)  # fmt: skip

    return _on_own_connection(copy, maxsize=64)


ROWS_BATCH = 2000


def export_rows(values):
    """The export's rows as tuples. On PostgreSQL the very statement COPY writes for the CSV,
    read by a server-side cursor in batches (no model or converter machinery: psycopg2
    already gives dates as dates and counts as ints); elsewhere the queryset's iterator."""
    if connection.vendor != "postgresql":
        yield from values.iterator(chunk_size=ROWS_BATCH)
        return
    sql, params = values.query.sql_with_params()

    def fetch(cursor, put):
        # A named cursor streams only inside a transaction (in autocommit it would be held,
        # the whole result computed before the first row); this connection is ours alone.
        cursor.connection.autocommit = False
        with cursor.connection.cursor(name="export_rows") as rows:
            rows.itersize = ROWS_BATCH
            rows.execute(sql, params)
            while batch := rows.fetchmany(ROWS_BATCH):
                put(batch)
        cursor.connection.rollback()

    for batch in _on_own_connection(fetch, maxsize=4):  # a few batches: a few MB at most
        yield from batch


class CsvRecords:
    """Counts the records in CSV bytes as they pass: a line feed ends one unless it is
    inside quotes (a client's address or name may hold one). A chunk without a quote, the
    usual case, is one count() in C."""

    def __init__(self):
        self.lines, self.quoted = 0, False

    def feed(self, chunk: bytes) -> int:
        if not self.quoted and b'"' not in chunk:
            self.lines += chunk.count(b"\n")
            return self.lines
        for i, part in enumerate(chunk.split(b'"')):
            if i:
                self.quoted = not self.quoted
            if not self.quoted:
                self.lines += part.count(b"\n")
        return self.lines


def csv_write(values, out, *, progress=None) -> int:
    """The CSV export into the file `out`; `progress(rows)` after each chunk. Returns the
    number of rows written (the header not counted)."""
    records = CsvRecords()
    for chunk in csv_chunks(values):
        out.write(chunk)
        rows = max(records.feed(chunk) - 1, 0)
        if progress:
            progress(rows)
    return max(records.lines - 1, 0)


XLSX_DATE = "yyyy-mm-dd"
XLSX_TEXT = "@"  # a cell typed into later stays text too
# A worksheet holds 1,048,576 rows, the header one of them.
XLSX_MAX_ROWS = 1_048_575
# Characters XML 1.0 cannot hold (a tab, line feed and carriage return it can).
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_cell_writers(values, sheet, *, text, day) -> list:
    """One writer per column, chosen once from the type of the column's SQL expression (the
    export's one list of columns): dates as date cells, counts as numbers, everything else
    as text, never a formula, whatever it starts with."""

    def write_text(row, col, value):
        sheet.write_string(row, col, XML_ILLEGAL.sub("", value), text)

    def write_date(row, col, value):
        sheet.write_datetime(row, col, value, day)

    writers = []
    for _header, name, _width in COLUMNS:
        field = values.query.annotations[name].output_field
        if isinstance(field, DateField):
            writers.append(write_date)
        elif isinstance(field, IntegerField):
            writers.append(sheet.write_number)
        else:
            writers.append(write_text)
    return writers


def xlsx_write(values, out, *, progress=None) -> int:
    """An XLSX workbook written row by row into the file `out`: a frozen header row with an
    autofilter, set widths, dates as date cells, text as text cells (never a formula).
    XlsxWriter's constant_memory mode writes each row to a temporary file once the next one
    begins, so memory stays flat for a million rows. `progress(rows)` after each row.
    Returns the number of rows written."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet("Cases")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": XLSX_TEXT})
    day = workbook.add_format({"num_format": XLSX_DATE})
    for index, (_header, _name, width) in enumerate(COLUMNS):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    for index, header in enumerate(HEADER):
        sheet.write_string(0, index, header, bold)
    writers = _xlsx_cell_writers(values, sheet, text=text, day=day)
    rows = 0
    for rows, record in enumerate(export_rows(values), start=1):
        for index, value in enumerate(record):
            if value is not None:  # an empty field is no cell at all
                writers[index](rows, index, value)
        if progress:
            progress(rows)
    sheet.autofilter(0, 0, rows, len(COLUMNS) - 1)
    workbook.close()
    return rows


def xlsx_file(values):
    """The XLSX export in a temporary file, ready to read from the start."""
    handle = tempfile.TemporaryFile()
    xlsx_write(values, handle)
    handle.seek(0)
    return handle


def file_chunks(handle):
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk
