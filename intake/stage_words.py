"""A case's stage as the client reads it on their secure page: plain words, no jargon."""

from django.utils.translation import gettext_lazy as _

from cases.models import Stage

STAGE_WORDS = {
    Stage.NEW: _("We have received your form. A lawyer will read it soon."),
    Stage.TRIAGED: _("A lawyer has read your form. We will contact you about a consultation."),
    Stage.CONSULTATION: _("Your consultation with a lawyer is booked."),
    Stage.RETAINED: _(
        "We are your lawyers now. Next, we prepare your asylum application together: please "
        "answer the questions and send the documents below."
    ),
    Stage.PREPARING: _(
        "We are preparing your asylum application. Your answers and documents help us "
        "finish it."
    ),
    Stage.FILED: _(
        "Your asylum application has been filed. We will tell you about each next step, such "
        "as fingerprints (biometrics) and the interview or hearing."
    ),
    Stage.AWAITING: _(
        "Your application has been filed and we are waiting for a decision. Go to every "
        "appointment and hearing, and tell us at once if your address changes."
    ),
    Stage.CLOSED: _("Your case with us is closed."),
    Stage.DECLINED: _("Your case with us is closed."),
}


def stage_in_words(stage: str) -> str:
    return STAGE_WORDS.get(stage, "")
