"""The I-589 data sheet's items, built from a case's records: one function per part, each
returning Items (part, item number, English label, the value as the form wants it).

As the form wants it: dates mm/dd/yyyy (month/year, mm/yyyy, where the form asks only that,
Part A.III), countries by their English names, choices as the form's English words, names
in Latin letters as in the passport with the native script beside them. A list longer than
the form's lines continues on a supplement page as the form says: more children on
Supplement A, more entries, addresses, schools and jobs on Supplement B (Item.holds is how
many lines the form has; rows past it are marked continued).

The explanations of Parts B and C (Item.narrative) are built only for a viewer who may read
the client's account (the case page's permission, cases.view_narrative).

JSON shape (sheet_json): {"edition", "case", "prepared_on", "items": {key: value}}, a key
being the part and item ("A.I.14"; a spouse's or child's item "A.II.spouse.9",
"A.II.child[1].8"); a list item's value is a list of rows, each a dict of its columns
("A.III.2": [{"street": ..., "city": ..., "from": "03/2021", ...}]), rows past the form's
lines listed under "continued" ({"A.III.2": {"supplement": "B", "from_row": 5}})."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import prefetch_related_objects
from django.utils import translation

from ..choices import MannerOfEntry, MaritalStatus, Relationship, ResidenceKind, SchoolType
from ..timezones import today as firm_today
from . import EDITION
from .questions import QUESTIONS

CHILD_RELATIONSHIPS = {Relationship.CHILD, Relationship.STEPCHILD, Relationship.ADOPTED_CHILD}
# The form's lines per list before a supplement page takes over.
CHILDREN_ON_FORM = 4
ENTRIES_ON_FORM = 3
LAST_ADDRESSES_ON_FORM = 2
RESIDENCES_ON_FORM = 5
SCHOOLS_ON_FORM = 4
JOBS_ON_FORM = 3
SIBLINGS_ON_FORM = 4

# The form's marital status boxes are Single, Married, Divorced, Widowed: a separated
# person is still married.
FORM_MARITAL = {
    MaritalStatus.SINGLE: "Single", MaritalStatus.MARRIED: "Married",
    MaritalStatus.SEPARATED: "Married (separated)",
    MaritalStatus.LEGALLY_SEPARATED: "Married (legally separated)",
    MaritalStatus.DIVORCED: "Divorced", MaritalStatus.WIDOWED: "Widowed",
}  # fmt: skip
FORM_GENDER = {"male": "Male", "female": "Female"}
COURT_STATUS = {
    "a": "a. I have never been in Immigration Court proceedings.",
    "b": "b. I am now in Immigration Court proceedings.",
    "c": "c. I am not now in Immigration Court proceedings, but I have been in the past.",
}
MANNER_STATUS = {
    MannerOfEntry.PORT_INSPECTED: "Inspected at a port of entry",
    MannerOfEntry.CBP_ONE: "Inspected at a port of entry (CBP One)",
    MannerOfEntry.BETWEEN_PORTS: "EWI (entered without inspection)",
    MannerOfEntry.PAROLE: "Parole",
    MannerOfEntry.VISA: "Visa",
    MannerOfEntry.OTHER: "Other",
}
NO_TRANSLATION = "[No English translation yet. The client's words:]"


@dataclass(frozen=True)
class Item:
    part: str  # "A.I", "A.II", "A.III", "B", "C"
    number: str  # "14", "19.c", "spouse.9", "child[0].8"
    label: str
    value: str = ""
    rows: tuple = ()  # a list item: dicts of its columns
    columns: tuple = ()  # (key, heading) of each column
    holds: int | None = None  # the form's lines; rows past them go on `supplement`
    supplement: str = ""
    group: str = ""  # "Spouse", "Child 1": the person a Part A.II item is about
    narrative: bool = False  # the client's account: only for who may read it
    continued: bool = False  # on a supplement page (a fifth child and after)
    required: bool = True  # readiness counts it missing when empty ("if any": False)
    partial: bool = False  # a value, but not all the form asks (a country without the city)

    @property
    def key(self) -> str:
        return f"{self.part}.{self.number}"

    @property
    def place(self) -> str:
        """Where it is on the form: "Part A.I, item 14", "Part A.II, child 2, item 8"."""
        number = self.number.rpartition(".")[2]
        if self.group and number.isdigit():
            return f"Part {self.part}, {self.group.lower()}, item {number}"
        return f"Part {self.part}, item {self.number}"

    @property
    def is_list(self) -> bool:
        return bool(self.columns)

    @property
    def answered(self) -> bool:
        return bool(self.rows) if self.is_list else bool(self.value) and not self.partial

    @property
    def rows_on_form(self) -> tuple:
        return self.rows if self.holds is None else self.rows[: self.holds]

    @property
    def rows_continued(self) -> tuple:
        return () if self.holds is None else self.rows[self.holds :]

    @property
    def json_value(self):
        if not self.is_list:
            return self.value
        return [{key: row.get(key, "") for key, _ in self.columns} for row in self.rows]


@dataclass
class Sheet:
    case_reference: str
    prepared_on: date
    parts: list = field(default_factory=list)  # [(part, title, [Item])]
    with_narrative: bool = False
    merged_into: str = ""

    def items(self):
        return [item for _, _, items in self.parts for item in items]


PART_TITLES = {
    "A.I": "Part A.I. Information about you",
    "A.II": "Part A.II. Information about your spouse and children",
    "A.III": "Part A.III. Information about your background",
    "B": "Part B. Information about your application",
    "C": "Part C. Additional information about your application",
}


def mdy(day: date | None) -> str:
    return day.strftime("%m/%d/%Y") if day else ""


def my(day: date | None) -> str:
    return day.strftime("%m/%Y") if day else ""


def yes_no(answer: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(answer, "")


def country(value) -> str:
    """A django-countries value by its English name ('' when blank)."""
    return str(value.name) if value else ""


def latin_native(latin: str, native: str) -> str:
    """The passport's Latin spelling, the native script beside it when it differs."""
    latin, native = (latin or "").strip(), (native or "").strip()
    return f"{latin} ({native})" if native and native != latin else latin


