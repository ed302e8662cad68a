"""python manage.py seed_demo --cases N: demo users and N varied demo cases, in bulk."""

import random

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from cases.deadlines import one_year_filing_deadline
from cases.demo_data import demo_case
from cases.models import AsylumClaim, Case, Client, Deadline, DeadlineKind, Entry, FamilyMember
from cases.triage import Facts, assess_facts

DEMO_PASSWORD = "demo-password-2026"
DEMO_USERS = [
    # username, group, superuser
    ("attorney", "attorneys", False),
    ("paralegal", "staff", False),
    ("admin", "administrators", True),
]
BATCH = 2000


class Command(BaseCommand):
    help = "Add demo users (if missing) and N varied demo cases."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=30)
        parser.add_argument("--seed", type=int, default=None, help="for reproducible data")
        parser.add_argument(
            "--if-empty", action="store_true", help="add cases only if there are none yet"
        )

    def handle(self, *args, cases, seed, if_empty, **options):
        self.ensure_users()
        if if_empty and Case.objects.exists():
            self.stdout.write("Demo cases already there; none added.")
            return
        rng = random.Random(seed)
        today = timezone.localdate()
        start = Client.objects.count()
        made = 0
        while made < cases:
            size = min(BATCH, cases - made)
            self.insert_batch([demo_case(rng, today, start + made + i) for i in range(size)],
                              today)
            made += size
        self.stdout.write(f"Added {cases} demo cases.")

    def ensure_users(self):
        for username, group, superuser in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(
                username, f"{username}@firm.example", DEMO_PASSWORD,
                is_staff=True, is_superuser=superuser,
            )  # fmt: skip
            user.groups.add(Group.objects.get(name=group))

    @transaction.atomic
    def insert_batch(self, rows, today):
        attorney = User.objects.filter(username="attorney").first()
        clients = _insert_clients(rows)
        cases = [_new_case(client, row, today, attorney)
                 for client, row in zip(clients, rows, strict=True)]  # fmt: skip
        deadlines = []
        for case, row in zip(cases, rows, strict=True):
            deadlines += _new_deadlines(case, row)
        cases = Case.objects.bulk_create(cases)
        for deadline in deadlines:
            deadline.case_id = deadline.case.pk
        Deadline.objects.bulk_create(deadlines)
        # One UPDATE gives the whole batch its references.
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(
            reference=Concat(
                Value(f"{Case.reference_for(0, today.year)[:-6]}"),
                LPad(Cast("id", CharField()), 6, Value("0")),
            )
        )


def _insert_clients(rows) -> list[Client]:
    """The batch's clients with their entries, family members and claims, saved."""
    clients = [Client(**r["client"]) for r in rows]
    for client in clients:
        client.set_name_keys()  # bulk_create skips save()
    clients = Client.objects.bulk_create(clients)
    Entry.objects.bulk_create(
        [Entry(client=c, **e) for c, r in zip(clients, rows, strict=True) for e in r["entries"]]
    )
    members = [FamilyMember(client=c, **m) for c, r in zip(clients, rows, strict=True)
               for m in r["family"]]  # fmt: skip
    for member in members:
        member.set_derived()
    FamilyMember.objects.bulk_create(members)
    AsylumClaim.objects.bulk_create(
        [AsylumClaim(client=c, **r["claim"]) for c, r in zip(clients, rows, strict=True)]
    )
    return clients


def _new_case(client, row, today, attorney) -> Case:
    """The client's case, unsaved: priority assessed from the facts, attorney once past triage."""
    facts = Facts(
        detained=client.detained,
        detention_facility=client.detention_facility,
        in_removal_proceedings=client.in_removal_proceedings,
        next_hearing_date=client.next_hearing_date,
        last_arrival=row["entries"][-1]["date"],
        mobilisation_notice=row["claim"]["mobilisation_notice"],
    )
    assessment = assess_facts(facts, today)
    stage = row["case"]["stage"]
    return Case(
        client=client, stage=stage, priority=assessment.level,
        assessed_priority=assessment.level, priority_reasons=assessment.reasons,
        assigned_attorney=attorney if stage not in {"new", "triaged"} else None,
    )  # fmt: skip


def _new_deadlines(case, row) -> list[Deadline]:
    """The case's one-year deadline and hearing if any, unsaved; sets the case's next deadline."""
    mine = [Deadline(
        case=case, kind=DeadlineKind.ONE_YEAR, computed=True,
        due_date=one_year_filing_deadline(row["entries"][-1]["date"]),
    )]  # fmt: skip
    if row["client"]["next_hearing_date"]:
        mine.append(Deadline(
            case=case, kind=DeadlineKind.HEARING,
            due_date=row["client"]["next_hearing_date"],
        ))  # fmt: skip
    # bulk_create skips Deadline.save(), which keeps this copy in step.
    first = min(mine, key=lambda d: d.due_date)
    case.next_deadline_date, case.next_deadline_kind = first.due_date, first.kind
    return mine
