"""python manage.py export_cases --format csv|xlsx [filters] > file: the staff export, for
scheduled jobs. The same filters, columns and audit record as the dashboard's Export.

The options are the dashboard's filter set's own (cases.filters.filter_params), one per URL
parameter: --stage, --created-after, --sort (the column sort, "o")... An option that is not
one of them is an argparse error (exit status 2), never an export of every row. The command
stays synchronous, whatever the row count: its caller is already in the background.
"""

import sys

import django_filters
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from cases import exports, selectors, services
from cases.filters import CaseFilter, filter_params

# The URL parameter "o" is the column sort; on the command line it says so.
OPTION_NAMES = {"o": "sort"}
HELP = {
    "attorney": '"unassigned" or a user id',
    "nationality": "ISO code, e.g. RU",
    "created_after": "on or after this day, YYYY-MM-DD",
    "created_before": "on or before this day, YYYY-MM-DD",
    "o": "a dashboard column, e.g. --sort=-created (newest first)",
    "q": "a name in any script, a reference, an e-mail or a phone, as in the dashboard",
}


def _filter_of(param: str):
    """The filter reading this URL parameter (created_after -> the "created" range)."""
    if param in CaseFilter.base_filters:
        return CaseFilter.base_filters[param]
    return CaseFilter.base_filters[param.rsplit("_", 1)[0]]


def _static_choices(case_filter) -> list[str] | None:
    """The values argparse can check itself; None where they come from the database."""
    choices = case_filter.extra.get("choices")
    if choices is None or callable(choices):
        return None
    return [str(value) for value, _label in choices]


class Command(BaseCommand):
    help = "Export the case list (filtered like the dashboard) as CSV or XLSX to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
        for param in filter_params():
            case_filter = _filter_of(param)
            option = "--" + OPTION_NAMES.get(param, param).replace("_", "-")
            label = str(case_filter.label or param)
            help_text = f"{label}: {HELP[param]}" if param in HELP else label
            if isinstance(case_filter, django_filters.BooleanFilter):
                parser.add_argument(option, dest=param, action="store_true", help=help_text)
            elif isinstance(case_filter, django_filters.MultipleChoiceFilter):
                parser.add_argument(option, dest=param, action="append", help=help_text +
                                    " (repeat for several)",
                                    choices=_static_choices(case_filter))  # fmt: skip
            else:
                parser.add_argument(option, dest=param, help=help_text,
                                    choices=_static_choices(case_filter))  # fmt: skip

    def handle(self, *args, **options):
        params = QueryDict(mutable=True)
        for param in filter_params():
            value = options.get(param)
            if value is True:
                params[param] = "on"
            elif value:
                params.setlist(param, value if isinstance(value, list) else [str(value)])
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
