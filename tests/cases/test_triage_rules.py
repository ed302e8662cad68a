"""cases.triage: urgency level and the reasons staff read."""

from datetime import date

import pytest

from cases.triage import Facts, assess, assess_facts

from ..factories import AsylumClaimFactory, CaseFactory, EntryFactory

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("facts", "level", "reason"),
    [
        (Facts(detained=True, detention_facility="Otay Mesa"), "critical",
         "Detained at Otay Mesa"),
        (Facts(next_hearing_date=date(2026, 12, 7), hearing_court="San Diego"), "critical",
         "Hearing in 9 days (San Diego)"),
        (Facts(last_arrival=date(2025, 11, 14)), "critical",
         "One-year deadline passed 12 days ago: exception needed"),  # due Mon 16 Nov
        (Facts(last_arrival=date(2025, 12, 10)), "critical", "One-year deadline in 12 days"),
        (Facts(in_removal_proceedings=True), "high", "In removal proceedings"),
        (Facts(next_hearing_date=date(2027, 1, 20)), "high", "Hearing in 53 days"),
        (Facts(last_arrival=date(2026, 1, 20)), "high", "One-year deadline in 53 days"),
        (Facts(last_arrival=date(2026, 11, 10)), "high", "Arrived 18 days ago"),
        (Facts(mobilisation_notice=True), "high", "Mobilisation notice received"),
        (Facts(last_arrival=date(2026, 6, 1)), "normal", None),
        # Boundaries: today, tomorrow, yesterday, 14/15 and 60/61 days.
        (Facts(next_hearing_date=TODAY), "critical", "Hearing today"),
        (Facts(next_hearing_date=date(2026, 11, 29)), "critical", "Hearing tomorrow"),
        (Facts(next_hearing_date=date(2026, 11, 27)), "critical",
         "Hearing date passed 1 day ago: was it missed?"),
        (Facts(next_hearing_date=date(2026, 12, 12)), "critical", "Hearing in 14 days"),
        (Facts(next_hearing_date=date(2026, 12, 13)), "high", "Hearing in 15 days"),
        (Facts(next_hearing_date=date(2027, 1, 27)), "high", "Hearing in 60 days"),
        (Facts(next_hearing_date=date(2027, 1, 28)), "normal", None),
        # Arrivals whose one-year deadline (a weekday, no holiday) falls on the day named.
        (Facts(last_arrival=date(2025, 11, 28)), "critical",
         "One-year deadline in 2 days"),  # 28 Nov 2026 is a Saturday: due Monday
        (Facts(last_arrival=date(2025, 11, 27)), "critical",
         "One-year deadline passed 1 day ago: exception needed"),  # due Fri 27 Nov 2026
        (Facts(last_arrival=date(2025, 12, 11)), "critical", "One-year deadline in 13 days"),
        (Facts(last_arrival=date(2025, 12, 14)), "high", "One-year deadline in 16 days"),
        (Facts(last_arrival=date(2026, 1, 27)), "high", "One-year deadline in 60 days"),
        (Facts(last_arrival=date(2026, 1, 28)), "normal", None),
        (Facts(last_arrival=date(2026, 10, 29)), "high", "Arrived 30 days ago"),
        (Facts(last_arrival=date(2026, 10, 28)), "normal", None),
        # An unaccompanied child (under 18, no parent or guardian here) has no one-year rule;
        # an adult who came as a child alone has.
        (Facts(last_arrival=date(2025, 6, 1), date_of_birth=date(2011, 3, 1)), "normal", None),
        (Facts(last_arrival=date(2025, 11, 14), date_of_birth=date(1990, 5, 17)), "critical",
         "One-year deadline passed 12 days ago: exception needed"),
        (Facts(last_arrival=date(2025, 11, 14), date_of_birth=date(2011, 3, 1),
               parent_or_guardian_in_us=True), "critical",
         "One-year deadline passed 12 days ago: exception needed"),
        # Under 18 on the day it was filed: the exemption holds after the 18th birthday.
        (Facts(last_arrival=date(2025, 1, 6), date_of_birth=date(2008, 6, 1),
               filed_on=date(2026, 3, 2)), "normal", None),
        # Filed: the one-year and the judge's deadlines are behind the client.
        (Facts(last_arrival=date(2025, 11, 14), filed_on=date(2025, 11, 1)), "normal", None),
        (Facts(judge_filing_deadline=date(2026, 11, 30)), "critical",
         "Judge's filing deadline in 2 days"),
        (Facts(judge_filing_deadline=date(2026, 12, 12)), "critical",
         "Judge's filing deadline in 14 days"),
        (Facts(judge_filing_deadline=date(2026, 11, 20)), "critical",
         "Judge's filing deadline passed 8 days ago: missing it abandons the application"),
        (Facts(judge_filing_deadline=date(2026, 12, 13)), "high",
         "Judge's filing deadline in 15 days"),
        (Facts(judge_filing_deadline=date(2027, 1, 27)), "high",
         "Judge's filing deadline in 60 days"),
        (Facts(judge_filing_deadline=date(2027, 1, 28)), "normal", None),
        (Facts(judge_filing_deadline=date(2026, 11, 30), filed_on=date(2026, 11, 27)),
         "normal", None),
        (Facts(prior_removal_order=True), "high", "Prior removal order"),
        # A missed hearing is critical until the motion to reopen is made (180 days).
        (Facts(motion_to_reopen_by=date(2027, 3, 1)), "critical",
         "Missed hearing: removal order likely; motion to reopen by 2027-03-01 (in 93 days)"),
        (Facts(motion_to_reopen_by=date(2026, 11, 18)), "critical",
         "Missed hearing: the 180 days to move to reopen passed 10 days ago"),
        # ICE check-ins within 14 days, and a parole or TPS end within 60, raise the level.
        (Facts(next_ice_check_in=date(2026, 12, 3)), "high", "ICE check-in in 5 days"),
        (Facts(next_ice_check_in=date(2026, 11, 25)), "high",
         "ICE check-in was due 3 days ago: did they report?"),
        (Facts(next_ice_check_in=date(2026, 12, 13)), "normal", None),
        (Facts(lawful_status="Parole", status_ends_on=date(2027, 1, 20)), "high",
         "Parole ends in 53 days"),
        (Facts(lawful_status="TPS", status_ends_on=date(2027, 6, 1)), "normal", None),
        (Facts(prior_asylum_denied=True), "high", "Earlier asylum application denied"),
        (Facts(criminal_case_or_wanted=True), "high", "Criminal case or wanted list at home"),
        # The lawful-status exception (8 CFR 208.4(a)(5)(iv)): parole held past the one-year
        # deadline and ended no more than six months ago; otherwise an exception is needed.
        (Facts(last_arrival=date(2025, 11, 14), lawful_status="Parole",
               status_ends_on=date(2026, 12, 20)), "critical",
         "One-year deadline passed 12 days ago: Parole until 2026-12-20: lawful-status "
         "exception, file by 2027-06-20"),
        (Facts(last_arrival=date(2025, 11, 14), lawful_status="Parole",
               status_ends_on=date(2026, 11, 20)), "critical",
         "One-year deadline passed 12 days ago: Parole until 2026-11-20: lawful-status "
         "exception, file by 2027-05-20"),
        (Facts(last_arrival=date(2025, 11, 14), lawful_status="TPS",
               status_ends_on=date(2026, 11, 1)), "critical",
         "One-year deadline passed 12 days ago: exception needed"),  # ended before it was due
        (Facts(last_arrival=date(2024, 11, 14), lawful_status="Parole",
               status_ends_on=date(2026, 5, 1)), "critical",
         "One-year deadline passed 379 days ago: exception needed"),  # ended > 6 months ago
    ],
)
def test_assess_facts(facts, level, reason):
    result = assess_facts(facts, TODAY)
    assert result.level == level
    if reason:
        assert reason in result.reasons
    else:
        assert result.reasons == []


@pytest.mark.django_db
def test_assess_reads_a_case(time_machine):
    time_machine.move_to("2026-11-28 12:00", tick=False)
    case = CaseFactory()
    EntryFactory(client=case.client, date=date(2026, 11, 20))
    AsylumClaimFactory(client=case.client, mobilisation_notice=True)
    result = assess(case)
    assert result.level == "high"
    assert result.reasons == ["Arrived 8 days ago", "Mobilisation notice received"]


@pytest.mark.parametrize(
    ("last_arrival", "reason"),
    [
        (date(2025, 11, 25), "One-year deadline today"),
        (date(2025, 11, 24), "One-year deadline passed 1 day ago: exception needed"),
        (date(2025, 11, 26), "One-year deadline in 2 days"),  # Thanksgiving moves it to Friday
    ],
)
def test_one_year_boundaries_on_a_wednesday(last_arrival, reason):
    result = assess_facts(Facts(last_arrival=last_arrival), date(2026, 11, 25))
    assert result.level == "critical"
    assert reason in result.reasons
