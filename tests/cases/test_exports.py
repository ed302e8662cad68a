"""Staff exports: the dashboard's filters, CSV and XLSX, spreadsheet-safe, audited."""

import csv
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from openpyxl.utils.escape import unescape

from cases import exports
from cases.models import Case, CaseAccess
from cases.timezones import today

from ..conftest import verified_login
from ..factories import AsylumClaimFactory, CaseFactory, ClientFactory, FamilyMemberFactory

# Committed data: PostgreSQL's COPY streams from its own connection, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
ROOT = Path(__file__).resolve().parents[2]

HOSTILE = 'O\'Brien "the, quoted"\nsecond line\twith tab 🙂 مرحبا שלום'
FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\t=HYPERLINK(\"x\")", "\r=1+1",
            "=cmd|' /C calc'!A0"]  # fmt: skip


@pytest.fixture
def staff(client):
    user = User.objects.create_user("paralegal", "p@firm.example", "x" * 16)
    user.groups.add(Group.objects.get(name="staff"))
    verified_login(client, user)
    return user


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.values)


def column(rows, name):
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_csv_has_the_columns_and_the_dashboards_filters(client, staff):
    filed = CaseFactory(stage="filed", client=ClientFactory(given_names_native="Дмитрий"))
    FamilyMemberFactory(client=filed.client, relationship="spouse", marital_status="married")
    FamilyMemberFactory(client=filed.client, relationship="parent", marital_status="married")
    CaseFactory(stage="new")
    response = client.get("/cases/export/?format=csv&stage=filed")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(body(response))
    assert rows[0] == exports.HEADER
    assert column(rows, "Reference") == [filed.reference]
    assert column(rows, "Given names (native script)") == ["Дмитрий"]
    assert column(rows, "Family members") == ["2"] and column(rows, "Derivatives") == ["1"]
    assert column(rows, "Date of birth") == ["1990-05-17"]  # ISO 8601
    assert column(rows, "Phone") == ["+16195550100"]


def test_derivatives_are_counted_by_the_rule_of_the_case_page(client, staff):
    """A son under 21 on the filing date still counts after he turns 21 (the age is frozen
    on the filing date); a wife does not once the client says he is divorced."""
    filed_on = today() - timedelta(days=200)
    son_born = filed_on - relativedelta(years=21) + timedelta(days=30)  # 21 since 170 days
    filed = CaseFactory(stage="filed")
    AsylumClaimFactory(client=filed.client, filed_on=filed_on, filing_type="affirmative")
    FamilyMemberFactory(client=filed.client, relationship="child", marital_status="single",
                        date_of_birth=son_born)  # fmt: skip
    unfiled = CaseFactory(stage="new", client=ClientFactory(marital_status="divorced"))
    FamilyMemberFactory(client=unfiled.client, relationship="child", marital_status="single",
                        date_of_birth=son_born)  # fmt: skip
    FamilyMemberFactory(client=unfiled.client, relationship="spouse", marital_status="married")
    rows = read_csv(body(client.get("/cases/export/?format=csv")))
    derivatives = dict(zip(column(rows, "Reference"), column(rows, "Derivatives"), strict=True))
    assert derivatives == {filed.reference: "1", unfiled.reference: "0"}
    for case in (filed, unfiled):  # the case page says the same
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert page.count("<strong>Eligible</strong>") == int(derivatives[case.reference])


def test_zero_rows_is_a_valid_file_with_the_header(client, staff):
    rows = read_csv(body(client.get("/cases/export/?format=csv&stage=closed")))
    assert rows == [exports.HEADER]
    sheet = read_xlsx(body(client.get("/cases/export/?format=xlsx&stage=closed")))
    assert sheet == [tuple(exports.HEADER)]


def test_hostile_names_round_trip_intact(client, staff):
    CaseFactory(client=ClientFactory(family_name=HOSTILE, given_names_native=HOSTILE))
    rows = read_csv(body(client.get("/cases/export/?format=csv")))
    assert column(rows, "Family name") == [HOSTILE]
    assert column(rows, "Given names (native script)") == [HOSTILE]
    sheet = read_xlsx(body(client.get("/cases/export/?format=xlsx")))
    assert [r[sheet[0].index("Family name")] for r in sheet[1:]] == [HOSTILE]


@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_payloads_are_neutralised_in_both_formats(client, staff, payload):
    CaseFactory(client=ClientFactory(given_names=payload, family_name_native=payload))
    rows = read_csv(body(client.get("/cases/export/?format=csv")))
    assert column(rows, "Given names") == ["'" + payload]
    assert column(rows, "Family name (native script)") == ["'" + payload]
    data = body(client.get("/cases/export/?format=xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Given names") + 1)
    # Text, not a formula, as Excel shows it: the file escapes a carriage return as _x000D_
    # (XML would read a bare one back as a line feed), which openpyxl's reader leaves as is.
    assert cell.data_type == "s" and unescape(cell.value) == "'" + payload