def split_given(given: str) -> tuple[str, str]:
    """(first name, middle names) from the given names as written in the passport."""
    first, _, middle = (given or "").strip().partition(" ")
    return first, middle.strip()


def place_of_birth(city: str, born_in) -> str:
    return ", ".join(p for p in ((city or "").strip(), country(born_in)) if p)


def explained(claim, name: str) -> str:
    """An explanation for the form, in English: the firm's translation, or the client's own
    words marked as not translated yet."""
    english = (getattr(claim, f"{name}_en", "") or "").strip()
    own = (getattr(claim, name, "") or "").strip()
    if english:
        return english
    return f"{NO_TRANSLATION} {own}" if own else ""


def sheet_for(case, *, with_narrative: bool, on: date | None = None) -> Sheet:
    """Every part of the data sheet for this case, in English whatever the request's
    language."""
    on = on or firm_today()
    client = case.client
    # Each list once, however many parts and rules read it.
    prefetch_related_objects([client], "entries", "family", "residences", "employment",
                             "schooling")  # fmt: skip
    claim = getattr(client, "claim", None)
    merged = case.merged_into.reference if case.merged_into_id else ""
    with translation.override("en"):
        sheet = Sheet(case.reference or f"case {case.pk}", on, with_narrative=with_narrative,
                      merged_into=merged or "")  # fmt: skip
        for part, build in (("A.I", part_a1), ("A.II", part_a2), ("A.III", part_a3),
                            ("B", part_b), ("C", part_c)):  # fmt: skip
            items = build(client, claim, on)
            if not with_narrative:
                items = [item for item in items if not item.narrative]
            sheet.parts.append((part, PART_TITLES[part], items))
    return sheet


