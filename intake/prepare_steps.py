"""The preparation questionnaire's steps, on the intake wizard's engine (intake.wizard):
the same Step class, stored answers, caps and row handling, with the client's records as
the first answers (cases.preparation.prepared_answers) until the client saves a step.

A view sets `draft.prefill` (the records, in cases.preparation's shape) before building."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.family import birthday
from cases.timezones import today

from . import questionnaire_forms as pf
from .wizard import Step, forms_valid


@dataclass(frozen=True)
class PrepareStep(Step):
    template: str = "intake/prepare_step.html"
    intro: str = ""


def _prefill(draft) -> dict:
    return getattr(draft, "prefill", None) or {}


def _answer(draft, slug: str, form: str, field: str, fallback=None):
    """One answer of another step if it passes its field's checks, else `fallback` (what
    the records say): the rest of that step may still be unfinished."""
    built = STEP_BY_SLUG[slug].build(draft)[form]
    if not built.is_bound:
        return fallback
    try:
        return built.fields[field].clean(built[field].data)
    except ValidationError:
        return fallback


def client_birth_date(draft):
    return _answer(draft, "about", "about", "date_of_birth",
                   _prefill(draft).get("client", {}).get("date_of_birth"))  # fmt: skip


def client_married(draft) -> bool:
    status = _answer(draft, "about", "about", "marital_status",
                     _prefill(draft).get("client", {}).get("marital_status"))  # fmt: skip
    return status in pf.MARRIED


def last_arrival(draft):
    """The last entry date the entries step holds (its valid rows), else the records'."""
    built = STEP_BY_SLUG["entries"].build(draft)["entries"]
    if built.is_bound:
        return max(built.arrival_dates(), default=None)
    dates = [row["date"] for row in _prefill(draft).get("entries", []) if row.get("date")]
    return max(dates, default=None)


def _yes_no_initial(value) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class AboutStep(PrepareStep):
    def _forms(self, draft, data):
        initial = None
        if data is None:
            client = _prefill(draft).get("client", {})
            initial = {name: client.get(name) for name in pf.PrepareAboutForm.Meta.fields}
            initial["mailing_different"] = bool(client.get("mailing_line1"))
        return {"about": pf.PrepareAboutForm(data, prefix="about", initial=initial)}


class FamilyStep(PrepareStep):
    reads = ("about",)

    def _forms(self, draft, data):
        initial = None
        if data is None:
            known = _prefill(draft).get("family", [])
            initial = [{"member": row.get("pk"), **row} for row in known]
        mine = {"client_birth_date": client_birth_date(draft),
                "client_married": client_married(draft)}  # fmt: skip
        return {"family": pf.PrepareFamilyFormSet(data, prefix="family", initial=initial,
                                                  form_kwargs=mine)}  # fmt: skip


class ResidencesStep(PrepareStep):
    reads = ("about",)

    def _forms(self, draft, data):
        rows = _prefill(draft).get("residences", []) if data is None else []
        last = next((r for r in rows if r.get("kind") == "before_us"), None)
        lived = [r for r in rows if r.get("kind") == "five_years"] or None
        born = {"client_birth_date": client_birth_date(draft)}
        return {
            "last": pf.ResidenceForm(data, prefix="last", initial=last, **born),
            "lived": pf.ResidenceFormSet(data, prefix="lived", initial=lived, form_kwargs=born),
        }


class HistoryStep(PrepareStep):
    reads = ("about",)

    def _forms(self, draft, data):
        known = _prefill(draft) if data is None else {}
        born = {"client_birth_date": client_birth_date(draft)}
        return {
            "schools": pf.SchoolingFormSet(data, prefix="schools", form_kwargs=born,
                                           initial=known.get("schooling") or None),
            "jobs": pf.EmploymentFormSet(data, prefix="jobs", form_kwargs=born,
                                         initial=known.get("employment") or None),
        }  # fmt: skip


