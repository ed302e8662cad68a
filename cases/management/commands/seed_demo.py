"""python manage.py seed_demo --cases N: demo users and N varied demo cases, in bulk, dated
from the day it runs; deadlines and triage as the app's own rules would leave them.

On PostgreSQL the rows go in by COPY (cases.copy_insert) and the load is settled at the end
(load_settle), so a million cases take minutes and the planner knows what was loaded; the
demo attorneys hold a few hundred cases each, as in a firm (DEMO_CASES_PER_ATTORNEY)."""

import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import CharField, Value, prefetch_related_objects
from django.db.models.functions import Cast, Concat, Greatest, Length, LPad

from cases.copy_insert import copy_insert, load_settle
from cases.demo_data import ENDED, attorney_names, demo_case
from cases.demo_preparation import fill_demo_preparation
from cases.models import AsylumClaim, Case, Client, Court, Deadline, Entry, FamilyMember
from cases.services import computed_deadlines_unsaved, ended_reason, next_deadline_set
from cases.tally import tally_compact
from cases.timezones import today as firm_today
from cases.triage import assess

DEMO_PASSWORD = "demo-password-2026"
DEMO_USERS = [
    # username, group, is_staff (the Django admin is for administrators only, and the demo
    # "admin" is one, not a superuser: it sees what the group may, the story not included)
    ("attorney", "attorneys", False),
    ("paralegal", "staff", False),
    ("admin", "administrators", True),
]
BATCH = 5000
# Cases per demo attorney: about half the cases are past triage and assigned, so each
# attorney holds a few hundred; the cap keeps the attorney list a firm's, not a city's.
DEMO_CASES_PER_ATTORNEY = 500
MAX_DEMO_ATTORNEYS = 2000


