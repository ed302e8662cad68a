"""New-intake alerts sized for a surge: a critical intake e-mails the attorneys on triage
duty at once; the others wait for a digest every settings.TRIAGE_DIGEST_HOURS, unless a
recipient chose every intake at once (StaffSettings.triage_alerts).

Who gets an intake at once and who in the digest is decided at the submit, with each
person's choice then (intake_alert_plan, called by cases.emails), and the digest lines are
rows (DigestEntry) written in the submit's transaction: changing one's choice later never
loses an intake that was waiting, nor sends one a second time.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import EmailKind
from notifications.outbox import email_queue
from notifications.rendering import email_render

from .models import DeadlineKind, DigestEntry, Priority, StaffSettings, TriageAlerts

LEVEL_ORDER = {Priority.CRITICAL: 0, Priority.HIGH: 1, Priority.NORMAL: 2}
KIND_LABELS = {kind.value: str(kind.label) for kind in DeadlineKind}


def alert_at_once(level: str, choice: str) -> bool:
    """A critical intake cannot wait for a digest (a detained client, a hearing this week);
    the rest wait unless the recipient asked for every intake at once."""
    return level == Priority.CRITICAL or choice == TriageAlerts.IMMEDIATE


def triage_duty() -> dict[str, str]:
    """Each address on triage duty with its choice; the fallback addresses (nobody on duty)
    as "digest". One address shared by two accounts takes the more eager choice."""
    rows = get_user_model().objects.filter(
        groups__name=settings.TRIAGE_GROUP, is_active=True
    ).exclude(email="").values_list("email", "staff_settings__triage_alerts")
    duty: dict[str, str] = {}
    for address, choice in rows:
        choice = choice or TriageAlerts.DIGEST  # no settings row yet: the default
        if duty.get(address) != TriageAlerts.IMMEDIATE:
            duty[address] = choice
    if not duty:
        return dict.fromkeys(settings.TRIAGE_FALLBACK_EMAILS, TriageAlerts.DIGEST)
    return dict(sorted(duty.items()))


def intake_alert_plan(level: str) -> tuple[list[str], list[str]]:
    """(addresses e-mailed at once, addresses whose digest lists it) for a new intake."""
    now, later = [], []
    for address, choice in triage_duty().items():
        (now if alert_at_once(level, choice) else later).append(address)
    return now, later


def digest_entries_add(*, case, addresses: list[str]) -> None:
    """In the caller's (the submit's) transaction: the intake owed to these digests."""
    DigestEntry.objects.bulk_create([DigestEntry(case=case, to=a) for a in addresses])


def digest_order(entries: list[DigestEntry]) -> list[DigestEntry]:
    """Most urgent first (the level the firm works by now), then the nearest deadline."""
    far = datetime.max.date()
    return sorted(entries, key=lambda e: (LEVEL_ORDER.get(e.case.priority, 3),
                                          e.case.next_deadline_date or far, e.case_id))  # fmt: skip


def digest_line(case, site: str) -> dict:
    """One intake as the digest shows it: no name, no story, no document."""
    client = case.client
    return {
        "reference": case.reference,
        "level": case.priority.upper(),
        "reason": case.priority_reasons[0] if case.priority_reasons else "no urgent reason found",
        "deadline": (f"{KIND_LABELS.get(case.next_deadline_kind, 'Deadline')} "
                     f"{case.next_deadline_date:%Y-%m-%d}" if case.next_deadline_date
                     else "no open deadline"),  # fmt: skip
        "origin": f"{client.nationality.name or 'nationality unknown'}, "
                  f"{client.get_preferred_language_display()}",
        "url": site + case.get_absolute_url(),
    }


def _window(entries: list[DigestEntry]) -> str:
    start, end = (timezone.localtime(e.queued_at) for e in (entries[0], entries[-1]))
    if f"{start:%Y%m%d%H%M}" == f"{end:%Y%m%d%H%M}":
        return f"{start:%Y-%m-%d %H:%M}"
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}"


def triage_digests_run(*, now: datetime | None = None) -> int:
    """Queue a digest for each address with intakes waiting; returns how many were queued.
    Nothing waiting, no e-mail; safe to run twice or late, and beside another run."""
    addresses = DigestEntry.objects.filter(digested_at=None).values_list("to", flat=True)
    return sum(
        triage_digest_queue(to=address, now=now or timezone.now())
        for address in sorted(set(addresses))
    )


def triage_digest_queue(*, to: str, now: datetime) -> int:
    """One address's digest: its waiting intakes, locked, listed and marked in the
    transaction that writes the outbox row. Returns 1 if it queued one."""
    try:
        with transaction.atomic():
            # Rows another run holds are its own: skipped, not waited for and sent again.
            pending = DigestEntry.objects.select_for_update(skip_locked=True, of=("self",))
            entries = list(
                pending.filter(to=to, digested_at=None)
                .select_related("case__client").order_by("queued_at", "pk")
            )
            if not entries:
                return 0
            site = settings.SITE_URL.rstrip("/")
            context = {
                "lines": [digest_line(e.case, site) for e in digest_order(entries)],
                "window": _window(entries),
                "hours": settings.TRIAGE_DIGEST_HOURS,
                "settings_url": site + reverse("cases:alert_settings"),
            }
            with translation.override("en"):
                subject, text, _html = email_render("cases/emails/triage_digest", context,
                                                    html=False)  # fmt: skip
            # The first row is this address's alone: on a database without row locks, a
            # second run that read the same rows fails here and rolls back.
            email = email_queue(to=to, subject=subject, text=text, kind=EmailKind.TRIAGE,
                                dedupe_key=f"triage-digest:{entries[0].pk}",
                                keep_body=False)  # fmt: skip
            DigestEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
                digested_at=now, email=email
            )
    except IntegrityError:
        return 0
    return 1


@transaction.atomic
def staff_alerts_choose(*, user, triage_alerts: str) -> StaffSettings:
    """The signed-in user's own choice; it applies to intakes submitted from now on."""
    if triage_alerts not in TriageAlerts.values:
        raise ValueError(f"Unknown triage alert choice: {triage_alerts!r}")
    row, _created = StaffSettings.objects.select_for_update().get_or_create(user=user)
    row.triage_alerts = triage_alerts
    row.save()
    return row


def staff_alerts_of(user) -> StaffSettings:
    """The user's settings, unsaved defaults if they never chose."""
    return StaffSettings.objects.filter(user=user).first() or StaffSettings(user=user)