class EntriesStep(PrepareStep):
    reads = ("about",)

    def _forms(self, draft, data):
        known = _prefill(draft) if data is None else {}
        born = client_birth_date(draft)
        entries = pf.PrepareEntryFormSet(data, prefix="entries",
                                         initial=known.get("entries") or None,
                                         form_kwargs={"date_of_birth": born})  # fmt: skip
        left = {"left_country_on": known.get("client", {}).get("left_country_on")}
        return {
            "entries": entries,
            "left": pf.LeftCountryForm(data, prefix="left", initial=left if data is None
                                       else None, date_of_birth=born, entries=entries),
        }  # fmt: skip


class QuestionsStep(PrepareStep):
    reads = ("entries",)

    def _forms(self, draft, data):
        initial = None
        if data is None:
            known = _prefill(draft)
            claim, client = known.get("claim", {}), known.get("client", {})
            initial = {name: _yes_no_initial(claim.get(name)) for name in pf.QUESTIONS}
            initial["returned_since_leaving"] = _yes_no_initial(
                client.get("returned_since_leaving"))
            initial.update({name: claim.get(name) for name in
                            (*pf.EXPLAINED_BY.values(), "late_filing_explanation")
                            if claim.get(name)})  # fmt: skip
        last = last_arrival(draft)
        late = last is not None and today() > birthday(last, 1)
        return {"questions": pf.MoreQuestionsForm(data, prefix="questions", initial=initial,
                                                  late_filing=late)}  # fmt: skip


STEPS = (
    AboutStep("about", _("About you"),
              intro=_("Please check what you told us and correct anything that is wrong. "
                      "Names as in your passport.")),
    FamilyStep("family", _("Your family"),
               intro=_("Your spouse and children, then your parents and your brothers and "
                       "sisters, living or not, wherever they are.")),
    ResidencesStep("residences", _("Where you lived"),
                   intro=_("Your last address before you came to the US, then every address "
                           "of the past five years, the most recent first.")),
    HistoryStep("history", _("Schools and jobs"),
                intro=_("Every school you attended, and your jobs of the past five years, "
                        "the most recent first.")),
    EntriesStep("entries", _("Entries to the US"),
                intro=_("Every time you entered the United States.")),
    QuestionsStep("questions", _("More questions")),
    PrepareStep("review", _("Review and send"), "intake/prepare_review.html"),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def step_number(slug: str) -> int:
    return [s.slug for s in STEPS].index(slug) + 1


def neighbour(slug: str, offset: int) -> Step | None:
    index = step_number(slug) - 1 + offset
    return STEPS[index] if 0 <= index < len(STEPS) else None


def step_is_complete(draft, step: Step) -> bool:
    """Saved by the client (a pre-filled step is confirmed by saving it), and valid."""
    if step.slug == "review" or step.slug not in draft.data:
        return False
    return forms_valid(step.build(draft))


def first_incomplete(draft) -> Step:
    return next((s for s in STEPS[:-1] if not step_is_complete(draft, s)), STEPS[-1])


def _rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


def records_from(draft) -> dict:
    """Every step's valid answers in cases.preparation's shape; assumes each is valid."""
    built = {slug: STEP_BY_SLUG[slug].build(draft) for slug in draft.data if slug in STEP_BY_SLUG}
    client = dict(built["about"]["about"].cleaned_data)
    client.pop("mailing_different", None)
    client["left_country_on"] = built["entries"]["left"].cleaned_data["left_country_on"]
    claim = dict(built["questions"]["questions"].cleaned_data)
    client["returned_since_leaving"] = claim.pop("returned_since_leaving")
    family = [{"pk": row.get("member"), **row} for row in _rows(built["family"]["family"])]
    residences = [{"kind": "before_us", **built["residences"]["last"].cleaned_data}]
    residences += [{"kind": "five_years", **row} for row in _rows(built["residences"]["lived"])]
    return {
        "client": client,
        "claim": claim,
        "family": family,
        "residences": residences,
        "schooling": _rows(built["history"]["schools"]),
        "employment": _rows(built["history"]["jobs"]),
        "entries": _rows(built["entries"]["entries"]),
    }
