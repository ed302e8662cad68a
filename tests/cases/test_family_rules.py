"""cases.family: who can be a derivative on the asylum application."""

from datetime import date

import pytest

from cases.family import derivative_eligible, turns_21_within
from cases.models import FamilyMember

ON = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("relationship", "born", "marital", "eligible"),
    [
        ("spouse", date(1990, 1, 1), "married", True),
        ("spouse", None, "separated", True),
        ("child", date(2010, 1, 1), "single", True),
        ("child", date(2005, 11, 29), "single", True),  # 21 tomorrow
        ("child", date(2005, 11, 28), "single", False),  # 21 today
        ("child", date(2000, 1, 1), "single", False),
        ("child", date(2008, 1, 1), "married", False),
        ("child", date(2008, 1, 1), "separated", False),  # still married
        ("child", date(2008, 1, 1), "divorced", True),
        ("child", date(2008, 1, 1), "widowed", True),
        ("child", None, "single", False),  # unknown age: not shown as eligible
        ("parent", date(1960, 1, 1), "married", False),
        ("sibling", date(2010, 1, 1), "single", False),
        ("other", date(2010, 1, 1), "single", False),
    ],
)
def test_derivative_eligible(relationship, born, marital, eligible):
    assert derivative_eligible(relationship, born, marital, ON) is eligible


def test_a_29_february_child_turns_21_on_28_february():
    born = date(2004, 2, 29)
    assert derivative_eligible("child", born, "single", date(2025, 2, 27))
    assert not derivative_eligible("child", born, "single", date(2025, 2, 28))


def test_turns_21_within_six_months():
    assert turns_21_within(date(2006, 3, 1), ON) == date(2027, 3, 1)
    assert turns_21_within(date(2006, 6, 1), ON) is None  # more than 6 months away
    assert turns_21_within(date(2005, 1, 1), ON) is None  # already 21
    assert turns_21_within(None, ON) is None


@pytest.mark.parametrize(
    "on", [date(2025, 2, 27), date(2025, 2, 28), date(2025, 3, 1), date(2024, 2, 28),
           date(2024, 2, 29), date(2026, 11, 28)],
)  # fmt: skip
@pytest.mark.parametrize(
    "born", [date(2004, 2, 28), date(2004, 2, 29), date(2004, 3, 1), date(2003, 2, 28),
             date(2005, 11, 28), date(2005, 11, 29)],
)  # fmt: skip
def test_the_query_threshold_agrees_with_the_rule(on, born):
    """Exports count derivatives in SQL by the stored 21st birthday; it must match the rule."""
    member = FamilyMember(relationship="child", date_of_birth=born)
    member.set_derived()
    under_21 = member.turns_21_on > on
    assert under_21 is derivative_eligible("child", born, "single", on)


@pytest.mark.parametrize(
    ("relationship", "born", "marital", "more", "eligible"),
    [
        # A legally separated spouse is no longer a spouse for the I-589; "separated" still is.
        ("spouse", date(1990, 1, 1), "legally_separated", {}, False),
        ("spouse", date(1990, 1, 1), "separated", {}, True),
        # Family abroad cannot be on the I-589 (they may follow to join after a grant).
        ("spouse", date(1990, 1, 1), "married", {"in_united_states": False}, False),
        ("child", date(2010, 1, 1), "single", {"in_united_states": False}, False),
        # A stepchild: the marriage before the child turned 18.
        ("stepchild", date(2010, 1, 1), "single", {"parent_marriage_date": date(2027, 12, 31)},
         True),
        ("stepchild", date(2010, 1, 1), "single", {"parent_marriage_date": date(2028, 1, 1)},
         False),
        ("stepchild", date(2010, 1, 1), "single", {}, False),  # marriage date unknown
        # An adopted child: adopted before 16.
        ("adopted_child", date(2010, 1, 1), "single", {"adoption_date": date(2025, 12, 31)},
         True),
        ("adopted_child", date(2010, 1, 1), "single", {"adoption_date": date(2026, 1, 1)},
         False),
        ("adopted_child", date(2010, 1, 1), "single", {}, False),
        # The age freezes on the filing date: 21 today, but 20 when the I-589 was filed.
        ("child", date(2005, 11, 28), "single", {"filed_on": date(2026, 11, 27)}, True),
        ("child", date(2005, 11, 28), "single", {"filed_on": date(2026, 11, 28)}, False),
        ("stepchild", date(2005, 1, 1), "married", {"parent_marriage_date": date(2010, 1, 1),
                                                    "filed_on": date(2025, 1, 1)}, False),
    ],
)
def test_derivative_eligible_under_the_ina(relationship, born, marital, more, eligible):
    assert derivative_eligible(relationship, born, marital, ON, **more) is eligible