class Command(BaseCommand):
    help = "Add demo users (if missing) and N varied demo cases."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=30)
        parser.add_argument("--seed", type=int, default=None, help="for reproducible data")
        parser.add_argument(
            "--if-empty", action="store_true", help="add cases only if there are none yet"
        )
        parser.add_argument(
            "--no-analyze", dest="analyze", action="store_false",
            help="skip settling the load at the end, ANALYZE and the GIN pending lists (to "
            "measure pages as a bulk load leaves them)",
        )  # fmt: skip

    def handle(self, *args, cases, seed, if_empty, analyze, **options):
        self.ensure_users()
        if if_empty and Case.objects.exists():
            self.stdout.write("Demo cases already there; none added.")
            return
        rng = random.Random(seed)
        today = firm_today()
        start = Client.objects.count()
        attorneys = self.ensure_attorneys(start + cases)
        courts = {court.name: court for court in Court.objects.all()}
        made = 0
        while made < cases:
            size = min(BATCH, cases - made)
            rows = [demo_case(rng, today, start + made + i) for i in range(size)]
            self.insert_batch(rows, today, attorneys, courts, first=start + made)
            made += size
        fill_demo_preparation(seed=seed)  # the questionnaire answered, retained and later
        tally_compact()  # a row per batch and key, summed
        if analyze and connection.vendor == "postgresql":
            load_settle()
        self.stdout.write(f"Added {cases} demo cases over {len(attorneys)} demo attorneys.")

    def ensure_users(self):
        for username, group, is_staff in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(
                username, f"{username}@firm.example", DEMO_PASSWORD, is_staff=is_staff
            )
            user.groups.add(Group.objects.get(name=group))

    def ensure_attorneys(self, total_cases: int) -> list[User]:
        """The demo attorneys for a caseload of `total_cases`: "attorney" and, as the
        caseload grows, named colleagues (attorney2, attorney3, ...), made once."""
        wanted = min(max(total_cases // DEMO_CASES_PER_ATTORNEY, 1), MAX_DEMO_ATTORNEYS)
        group = Group.objects.get(name="attorneys")
        have = set(User.objects.filter(username__regex=r"^attorney[0-9]*$")
                   .values_list("username", flat=True))  # fmt: skip
        new = [
            User(username=username, first_name=first, last_name=last,
                 email=f"{username}@firm.example", password=make_password(DEMO_PASSWORD))
            for username, first, last in attorney_names(wanted) if username not in have
        ]  # fmt: skip
        if new:
            User.objects.bulk_create(new)
            users = User.objects.filter(username__in=[u.username for u in new])
            group.user_set.add(*users)
        attorneys = User.objects.filter(username__regex=r"^attorney[0-9]*$", groups=group)
        return list(attorneys.order_by("pk"))

    @transaction.atomic
    def insert_batch(self, rows, today, attorneys, courts, *, first: int):
        clients = _insert_clients(rows, courts)
        cases, deadlines = [], []
        for number, (client, row) in enumerate(zip(clients, rows, strict=True), first):
            # In turn, so every demo attorney holds about the same share.
            attorney = attorneys[number % len(attorneys)]
            case, mine = _new_case(client, row, today, attorney, courts)
            cases.append(case)
            deadlines += mine
        copy_insert(Case, cases)
        # One UPDATE gives the whole batch its references (Case.reference_for, in SQL: at
        # least six digits, and all of them past 999,999, where LPAD alone would cut).
        digits = Cast("id", CharField())
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(
            reference=Concat(
                Value(f"{Case.reference_for(0, today.year)[:-6]}"),
                LPad(digits, Greatest(Length(digits), Value(6)), Value("0")),
            )
        )
        for deadline in deadlines:
            case = deadline.case  # setting case_id below forgets the cached case
            deadline.case_id, deadline.attorney_id = case.pk, case.assigned_attorney_id
        copy_insert(Deadline, deadlines)


def _insert_clients(rows, courts) -> list[Client]:
    """The batch's clients with their entries, family members and claims, saved; each
    client's entries and claim at hand for the rules, without a query per client."""
    clients = []
    for row in rows:
        values = row["client"]
        client = Client(**{**values, "hearing_court": courts.get(values["hearing_court"])})
        client.set_name_keys()  # bulk_create skips save()
        clients.append(client)
    copy_insert(Client, clients)
    copy_insert(
        Entry, [Entry(client=c, **e) for c, r in zip(clients, rows, strict=True)
                for e in r["entries"]]
    )  # fmt: skip
    prefetch_related_objects(clients, "entries")  # for Client.last_arrival
    members = [FamilyMember(client=c, **m) for c, r in zip(clients, rows, strict=True)
               for m in r["family"]]  # fmt: skip
    for member in members:
        member.set_derived()
    copy_insert(FamilyMember, members)
    # AsylumClaim(client=c) also sets c.claim, which the rules read without a query.
    claims = [AsylumClaim(client=c, **r["claim"]) for c, r in zip(clients, rows, strict=True)]
    copy_insert(AsylumClaim, claims)
    return clients


def _new_case(client, row, today, attorney, courts) -> tuple[Case, list[Deadline]]:
    """The client's case and its deadlines, unsaved, as the services would have left them by
    now; the next deadline and the triage worked out from those deadlines."""
    stage = row["case"]["stage"]
    case = Case(client=client, stage=stage,
                assigned_attorney=None if stage in {"new", "triaged"} else attorney)  # fmt: skip
    deadlines = _new_deadlines(case, row, today, attorney, courts)
    next_deadline_set(case, deadlines)  # bulk_create skips Deadline.save()
    assessment = assess(case, today, deadlines=deadlines)
    case.priority = case.assessed_priority = assessment.level
    case.priority_reasons = assessment.reasons
    return case, deadlines


def _new_deadlines(case, row, today, attorney, courts) -> list[Deadline]:
    """The computed deadlines from the rules, with the inputs cases.services gives them; the
    row's entered ones; and for an ended case, none of them open any more."""
    deadlines = computed_deadlines_unsaved(case, today)
    for values in row["deadlines"]:
        court = courts.get(values.get("court"))
        deadlines.append(Deadline(
            case=case, kind=values["kind"], due_date=values["due_date"],
            status=values.get("status", "open"), note=values.get("note", ""),
            court=court, time_zone=court.time_zone if court else "",
            entered_by=attorney if values.get("entered") else None,
        ))  # fmt: skip
    if case.stage in ENDED:
        _deadlines_end(case, deadlines)
    return deadlines


def _deadlines_end(case, deadlines) -> None:
    """What cases.services._deadlines_end does when a case is closed or declined, in memory."""
    reason = ended_reason(case.stage)
    for deadline in deadlines:
        if deadline.status == "open":
            deadline.status = "not_applicable"
            deadline.note = f"{deadline.note} {reason}".strip()

