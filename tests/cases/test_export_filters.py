"""Filters that never lie: the dashboard, the web export and export_cases read one filter
set, so every filter the dashboard takes gives the export the same cases; a filter nobody
knows is refused, on the dashboard with a message and on the command line with an argparse
error, never an export of every row; DEBUG and production write the same file, on
PostgreSQL and on the demo's SQLite."""

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone

from cases import exports
from cases.filters import filter_params
from cases.models import Case, CaseAccess, Court, Document
from cases.queue import PRESETS
from cases.timezones import today

from ..conftest import verified_login
from ..factories import CaseFactory, ClientFactory, member_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
ROOT = Path(__file__).resolve().parents[2]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def references(data: bytes) -> list[str]:
    rows = read_csv(data)
    assert rows[0] == exports.HEADER
    return [row[0] for row in rows[1:]]


def created(case, when: datetime) -> None:
    Case.objects.filter(pk=case.pk).update(created_at=when)


@pytest.fixture
def caseload(paralegal):
    """Cases that every filter splits differently."""
    lawyer = member_of("lawyer", "attorneys")
    on = today()
    new = CaseFactory(stage="new", priority="critical", assigned_attorney=lawyer,
                      assigned_paralegal=paralegal, next_deadline_date=on + timedelta(days=3),
                      next_deadline_kind="hearing",
                      client=ClientFactory(family_name="Orlov", detained=True))  # fmt: skip
    retained = CaseFactory(
        stage="retained", priority="high", next_deadline_date=on + timedelta(days=20),
        next_deadline_kind="one_year",
        client=ClientFactory(family_name="Kovalenko", nationality="UA", preferred_language="uk",
                             in_removal_proceedings=True, next_hearing_date=on + timedelta(30),
                             hearing_court=Court.objects.first()),
    )  # fmt: skip
    preparing = CaseFactory(stage="preparing", priority="normal",
                            next_deadline_date=on - timedelta(days=5), next_deadline_kind="other",
                            client=ClientFactory(family_name="Garcia", nationality="MX",
                                                 preferred_language="es"))  # fmt: skip
    Document.objects.create(client=preparing.client, kind="passport", file="x.pdf",
                            original_name="x.pdf", content_type="application/pdf", size=1)
    closed = CaseFactory(stage="closed", client=ClientFactory(family_name="Closedova"))
    zone = timezone.get_current_timezone()
    created(new, datetime(2027, 2, 1, 12, tzinfo=zone))
    created(retained, datetime(2026, 1, 5, 12, tzinfo=zone))
    created(preparing, datetime(2026, 7, 1, 12, tzinfo=zone))
    created(closed, datetime(2026, 7, 1, 12, tzinfo=zone))
    return {"lawyer": lawyer, "new": new, "retained": retained, "preparing": preparing,
            "closed": closed}  # fmt: skip


def queries(caseload) -> list[str]:
    lawyer = caseload["lawyer"].pk
    return [
        "q=orlov", "stage=filed", "stage=retained&stage=preparing", "priority=critical",
        f"attorney={lawyer}", "attorney=unassigned", "attorney=mine", "nationality=UA",
        "language=es", "detained=yes", "in_proceedings=yes", "deadline_within=7",
        "overdue=on", "queue=new", "queue=week", "queue=month", "queue=overdue",
        "awaiting_documents=on", "include_ended=on", "stage=closed",
        "created_after=2027-01-01", "created_before=2026-06-01",
        "created_after=2026-06-01&created_before=2026-12-31&include_ended=on",
        "o=-created", "o=stage&include_ended=on",
        *[preset for _name, preset in PRESETS],
    ]  # fmt: skip


def dashboard_references(client, query: str) -> list[str]:
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200
    assert not response.context["ignored"], response.context["ignored"]
    return [case.reference for case in response.context["page"].object_list]


def test_the_queries_below_name_every_filter_the_dashboard_takes(caseload):
    """If a filter is added to the filter set, this list (and so the export) must cover it."""
    named = {name for query in queries(caseload) for name in QueryDict(query)}
    assert named == set(filter_params())


def test_every_dashboard_filter_gives_the_export_the_dashboards_cases(client, paralegal,
                                                                      caseload):  # fmt: skip
    verified_login(client, paralegal)
    for query in queries(caseload):
        listed = dashboard_references(client, query)
        response = client.get(f"/cases/export/?{query}&format=csv")
        assert response.status_code == 200, query
        exported = references(b"".join(response.streaming_content))
        assert exported == listed, query
    assert dashboard_references(client, "created_after=2027-01-01") == [caseload["new"].reference]


def test_the_created_range_from_the_dashboards_form_exports(client, paralegal, caseload):
    """The form's own submission (every field, most empty) pressed into Export."""
    verified_login(client, paralegal)
    page = client.get("/cases/?created_after=2027-01-01").content.decode()
    assert 'name="created_after"' in page and 'value="2027-01-01"' in page
    form = ("q=&attorney=&nationality=&language=&detained=&in_proceedings=&deadline_within="
            "&queue=&created_after=2027-01-01&created_before=")  # fmt: skip
    page = client.get(f"/cases/?{form}").content.decode()
    link = "/cases/export/?" + form.replace("&", "&amp;") + "&amp;format=xlsx"
    assert link in page  # the Export button carries the filters as the form sent them
    data = b"".join(client.get(f"/cases/export/?{form}&format=csv").streaming_content)
    assert references(data) == [caseload["new"].reference]


