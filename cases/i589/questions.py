"""The I-589's yes/no questions of Parts B and C that have a written explanation, in the
form's order: the part and item, the question in short, and the claim's fields holding the
answer, the client's explanation and the firm's English translation of it.

One home for that wording: the data sheet, the declaration draft and the case page's
translation form read it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str  # part and item, e.g. "B.2"
    text: str
    answer: str | None  # the claim's yes/no field (None: derived, see items.py)
    details: str  # the claim's field with the client's own words


QUESTIONS = (
    Question("B.2", "Have you or your family members ever been accused, charged, arrested, "
             "detained, interrogated, convicted and sentenced, or imprisoned in any country "
             "other than the United States?", "arrested_abroad", "arrested_abroad_details"),
    Question("B.3.A", "Have you or your family members ever belonged to or been associated "
             "with any organizations or groups in your home country?", "organisations",
             "organisations_details"),
    Question("B.3.B", "Do you or your family members continue to participate in any way in "
             "these organizations or groups?", "organisations_continued",
             "organisations_continued_details"),
    Question("B.4", "Are you afraid of being subjected to torture in your home country or any "
             "other country to which you may be returned?", "fears_torture",
             "fears_torture_details"),
    Question("C.1", "Have you, your spouse, your children, your parents or your siblings ever "
             "applied to the U.S. Government for refugee status, asylum, or withholding of "
             "removal?", "family_applied_before", "family_applied_before_details"),
    Question("C.2", "After leaving your country, did you travel through or reside in any other "
             "country (2.A), or apply for or receive lawful status in any other country "
             "(2.B)?", None, "other_country_details"),
    Question("C.3", "Have you, your spouse or your children ever ordered, incited, assisted or "
             "otherwise participated in causing harm or suffering to any person because of "
             "race, religion, nationality, membership in a particular social group or "
             "political opinion?", "harmed_others", "harmed_others_details"),
    Question("C.4", "After you left the country where you were harmed or fear harm, did you "
             "return to that country?", None, "returned_details"),
    Question("C.5", "Are you filing this application more than 1 year after your last arrival "
             "in the United States? If so, why did you not file within the first year?",
             None, "late_filing_explanation"),
    Question("C.6", "Have you or any member of your family included in the application ever "
             "committed any crime or been arrested, charged, convicted, or sentenced for any "
             "crime in the United States?", "us_crimes", "us_crimes_details"),
)  # fmt: skip

# The explanation fields with the label the case page's translation form shows.
DETAILS_LABELS = {q.details: f"{q.key}: {q.text}" for q in QUESTIONS}
