"""Exports at scale: our CSV (COPY) next to a raw COPY of the same columns and next to
django-import-export on the same queryset; XLSX; peak memory. Same process, same data.

Run: .venv/bin/pip install -r bench/requirements.txt
     .venv/bin/python bench/export.py      (after bench/dashboard.py seeded asylum_bench)
"""

import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import common  # noqa: E402

common.use_bench_settings()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(work, runs=3):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        size = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


class _Sink:
    size = 0

    def write(self, data):
        self.size += len(data)


def raw_copy_bytes(values) -> int:
    """The baseline: PostgreSQL's COPY of the export's own query, bytes counted, no Python."""
    from django.db import connection

    sql, params = values.query.sql_with_params()
    sink = _Sink()
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as the export does
        statement = cursor.cursor.mogrify(sql, params).decode()
        cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH CSV", sink)
    return sink.size


def time_ours(values, idle):
    """(seconds, bytes) of our CSV, of the raw COPY and of our XLSX, and the CSV's peak
    memory above `idle`, measured in that order."""
    from cases import exports

    def ours_csv():
        return sum(len(chunk) for chunk in exports.csv_chunks(values))

    def raw_copy():
        return raw_copy_bytes(values)

    def ours_xlsx():
        handle = exports.xlsx_file(values)
        size = handle.seek(0, 2)
        handle.close()
        return size

    ours = timed(ours_csv)
    csv_peak = peak_mb() - idle
    raw = timed(raw_copy)
    xlsx = timed(ours_xlsx, runs=1)
    return ours, raw, xlsx, csv_peak


def import_export_csv(cases):
    """django-import-export's CSV of the same cases, as a call returning its size (the
    resource class is made before, outside the timing)."""
    from import_export import resources

    from cases.models import Case

    class CaseResource(resources.ModelResource):
        class Meta:
            model = Case
            fields = ("reference", "stage", "priority", "client__family_name",
                      "client__given_names", "client__family_name_native",
                      "client__given_names_native", "client__date_of_birth",
                      "client__nationality", "client__preferred_language", "client__phone",
                      "client__email", "next_deadline_date", "next_deadline_kind",
                      "created_at", "updated_at")  # fmt: skip

    def export():
        return len(CaseResource().export(cases.select_related("client")).csv)

    return export


def print_table(rows, idle, ours, raw, ie, xlsx, csv_peak):
    (ours_time, ours_size), (raw_time, raw_size) = ours, raw
    (ie_time, ie_size), (xlsx_time, xlsx_size) = ie, xlsx
    print(f"{rows} cases; idle process peak RSS {idle:.0f} MB")
    print("| export | seconds | MB out | ratio |")
    print("|---|---|---|---|")
    print(f"| ours, CSV (COPY, streamed) | {ours_time:.2f} | {ours_size / 1e6:.1f} | 1.00 |")
    print(f"| raw COPY, same columns | {raw_time:.2f} | {raw_size / 1e6:.1f} | "
          f"ours/raw = {ours_time / raw_time:.2f} |")
    print(f"| django-import-export, CSV | {ie_time:.2f} | {ie_size / 1e6:.1f} | "
          f"ours is {ie_time / ours_time:.1f}x faster |")
    print(f"| ours, XLSX (write-only) | {xlsx_time:.2f} | {xlsx_size / 1e6:.1f} | |")
    print(f"peak memory above idle during our CSV export: {csv_peak:.1f} MB")


def main():
    import django

    django.setup()
    from django.db import connection

    from cases import exports
    from cases.models import Case
    from cases.selectors import DEFAULT_ORDER

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics after the other benches' updates
    cases = Case.objects.order_by(*DEFAULT_ORDER)
    rows = cases.count()
    values = exports.export_values(cases)
    idle = peak_mb()
    ours, raw, xlsx, csv_peak = time_ours(values, idle)
    ie = timed(import_export_csv(cases), runs=1)
    print_table(rows, idle, ours, raw, ie, xlsx, csv_peak)


if __name__ == "__main__":
    main()