@pytest.mark.parametrize(("query", "message"), [
    ("created_min=2027-01-01&created_max=2027-12-31&format=csv",
     "Unknown filter: created_max; Unknown filter: created_min"),
    ("colour=red&format=xlsx", "Unknown filter: colour"),
    ("stage=lost&format=csv", "stage: Select a valid choice"),
    ("created_after=2027-02-30&format=csv", "created: Enter a valid date"),
    ("format=pdf", "Unknown format: use format=csv or format=xlsx"),
])  # fmt: skip
def test_a_filter_the_export_cannot_use_is_said_on_the_dashboard(client, paralegal, caseload,
                                                                 query, message):  # fmt: skip
    verified_login(client, paralegal)
    response = client.get(f"/cases/export/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'id="export-errors"' in page and message in page
    assert "Nothing was exported" in page and 'id="filters"' in page  # the dashboard itself
    assert not CaseAccess.objects.filter(action="export").exists()


def test_export_cases_created_after_filters(capfdbinary, caseload):
    call_command("export_cases", "--format", "csv", "--created-after", "2027-01-01")
    assert references(capfdbinary.readouterr().out) == [caseload["new"].reference]
    call_command("export_cases", "--format", "csv", "--created-before", "2026-06-01",
                 "--queue", "month")  # fmt: skip
    assert references(capfdbinary.readouterr().out) == [caseload["retained"].reference]
    record = CaseAccess.objects.filter(action="export").order_by("at").last()
    assert record.detail["filters"] == {"created_before": ["2026-06-01"], "queue": ["month"]}


def test_every_filter_is_an_option_of_export_cases(client, paralegal, capfdbinary, caseload):
    """Each query the dashboard takes, as options: the command exports what the web does."""
    from cases.management.commands.export_cases import OPTION_NAMES

    verified_login(client, paralegal)
    for query in queries(caseload):
        if "attorney=mine" in query:  # nobody is signed in on the command line
            continue
        args = []
        for name, values in QueryDict(query).lists():
            option = "--" + OPTION_NAMES.get(name, name).replace("_", "-")
            for value in values:
                args += [option] if value == "on" else [f"{option}={value}"]
        call_command("export_cases", "--format", "csv", *args)
        by_command = capfdbinary.readouterr().out
        by_web = b"".join(client.get(f"/cases/export/?{query}&format=csv").streaming_content)
        assert by_command == by_web, query
    call_command("export_cases", "--format", "csv", "--nationality", "UA", "--detained", "no")
    assert references(capfdbinary.readouterr().out) == [caseload["retained"].reference]


def run_command(args, env, **kwargs):
    return subprocess.run([sys.executable, "manage.py", "export_cases", *args], cwd=ROOT,
                          env=env, capture_output=True, **kwargs)  # fmt: skip


def test_an_unknown_option_is_an_argparse_error_not_every_row(caseload):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    from django.db import connection

    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"
    for args in (["--created-min", "2027-01-01"], ["--colour", "red"], ["--stage", "lost"]):
        result = run_command(["--format", "csv", *args], env)
        assert result.returncode == 2, args
        assert result.stdout == b""
        assert b"error:" in result.stderr
    result = run_command(["--format", "csv", "--created-after", "2027-02-30"], env)
    assert result.returncode == 1 and result.stdout == b""
    assert b"created: Enter a valid date" in result.stderr
    assert not CaseAccess.objects.filter(action="export").exists()


def test_debug_and_production_write_the_same_file(client, paralegal, caseload, capfdbinary):
    """Under DEBUG, Django's cursors are CursorDebugWrapper: COPY must not go through it."""
    from django.db import connection

    verified_login(client, paralegal)
    files = {}
    for debug in (False, True):
        with override_settings(DEBUG=debug):
            web = b"".join(client.get("/cases/export/?format=csv&include_ended=on")
                           .streaming_content)  # fmt: skip
            with connection.cursor() as cursor:
                assert type(cursor).__name__ == ("CursorDebugWrapper" if debug else "CursorWrapper")
            call_command("export_cases", "--format", "csv", "--include-ended")
            files[debug] = (web, capfdbinary.readouterr().out)
    assert files[True] == files[False]
    web, command = files[False]
    assert web == command
    assert len(references(web)) == 4


def sqlite_env(tmp_path, debug: bool) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "DJANGO_DEBUG": "true" if debug else "false",
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media")}  # fmt: skip


def test_the_demos_sqlite_exports_with_filters_debug_on_and_off(tmp_path):
    env = sqlite_env(tmp_path, debug=True)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    make = (
        "import datetime as d;"
        "from cases.models import Case;"
        "from tests.factories import CaseFactory, ClientFactory;"
        "a=CaseFactory(stage='awaiting', client=ClientFactory(family_name='Later'));"
        "CaseFactory(stage='new', client=ClientFactory(family_name='Earlier'));"
        "Case.objects.filter(pk=a.pk).update(created_at=d.datetime(2027,3,1,tzinfo=d.timezone.utc))"
    )
    subprocess.run([*manage, "shell", "-c", make], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    outputs = []
    for debug in (True, False):
        env = sqlite_env(tmp_path, debug)
        result = run_command(["--format", "csv", "--created-after", "2027-01-01"], env,
                             check=True)  # fmt: skip
        rows = read_csv(result.stdout)
        assert [row[rows[0].index("Family name")] for row in rows[1:]] == ["Later"]
        assert [row[rows[0].index("Stage")] for row in rows[1:]] == ["Awaiting decision"]
        everything = run_command(["--format", "csv"], env, check=True).stdout
        assert len(read_csv(everything)) == 3
        outputs.append(result.stdout)
        refused = run_command(["--format", "csv", "--created-min", "2027-01-01"], env)
        assert refused.returncode == 2 and refused.stdout == b""
    assert outputs[0] == outputs[1]
