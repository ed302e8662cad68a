"""The immigration courts, from intake/data/immigration_courts.csv (EOIR's public list)."""

import csv
from pathlib import Path

CSV = Path(__file__).resolve().parent / "data" / "immigration_courts.csv"


def load_courts(court_model) -> int:
    """Add the listed courts that are missing; an administrator's edits are kept."""
    with CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    created = court_model.objects.bulk_create(
        [
            court_model(
                name=row["court"],
                city=row["city"],
                state=row["state"],
                time_zone=row["time_zone"],
                detained_docket_only=row["detained_docket_only"].strip().lower() == "yes",
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )
    return len(created)