def part_a1(client, claim, on) -> list[Item]:
    first, middle = split_given(client.given_names)
    first_native, middle_native = split_given(client.given_names_native)
    entries = sorted(client.entries.all(), key=lambda e: e.date, reverse=True)
    phone = client.phone.as_international if client.phone else ""
    mailing = [client.mailing_line1, client.mailing_line2, client.mailing_city,
               client.mailing_state, client.mailing_postal_code]  # fmt: skip
    in_care = f"In care of {client.mailing_in_care_of}; " if client.mailing_in_care_of else ""
    mailing_text = (in_care + ", ".join(p for p in mailing if p)) if any(mailing) else ""
    a = "A.I"
    return [
        Item(a, "1", "Alien Registration Number (A-Number)", client.a_number, required=False),
        Item(a, "2", "U.S. Social Security Number", client.ssn, required=False),
        Item(a, "3", "USCIS online account number", client.uscis_account_number,
             required=False),
        Item(a, "4", "Complete last name", latin_native(client.family_name,
                                                        client.family_name_native)),
        Item(a, "5", "First name", latin_native(first, first_native)),
        Item(a, "6", "Middle name", latin_native(middle, middle_native), required=False),
        Item(a, "7", "Other names used (maiden name, aliases)", client.other_names,
             required=False),
        Item(a, "8", "Residence in the U.S. (street, apt., city, state, ZIP; telephone)",
             _address(client.address_line1, client.address_line2, client.city, client.state,
                      client.postal_code, phone)),
        Item(a, "9", "Mailing address in the U.S., if different from item 8",
             mailing_text or "Same as item 8", required=False),
        Item(a, "10", "Gender", FORM_GENDER.get(client.sex, "")),
        Item(a, "11", "Marital status", FORM_MARITAL.get(client.marital_status, "")),
        Item(a, "12", "Date of birth (mm/dd/yyyy)", mdy(client.date_of_birth)),
        Item(a, "13", "City and country of birth",
             place_of_birth(client.city_of_birth, client.country_of_birth),
             partial=not client.city_of_birth),
        Item(a, "14", "Present nationality (citizenship)", country(client.nationality)),
        Item(a, "15", "Nationality at birth", country(client.nationality_at_birth)),
        Item(a, "16", "Race, ethnic, or tribal group", client.ethnicity),
        Item(a, "17", "Religion", client.religion),
        Item(a, "18", "Immigration Court proceedings", COURT_STATUS[_court_box(client)]),
        Item(a, "19.a", "When did you last leave your country? (mm/dd/yyyy)",
             mdy(client.left_country_on)),
        Item(a, "19.b", "Current I-94 number", client.i94_number, required=False),
        Item(a, "19.c", "Each entry into the U.S., most recent first",
             rows=tuple(_entry_row(entry, client, i) for i, entry in enumerate(entries)),
             columns=(("date", "Date"), ("place", "Place"), ("status", "Status"),
                      ("status_expires", "Date status expires")),
             holds=ENTRIES_ON_FORM, supplement="B"),
        Item(a, "20", "Country that issued your last passport or travel document",
             country(client.passport_country)),
        Item(a, "21", "Passport number / travel document number",
             " / ".join(p for p in (client.passport_number, client.travel_document_number)
                        if p)),
        Item(a, "22", "Expiration date (mm/dd/yyyy)", mdy(client.passport_expires_on)),
        Item(a, "23", "Native language (include dialect)", client.native_language),
        Item(a, "24", "Fluent in English?", yes_no(client.fluent_in_english)),
        Item(a, "25", "Other languages spoken fluently", client.languages, required=False),
    ]  # fmt: skip


def _address(*parts) -> str:
    return ", ".join(p.strip() for p in parts if p and p.strip())


def _court_box(client) -> str:
    """Item 18's box, derived: in proceedings now; in the past (a removal order or a missed
    hearing, or an earlier claim decided in court); never."""
    if client.in_removal_proceedings:
        return "b"
    if client.prior_removal_order or client.missed_hearing_on or (
        client.prior_asylum_outcome == "pending_court"
    ):
        return "c"
    return "a"


def _entry_row(entry, client, index) -> dict:
    status = client.status_when_admitted if index == 0 and client.status_when_admitted else (
        entry.visa_type and f"{entry.visa_type} visa" or MANNER_STATUS.get(entry.manner, "")
    )  # fmt: skip
    expires = mdy(client.status_ends_on) if index == 0 else ""
    return {"date": mdy(entry.date), "place": entry.place, "status": status,
            "status_expires": expires}  # fmt: skip


def _relatives(client):
    family = list(client.family.all())
    spouse = next((m for m in family if m.relationship == Relationship.SPOUSE
                   and not m.deceased), None)  # fmt: skip
    children = [m for m in family if m.relationship in CHILD_RELATIONSHIPS]
    return family, spouse, children


def part_a2(client, claim, on) -> list[Item]:
    _, spouse, children = _relatives(client)
    filed_on = claim.filed_on if claim else None
    items = []
    if spouse is None:
        items.append(Item("A.II", "spouse", "Your spouse", "I am not married."))
    else:
        items += _person_items(spouse, "spouse", "Spouse", on, filed_on)
    items.append(Item("A.II", "children", "Your children",
                      f"I have {len(children)} children." if children
                      else "I do not have any children."))  # fmt: skip
    for index, child in enumerate(children):
        items += _person_items(child, f"child[{index}]", f"Child {index + 1}", on, filed_on,
                               continued=index >= CHILDREN_ON_FORM)  # fmt: skip
    return items


