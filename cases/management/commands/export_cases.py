"""python manage.py export_cases --format csv|xlsx [filters] > file: the staff export, for
scheduled jobs. The same filters, columns and audit record as the dashboard's Export."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from cases import exports, selectors, services

# option -> the dashboard's URL parameter
FILTERS = {
    "stage": "stage", "priority": "priority", "attorney": "attorney",
    "nationality": "nationality", "language": "language", "detained": "detained",
    "in_proceedings": "in_proceedings", "deadline_within": "deadline_within",
    "created_after": "created_after", "created_before": "created_before", "q": "q",
    "sort": "o", "queue": "queue",
}  # fmt: skip
# option -> the dashboard's checkbox parameter
SWITCHES = {"overdue": "overdue", "awaiting_documents": "awaiting_documents",
            "include_ended": "include_ended"}  # fmt: skip


class Command(BaseCommand):
    help = "Export the case list (filtered like the dashboard) as CSV or XLSX to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
        parser.add_argument("--stage", action="append", help="repeat for several")
        parser.add_argument("--priority", action="append", help="critical, high, normal")
        parser.add_argument("--attorney", help='"unassigned" or a user id')
        parser.add_argument("--nationality", help="ISO code, e.g. RU")
        parser.add_argument("--language", help="en, ru, uk, es")
        parser.add_argument("--detained", choices=["yes", "no"])
        parser.add_argument("--in-proceedings", dest="in_proceedings", choices=["yes", "no"])
        parser.add_argument("--deadline-within", dest="deadline_within", help="days")
        parser.add_argument("--overdue", action="store_true")
        parser.add_argument("--queue", help="a triage queue section: new, week, month, overdue")
        parser.add_argument("--awaiting-documents", dest="awaiting_documents",
                            action="store_true", help="retained or preparing, nothing uploaded")
        parser.add_argument("--include-ended", dest="include_ended", action="store_true",
                            help="closed, declined and merged cases too")
        parser.add_argument("--created-after", dest="created_after", help="YYYY-MM-DD")
        parser.add_argument("--created-before", dest="created_before", help="YYYY-MM-DD")
        parser.add_argument("--q", help="search, as in the dashboard's box")
        parser.add_argument("--sort", help="a dashboard column, e.g. -created")

    def handle(self, *args, **options):
        params = QueryDict(mutable=True)
        for option, name in FILTERS.items():
            value = options.get(option)
            if value:
                params.setlist(name, value if isinstance(value, list) else [str(value)])
        for option, name in SWITCHES.items():
            if options[option]:
                params[name] = "on"
        case_filter, errors = selectors.export_filter(user=None, params=params)
        if errors:
            raise CommandError("; ".join(errors))
        cases = selectors.dashboard_cases(case_filter)
        services.export_record(user=None, params=params, kind=options["format"],
                               rows=cases.count(), via="command")  # fmt: skip
        values = exports.export_values(cases)
        chunks = (
            exports.csv_chunks(values) if options["format"] == "csv"
            else exports.file_chunks(exports.xlsx_file(values))
        )  # fmt: skip
        out = getattr(self.stdout, "buffer", None) or sys.stdout.buffer
        for chunk in chunks:
            out.write(chunk)
        out.flush()