def test_copy_and_the_csv_module_write_the_same_bytes(staff):
    """The PostgreSQL COPY path and the fallback used on SQLite agree, row by row."""
    CaseFactory(client=ClientFactory(family_name=HOSTILE, email=""))
    CaseFactory(client=ClientFactory(given_names="=1+1", phone=""))
    FamilyMemberFactory()
    values = exports.export_values(Case.objects.order_by("pk"))
    by_copy = b"".join(exports.csv_chunks(values, use_copy=True))
    by_python = b"".join(exports.csv_chunks(values, use_copy=False))
    assert by_copy.splitlines() == by_python.splitlines()
    assert by_copy == by_python


def test_every_export_is_recorded(client, staff):
    CaseFactory(stage="new")
    CaseFactory(stage="new")
    body(client.get("/cases/export/?format=xlsx&stage=new&q=politov"))
    record = CaseAccess.objects.get(action="export")
    assert record.user == staff
    assert record.detail == {
        "format": "xlsx", "filters": {"stage": ["new"], "q": ["politov"]}, "rows": 2,
        "via": "web",
    }  # fmt: skip


def test_only_users_with_the_export_permission(client):
    attorney = User.objects.create_user("lawyer", "l@firm.example", "x" * 16)
    attorney.groups.add(Group.objects.get(name="attorneys"))
    assert client.get("/cases/export/?format=csv")["Location"].startswith("/staff/login/")
    verified_login(client, attorney)
    assert client.get("/cases/export/?format=csv").status_code == 403
    assert not CaseAccess.objects.filter(action="export").exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("format=pdf", "Unknown format"),
        ("", "Unknown format"),
        ("format=csv&colour=red", "Unknown filter: colour"),
        ("format=csv&stage=lost", "stage:"),
        ("format=csv&deadline_within=soon", "deadline_within:"),
    ],
)
def test_bad_input_is_a_clear_400(client, staff, query, message):
    response = client.get(f"/cases/export/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_sensitive_fields_are_never_exported(client, staff):
    case = CaseFactory(client=ClientFactory(a_number="A123456789", passport_number="751234567"))
    from ..factories import AsylumClaimFactory

    AsylumClaimFactory(client=case.client, feared_harm="Меня мобилизуют")
    data = body(client.get("/cases/export/?format=csv")).decode("utf-8-sig")
    for secret in ("A123456789", "751234567", "Меня мобилизуют"):
        assert secret not in data


def test_the_management_command_writes_the_same_export(capfd):
    filed = CaseFactory(stage="filed")
    CaseFactory(stage="new")
    call_command("export_cases", "--format", "csv", "--stage", "filed")
    rows = read_csv(capfd.readouterr().out.encode())
    assert column(rows, "Reference") == [filed.reference]
    assert CaseAccess.objects.get(action="export").detail["via"] == "command"
    with pytest.raises(CommandError, match="stage"):
        call_command("export_cases", "--format", "csv", "--stage", "lost")


def test_the_sqlite_fallback_gives_the_same_columns_and_safety(tmp_path):
    """The embedded default (SQLite) streams the same CSV through the csv module, and the
    XLSX has the same cells."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'fallback.sqlite3'}"}  # fmt: skip
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    make = (
        "from tests.factories import CaseFactory, ClientFactory;"
        f"CaseFactory(client=ClientFactory(family_name={HOSTILE!r}, given_names='=1+1'))"
    )
    subprocess.run([*manage, "shell", "-c", make], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    out = subprocess.run([*manage, "export_cases", "--format", "csv"], cwd=ROOT, env=env,
                         check=True, capture_output=True).stdout  # fmt: skip
    rows = read_csv(out)
    assert rows[0] == exports.HEADER
    assert column(rows, "Family name") == [HOSTILE]
    assert column(rows, "Given names") == ["'=1+1"]
    # The XLSX too, from the queryset's rows: the same cell types as on PostgreSQL.
    out = subprocess.run([*manage, "export_cases", "--format", "xlsx"], cwd=ROOT, env=env,
                         check=True, capture_output=True).stdout  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(out)).active
    cells = dict(zip(exports.HEADER, sheet[2], strict=True))
    assert cells["Family name"].value == HOSTILE and cells["Family name"].data_type == "s"
    assert cells["Given names"].value == "'=1+1" and cells["Given names"].data_type == "s"
    assert cells["Date of birth"].is_date and cells["Date of birth"].value.year == 1990
    assert cells["Family members"].data_type == "n" and cells["Family members"].value == 0