# The spouse's and a child's items by what they hold; the form numbers them differently.
SPOUSE_NUMBERS = {"a_number": 1, "passport": 2, "born": 3, "ssn": 4, "last": 5, "first": 6,
                  "middle": 7, "other_names": 8, "married_on": 9, "married_at": 10,
                  "birthplace": 11, "nationality": 12, "ethnicity": 13, "gender": 14,
                  "in_us": 15, "entry_place": 16, "entry_date": 17, "i94": 18,
                  "admitted_as": 19, "status": 20, "status_expires": 21, "in_court": 22,
                  "previous_arrival": 23, "included": 24}  # fmt: skip
CHILD_NUMBERS = {"a_number": 1, "passport": 2, "marital": 3, "ssn": 4, "last": 5, "first": 6,
                 "middle": 7, "born": 8, "birthplace": 9, "nationality": 10, "ethnicity": 11,
                 "gender": 12, "in_us": 13, "entry_place": 14, "entry_date": 15, "i94": 16,
                 "admitted_as": 17, "status": 18, "status_expires": 19, "in_court": 20,
                 "included": 21}  # fmt: skip
PERSON_LABELS = {
    "a_number": ("Alien Registration Number (A-Number)", False),
    "passport": ("Passport/ID card number", False),
    "born": ("Date of birth (mm/dd/yyyy)", True),
    "ssn": ("U.S. Social Security Number", False),
    "last": ("Complete last name", True),
    "first": ("First name", True),
    "middle": ("Middle name", False),
    "other_names": ("Other names used", False),
    "married_on": ("Date of marriage (mm/dd/yyyy)", True),
    "married_at": ("Place of marriage", True),
    "marital": ("Marital status", True),
    "birthplace": ("City and country of birth", True),
    "nationality": ("Nationality (citizenship)", True),
    "ethnicity": ("Race, ethnic, or tribal group", True),
    "gender": ("Gender", True),
    "in_us": ("In the U.S.? (if not, where)", True),
    "entry_place": ("Place of last entry into the U.S.", False),
    "entry_date": ("Date of last entry into the U.S. (mm/dd/yyyy)", False),
    "i94": ("I-94 number", False),
    "admitted_as": ("Status when last admitted (visa type, if any)", False),
    "status": ("Current status", False),
    "status_expires": ("Expiration date of authorized stay (mm/dd/yyyy)", False),
    "in_court": ("In Immigration Court proceedings?", False),
    "previous_arrival": ("If previously in the U.S., date of previous arrival", False),
    "included": ("To be included in this application?", True),
}


def _person_items(member, prefix, group, on, filed_on, continued=False) -> list[Item]:
    numbers = SPOUSE_NUMBERS if prefix == "spouse" else CHILD_NUMBERS
    first, middle = split_given(member.given_names)
    eligible, _ = member.derivative_outlook(on, filed_on)
    in_us = "Yes" if member.in_united_states else (
        f"No ({member.current_location})" if member.current_location else "No"
    )  # fmt: skip
    in_us_only = member.in_united_states  # the entry items are the U.S. ones
    values = {
        "a_number": member.a_number,
        "passport": member.passport_number,
        "born": mdy(member.date_of_birth),
        "ssn": "",
        "last": latin_native(member.family_name, member.name_native),
        "first": first,
        "middle": middle,
        "other_names": "",
        "married_on": mdy(member.marriage_date),
        "married_at": member.marriage_place,
        "marital": FORM_MARITAL.get(member.marital_status, ""),
        "birthplace": place_of_birth(member.city_of_birth, member.country_of_birth),
        "nationality": country(member.nationality),
        "ethnicity": member.ethnicity,
        "gender": FORM_GENDER.get(member.sex, ""),
        "in_us": in_us,
        "entry_place": member.last_entry_place if in_us_only else "",
        "entry_date": mdy(member.last_entry_date) if in_us_only else "",
        "i94": member.i94_number,
        "admitted_as": member.status_when_admitted,
        "status": member.current_status,
        "status_expires": mdy(member.status_expires_on),
        "in_court": yes_no(member.in_immigration_court),
        "previous_arrival": "",
        "included": "Yes" if eligible else "No",
    }
    items = []
    for name, number in numbers.items():
        label, required = PERSON_LABELS[name]
        # A relative abroad has no U.S. entry to give.
        if name in {"entry_place", "entry_date"} and in_us_only:
            required = True
        items.append(Item("A.II", f"{prefix}.{number}", label, values[name], group=group,
                          required=required, continued=continued,
                          partial=name == "birthplace" and not member.city_of_birth,
                          supplement="A" if continued else ""))  # fmt: skip
    return items


