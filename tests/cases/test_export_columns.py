"""Exports a paralegal can read: English words in the headers and cells, the codes only in
their own *_code columns, ISO dates, the filing date, court, detention and next hearing; an
XLSX with a frozen header, an autofilter, set widths, date cells and text cells."""

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from cases import exports
from cases.models import Court, Deadline
from cases.timezones import today

from ..conftest import verified_login
from ..factories import AsylumClaimFactory, CaseFactory, ClientFactory, FamilyMemberFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def staff(client, paralegal):
    verified_login(client, paralegal)
    return paralegal


@pytest.fixture
def awaiting():
    """A detained Russian client in court, filed, awaiting a decision, critical."""
    court = Court.objects.get(name__icontains="San Diego")
    hearing = today() + timedelta(days=40)
    case = CaseFactory(
        stage="awaiting", priority="critical",
        client=ClientFactory(detained=True, in_removal_proceedings=True, hearing_court=court,
                             next_hearing_date=hearing),
    )  # fmt: skip
    AsylumClaimFactory(client=case.client, filed_on=date(2026, 9, 14), filing_type="defensive")
    Deadline.objects.create(case=case, kind="hearing", due_date=hearing, computed=False)
    case.court, case.hearing = court, hearing
    return case


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(client) -> list[dict]:
    data = body(client.get("/cases/export/?format=csv")).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(data, newline="")))


def test_csv_headers_are_words_and_codes_have_their_own_columns(client, staff, awaiting):
    data = body(client.get("/cases/export/?format=csv")).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(data)))
    assert header[:5] == ["Reference", "Stage", "Triage level", "Attorney", "Family name"]
    assert {"Filing date", "Hearing court", "Detained", "Next hearing"} <= set(header)
    assert header[-5:] == ["stage_code", "triage_level_code", "nationality_code",
                           "language_code", "next_deadline_kind_code"]  # fmt: skip
    assert header == exports.HEADER


def test_csv_values_are_words_with_iso_dates(client, staff, awaiting):
    [row] = csv_rows(client)
    assert row["Stage"] == "Awaiting decision" and row["stage_code"] == "awaiting"
    assert row["Triage level"] == "Critical" and row["triage_level_code"] == "critical"
    assert row["Nationality"] == "Russia" and row["nationality_code"] == "RU"
    assert row["Preferred language"] == "Russian" and row["language_code"] == "ru"
    assert row["Next deadline kind"] == "Hearing" and row["next_deadline_kind_code"] == "hearing"
    assert row["Filing date"] == "2026-09-14"
    assert row["Detained"] == "Yes"
    assert row["Hearing court"] == awaiting.court.name
    assert row["Next hearing"] == awaiting.hearing.isoformat()
    assert row["Date of birth"] == "1990-05-17"
    # No code anywhere outside the code columns.
    words = [value for name, value in row.items() if not name.endswith("_code")]
    assert not {"awaiting", "critical", "RU", "ru", "hearing"} & set(words)


def test_a_case_without_those_facts_has_empty_cells_and_no(client, staff):
    CaseFactory(stage="new", priority="normal")
    [row] = csv_rows(client)
    assert row["Stage"] == "New" and row["Triage level"] == "Normal"
    assert row["Filing date"] == row["Hearing court"] == row["Next hearing"] == ""
    assert row["Next deadline kind"] == row["next_deadline_kind_code"] == ""
    assert row["Detained"] == "No"


def test_the_same_words_on_the_csv_module_path(staff, awaiting):
    """The SQLite path (the csv module) writes the same words as COPY."""
    from cases.models import Case

    values = exports.export_values(Case.objects.order_by("pk"))
    assert b"".join(exports.csv_chunks(values, use_copy=False)) == b"".join(
        exports.csv_chunks(values, use_copy=True)
    )


