"""Family rules as plain functions: who can be a derivative on the application."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings

DERIVATIVE_AGE_LIMIT = 21
UNMARRIED = frozenset({"single", "divorced", "widowed"})


def birthday(date_of_birth: date, age: int) -> date:
    """The day a person reaches `age`; 29 February birthdays fall on 28 February."""
    return date_of_birth + relativedelta(years=age)


# INA 101(b)(1): a stepchild if the marriage came before the child turned 18; an adopted
# child if adopted before 16 (the two years' custody are the attorney's to check).
STEPCHILD_MARRIAGE_BEFORE_AGE = 18
ADOPTED_BEFORE_AGE = 16
CHILDREN = frozenset({"child", "stepchild", "adopted_child"})


def derivative_eligible(
    relationship: str,
    date_of_birth: date | None,
    marital_status: str,
    on: date,
    *,
    in_united_states: bool = True,
    filed_on: date | None = None,
    parent_marriage_date: date | None = None,
    adoption_date: date | None = None,
) -> bool:
    """Whether this relative can be included in the principal's I-589 (INA 208(b)(3)).

    A spouse (still married: "separated" is, "legally_separated" is not; for a spouse pass
    spouse_marital_status, so the client's own answer counts), or an unmarried
    child under 21, who is in the United States; the child's age is taken on the day the
    principal's application was filed once it is (`filed_on`, the Child Status Protection
    Act), else on `on`. A child whose date of birth is unknown is not shown as eligible.
    Family abroad can follow to join after a grant (Form I-730) instead.
    """
    if not in_united_states:
        return False
    if relationship == "spouse":
        return marital_status not in MARRIAGE_ENDED
    if date_of_birth is None or not qualifies_as_child(
        relationship, date_of_birth, parent_marriage_date, adoption_date
    ):
        return False
    age_on = filed_on or on
    return marital_status in UNMARRIED and age_on < birthday(date_of_birth, DERIVATIVE_AGE_LIMIT)


def qualifies_as_child(
    relationship: str,
    date_of_birth: date | None,
    parent_marriage_date: date | None = None,
    adoption_date: date | None = None,
) -> bool:
    """A child in the sense of INA 101(b)(1): born to the principal, a stepchild whose
    parent married the principal before the child turned 18, or adopted before 16."""
    if relationship == "child":
        return True
    if date_of_birth is None:
        return False
    if relationship == "stepchild":
        return _before_birthday(parent_marriage_date, date_of_birth,
                                STEPCHILD_MARRIAGE_BEFORE_AGE)  # fmt: skip
    if relationship == "adopted_child":
        return _before_birthday(adoption_date, date_of_birth, ADOPTED_BEFORE_AGE)
    return False


# The client's own answers that end a marriage for the I-589 (their spouse cannot be on it).
MARRIAGE_ENDED = frozenset({*UNMARRIED, "legally_separated"})


def spouse_marital_status(member_status: str, client_status: str) -> str:
    """The marriage as the relative's row and the client's own answer tell it together: a
    client who says they are single, divorced, widowed or legally separated has no spouse to
    include, whatever the relative's row says (older records have no answer of the client)."""
    return client_status if client_status in MARRIAGE_ENDED else member_status


def may_follow_to_join(relationship: str, in_united_states: bool) -> bool:
    """A spouse or child abroad cannot be on the I-589 but may follow to join after a grant
    (Form I-730)."""
    return not in_united_states and relationship in {"spouse", *CHILDREN}


def _before_birthday(day: date | None, date_of_birth: date, age: int) -> bool:
    return day is not None and day < birthday(date_of_birth, age)


def turns_21_within(date_of_birth: date | None, on: date, months: int = 6) -> date | None:
    """The 21st birthday if it falls after `on` and within `months` of it, else None."""
    if date_of_birth is None:
        return None
    day = birthday(date_of_birth, DERIVATIVE_AGE_LIMIT)
    return day if on < day <= on + relativedelta(months=months) else None


def derivative_outlook(
    relationship: str, date_of_birth: date | None, marital_status: str, on: date, **facts
) -> tuple[bool, date | None]:
    """Whether this relative can be a derivative on `on` (derivative_eligible, with its
    keyword facts), and for an eligible child not yet filed for, the 21st birthday when it
    comes within settings.DERIVATIVE_WARNING_MONTHS: the application must be filed before
    it. The review step, the case page and the triage e-mail all ask this."""
    eligible = derivative_eligible(relationship, date_of_birth, marital_status, on, **facts)
    if not eligible or relationship not in CHILDREN or facts.get("filed_on"):
        return eligible, None
    months = settings.DERIVATIVE_WARNING_MONTHS
    return eligible, turns_21_within(date_of_birth, on, months=months)