RESIDENCE_COLUMNS = (("street", "Number and street"), ("city", "City/town"),
                     ("province", "Department, province or state"), ("country", "Country"),
                     ("from", "From (mm/yyyy)"), ("to", "To (mm/yyyy)"))  # fmt: skip


def _residence_row(residence) -> dict:
    return {"street": residence.street, "city": residence.city, "province": residence.province,
            "country": country(residence.country), "from": my(residence.from_on),
            "to": my(residence.to_on) if residence.to_on else "Present"}  # fmt: skip


def _latest_first(period):
    return (period.to_on is None, period.to_on or date.min, period.from_on or date.min)


def part_a3(client, claim, on) -> list[Item]:
    residences = list(client.residences.all())
    last_abroad = [r for r in residences if r.kind == ResidenceKind.BEFORE_US]
    # The present address and job first, then the most recent.
    five_years = sorted((r for r in residences if r.kind == ResidenceKind.PAST_FIVE_YEARS),
                        key=_latest_first, reverse=True)  # fmt: skip
    schools = list(client.schooling.all())
    jobs = sorted(client.employment.all(), key=_latest_first, reverse=True)
    family = list(client.family.all())
    parents = [m for m in family if m.relationship == Relationship.PARENT]
    siblings = [m for m in family if m.relationship == Relationship.SIBLING]
    school_types = dict(SchoolType.choices)
    return [
        Item("A.III", "1", "Last address before coming to the U.S. (and the last address in "
             "the country of feared persecution, if different)",
             rows=tuple(_residence_row(r) for r in last_abroad), columns=RESIDENCE_COLUMNS,
             holds=LAST_ADDRESSES_ON_FORM, supplement="B"),
        Item("A.III", "2", "Residences during the past 5 years, present address first",
             rows=tuple(_residence_row(r) for r in five_years), columns=RESIDENCE_COLUMNS,
             holds=RESIDENCES_ON_FORM, supplement="B"),
        Item("A.III", "3", "Education, most recent school first",
             rows=tuple({"name": s.name, "type": str(school_types.get(s.school_type, "")),
                         "location": s.location, "from": my(s.from_on), "to": my(s.to_on)}
                        for s in schools),
             columns=(("name", "Name of school"), ("type", "Type of school"),
                      ("location", "Location (address)"), ("from", "From (mm/yyyy)"),
                      ("to", "To (mm/yyyy)")),
             holds=SCHOOLS_ON_FORM, supplement="B"),
        Item("A.III", "4", "Employment during the past 5 years, present job first",
             rows=tuple({"employer": _address(j.employer, j.address),
                         "occupation": j.occupation, "from": my(j.from_on),
                         "to": my(j.to_on) if j.to_on else "Present"} for j in jobs),
             columns=(("employer", "Name and address of employer"),
                      ("occupation", "Your occupation"), ("from", "From (mm/yyyy)"),
                      ("to", "To (mm/yyyy)")),
             holds=JOBS_ON_FORM, supplement="B", required=False),
        Item("A.III", "5", "Parents and siblings",
             rows=tuple(_relative_row(m) for m in [*parents, *siblings]),
             columns=(("relation", "Relation"), ("name", "Full name"),
                      ("birthplace", "City/town and country of birth"),
                      ("location", "Current location")),
             holds=2 + SIBLINGS_ON_FORM, supplement="B"),
    ]  # fmt: skip


def _relative_row(member) -> dict:
    if member.relationship == Relationship.PARENT:
        relation = {"female": "Mother", "male": "Father"}.get(member.sex, "Parent")
    else:
        relation = "Sibling"
    name = latin_native(f"{member.given_names} {member.family_name}", member.name_native)
    return {"relation": relation, "name": name,
            "birthplace": place_of_birth(member.city_of_birth, member.country_of_birth),
            "location": "Deceased" if member.deceased else member.current_location}  # fmt: skip