def shown_width(stored: float) -> float:
    """The width Excel shows for a column (characters of the default font's widest digit,
    7 pixels in Calibri 11) from the width the file stores, which includes the cell's padding
    (ECMA-376 Part 1, 18.3.1.13)."""
    pixels = int((256 * stored + int(128 / 7)) / 256 * 7)
    return int((pixels - 5) / 7 * 100 + 0.5) / 100


def test_xlsx_frozen_header_filter_widths_date_and_text_cells(client, staff, awaiting):
    CaseFactory(stage="new", client=ClientFactory(family_name="=HYPERLINK(\"x\")"))
    data = body(client.get("/cases/export/?format=xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(exports.HEADER))
    assert sheet.auto_filter.ref == f"A1:{last}3"
    header = [cell.value for cell in sheet[1]]
    assert header == exports.HEADER and all(cell.font.b for cell in sheet[1])
    widths = {letter: shown_width(sheet.column_dimensions[letter].width) for letter in "ABM"}
    assert widths == {"A": 16, "B": 22, "M": 28}
    rows = {row[0].value: {h: c for h, c in zip(header, row, strict=True)}
            for row in sheet.iter_rows(min_row=2)}  # fmt: skip
    cells = rows[awaiting.reference]
    assert cells["Stage"].value == "Awaiting decision"
    assert cells["Nationality"].value == "Russia"
    for name in ("Date of birth", "Filing date", "Next hearing", "Created"):
        assert cells[name].is_date and cells[name].number_format == "yyyy-mm-dd", name
    assert cells["Filing date"].value.date() == date(2026, 9, 14)
    assert cells["Family members"].data_type == "n"
    for name in ("Family name", "Given names (native script)", "Phone", "E-mail"):
        assert cells[name].data_type == "s", name
    [other] = [r for ref, r in rows.items() if ref != awaiting.reference]
    assert other["Family name"].data_type == "s"
    assert other["Family name"].value == "'=HYPERLINK(\"x\")"


def test_an_xlsx_past_a_sheets_rows_is_refused_on_the_dashboard(client, staff, monkeypatch):
    """A worksheet holds 1,048,576 rows; the cap is lowered here to two rows of cases."""
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    for _ in range(3):
        CaseFactory()
    response = client.get("/cases/export/?format=xlsx")
    assert response.status_code == 400
    assert "an XLSX sheet holds at most 2 rows and this list has 3" in response.content.decode()
    assert client.get("/cases/export/?format=csv").status_code == 200


def as_csv_text(value) -> str:
    """A cell as the CSV writes it: ISO dates, counts as digits, no cell as an empty field."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return unescape(str(value))


def test_the_xlsx_holds_the_csvs_columns_and_values_cell_for_cell(client, staff, awaiting):
    CaseFactory(stage="new", client=ClientFactory(
        family_name='O\'Brien "the, quoted"\nsecond line\twith tab 🙂', given_names="+7 999",
        given_names_native="Дмитрий", email=""))  # fmt: skip
    FamilyMemberFactory(client=awaiting.client, relationship="spouse", marital_status="married")
    data = body(client.get("/cases/export/?format=csv")).decode("utf-8-sig")
    expected = list(csv.reader(io.StringIO(data, newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(body(client.get("/cases/export/?format=xlsx"))))
    got = [[as_csv_text(v) for v in row] for row in sheet.active.iter_rows(values_only=True)]
    assert got == expected and len(got) == 3


def test_characters_xml_cannot_hold_are_dropped_and_the_rest_is_text(client, staff):
    CaseFactory(client=ClientFactory(family_name="Iva\x01nov\x0b\x1f", given_names="=1+2"))
    sheet = openpyxl.load_workbook(io.BytesIO(body(client.get("/cases/export/?format=xlsx"))))
    header = exports.HEADER
    row = [cell for cell in sheet.active[2]]
    assert row[header.index("Family name")].value == "Ivanov"
    given = row[header.index("Given names")]
    assert given.data_type == "s" and given.value == "'=1+2"  # text, never a formula
