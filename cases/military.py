"""The draft and military record, as the attorney reads the claim: plain functions."""

from datetime import date

# The mobilisation a client fled, by nationality: Russia's "partial" mobilisation decree
# (No. 647 of 21 September 2022) and Ukraine's general mobilisation (decree No. 69/2022 of
# 24 February 2022). Leaving before or after it shapes the claim and, for the one-year rule,
# whether it is a changed circumstance (8 CFR 208.4(a)(4)).
MOBILISATION = {
    "RU": (date(2022, 9, 21), "Russia's mobilisation decree of 21 September 2022"),
    "UA": (date(2022, 2, 24), "Ukraine's general mobilisation of 24 February 2022"),
}


def left_relative_to_mobilisation(nationality: str, left_on: date | None) -> str:
    """'before Russia's mobilisation decree of 21 September 2022', or '' if not known or not
    one of those nationalities."""
    if left_on is None or nationality not in MOBILISATION:
        return ""
    day, name = MOBILISATION[nationality]
    if left_on == day:
        return f"on the day of {name}"
    return f"{'before' if left_on < day else 'after'} {name}"


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else "date unknown"


def military_lines(claim, *, with_text: bool) -> list[str]:
    """The claim's military facts, one line each; the client's own words about deployments
    and minority only `with_text` (those who may read the narrative)."""
    lines = []
    if claim.mobilisation_notice:
        how = f", {claim.get_notice_served_display().lower()}" if claim.notice_served else ""
        lines.append(f"Mobilisation notice received {_day(claim.notice_received_on)}{how}")
    if claim.prior_military_service:
        served = claim.get_service_type_display() or "type not given"
        lines.append(f"Served: {served}, {_day(claim.service_from)} to {_day(claim.service_to)}"
                     + (f"; specialty or rank: {claim.military_specialty}"
                        if claim.military_specialty else ""))  # fmt: skip
        if with_text and claim.deployments:
            lines.append(f"Deployments: {claim.deployments}")
    if claim.reserve_category:
        lines.append(f"Reserve: {claim.get_reserve_category_display()}")
    if claim.conscientious_objector:
        bases = [name for field, name in (("objection_religious", "religious"),
                                          ("objection_political", "political"),
                                          ("objection_this_war", "this war only"))
                 if getattr(claim, field)]  # fmt: skip
        lines.append("Conscientious objection: " + (", ".join(bases) or "basis not given")
                     + ("; sought alternative civilian service"
                        if claim.alternative_service_sought else ""))  # fmt: skip
    facts = (
        ("criminal_case_or_wanted", "Criminal case opened or on a wanted list"),
        ("antiwar_arrested", "Detained or arrested for anti-war speech"),
        ("relatives_approached", "Officials approached relatives or the home"),
    )
    lines += [text for field, text in facts if getattr(claim, field)]
    if claim.minority_ethnicity_or_religion:
        detail = f": {claim.minority_details}" if with_text and claim.minority_details else ""
        lines.append(f"Ethnic or religious minority{detail}")
    return lines