def part_b(client, claim, on) -> list[Item]:
    if claim is None:
        return []
    grounds = [label for flag, label in (
        (claim.ground_race, "Race"), (claim.ground_religion, "Religion"),
        (claim.ground_nationality, "Nationality"),
        (claim.ground_political_opinion, "Political opinion"),
        (claim.ground_social_group, "Membership in a particular social group"),
        (claim.fears_torture, "Torture Convention"),
    ) if flag]  # fmt: skip
    items = [
        Item("B", "1", "Seeking asylum or withholding of removal based on", ", ".join(grounds)),
        Item("B", "1.A", "Harm, mistreatment or threats in the past?",
             "Yes" if (claim.past_harm or "").strip() else "No"),
        Item("B", "1.A.explanation", "Past harm: what, when, who, why",
             explained(claim, "past_harm"), narrative=True, required=False),
        Item("B", "1.B", "Fear harm or mistreatment on return?",
             "Yes" if (claim.feared_harm or "").strip() else "No"),
        Item("B", "1.B.explanation", "Feared harm: what, who, why",
             explained(claim, "feared_harm"), narrative=True, required=False),
    ]  # fmt: skip
    return items + _questions(claim, "B")


def _questions(claim, part, answers=None) -> list[Item]:
    answers = answers or {}
    items = []
    for q in QUESTIONS:
        if not q.key.startswith(part + "."):
            continue
        number = q.key[len(part) + 1 :]
        answer = answers.get(q.key, yes_no(getattr(claim, q.answer)) if q.answer else "")
        if q.key != "C.2":  # C.2's two questions are set apart in part_c
            items.append(Item(part, number, q.text, answer))
        items.append(Item(part, f"{number}.explanation", f"Explanation of {q.key} (if Yes)",
                          explained(claim, q.details), narrative=True,
                          required=False))  # fmt: skip
    return items


def late_filing(last_arrival: date | None, filed_on: date | None, on: date) -> bool | None:
    """C.5: filing more than a year after the last arrival (on the filing date once filed,
    else today); None with no arrival recorded."""
    if last_arrival is None:
        return None
    when = filed_on or on
    try:
        anniversary = last_arrival.replace(year=last_arrival.year + 1)
    except ValueError:  # 29 February
        anniversary = date(last_arrival.year + 1, 3, 1)
    return when > anniversary


def part_c(client, claim, on) -> list[Item]:
    if claim is None:
        return []
    late = late_filing(client.last_arrival, claim.filed_on, on)
    family_applied = claim.family_applied_before
    if client.prior_asylum_application:  # the client's own earlier claim counts too
        family_applied = True
    items = _questions(claim, "C", answers={
        "C.1": yes_no(family_applied), "C.4": yes_no(client.returned_since_leaving),
        "C.5": yes_no(late),
    })  # fmt: skip
    travel = claim.other_country_travel
    if travel is None and client.countries_transited:
        travel = True  # the intake's countries passed through answer 2.A
    c2 = [Item("C", "2.A", "Travelled through or resided in any other country before "
               "entering the U.S.?", yes_no(travel)),
          Item("C", "2.B", "Applied for or received lawful status in any other country?",
               yes_no(claim.other_country_status))]  # fmt: skip
    if client.countries_transited:
        c2.append(Item("C", "2.A.countries", "Countries passed through (intake)",
                       client.countries_transited, required=False))
    at = next(i for i, item in enumerate(items) if item.number == "2.explanation")
    return items[:at] + c2 + items[at:]


def sheet_json(sheet: Sheet, declaration=None) -> dict:
    items, continued = {}, {}
    for item in sheet.items():
        items[item.key] = item.json_value
        if item.is_list and item.rows_continued:
            continued[item.key] = {"supplement": item.supplement, "from_row": item.holds}
        elif item.continued and item.group not in {c.get("group") for c in continued.values()}:
            continued[f"A.II.{item.number.split('.')[0]}"] = {"supplement": "A",
                                                             "group": item.group}
    data = {"edition": EDITION, "case": sheet.case_reference,
            "prepared_on": mdy(sheet.prepared_on), "items": items, "continued": continued}
    if sheet.merged_into:
        data["merged_into"] = sheet.merged_into
    if declaration is not None:
        data["declaration"] = declaration
    return data
