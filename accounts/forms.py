"""two_factor's code forms in our words; codes may be typed as they are shown or grouped."""

import re
import time

from django import forms
from two_factor.forms import AuthenticationTokenForm, TOTPDeviceForm

from .models import AppDevice

APP_CODE = re.compile(r"\d{6}")
NOT_APP_CODE = "Type the 6 digits your authenticator app shows now."
WRONG_SETUP_CODE = "That code is not right. Type the 6-digit code your app shows now."
WRONG_APP_CODE = "That code is not right. Type the 6-digit code your authenticator app shows now."
WRONG_RECOVERY_CODE = (
    "That code is not right, or it was used already. Type one of your recovery codes."
)
# django-otp doubles the pause after each wrong code (1, 2, 4... seconds).
WAIT = "Too many wrong codes. Wait a few seconds, then try again with a new code."


def squeeze(code: str) -> str:
    """Spaces and dashes, as the codes are shown or as apps group them, do not matter."""
    return re.sub(r"[\s-]", "", code).lower()


def code_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, max_length=64,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false",
            "autofocus": True,
        }),
    )  # fmt: skip


class TokenForm(AuthenticationTokenForm):
    """At sign-in: the authenticator app's current code (two_factor checks it, throttled)."""

    otp_token = code_field("Code", "The 6 digits your authenticator app shows for this account.")
    otp_error_messages = {
        **AuthenticationTokenForm.otp_error_messages,
        "invalid_token": WRONG_APP_CODE,
        "n_failed_attempts": WAIT,
        "verification_not_allowed": WAIT,
    }

    def clean_otp_token(self) -> str:
        code = squeeze(self.cleaned_data["otp_token"])
        if not APP_CODE.fullmatch(code):
            raise forms.ValidationError(NOT_APP_CODE)
        return code

    def clean(self):
        if "otp_token" not in self.cleaned_data:  # its own error says why; no device asked
            return self.cleaned_data
        return super().clean()


class RecoveryCodeForm(TokenForm):
    """At sign-in without the phone: one of the recovery codes, each good once."""

    otp_token = code_field("Recovery code", "One of the ten codes you kept; each works once.")
    otp_error_messages = {**TokenForm.otp_error_messages, "invalid_token": WRONG_RECOVERY_CODE}

    def clean_otp_token(self) -> str:
        return squeeze(self.cleaned_data["otp_token"])


class AppCodeForm(TOTPDeviceForm):
    """At set-up: the first code of the newly added app confirms it; the app is kept as our
    AppDevice, its seed encrypted (two_factor's form would make an otp_totp TOTPDevice)."""

    token = code_field("Code from the app", "The 6 digits the app shows for this account.")
    error_messages = {"invalid_token": WRONG_SETUP_CODE}

    def clean_token(self) -> int:
        code = squeeze(self.cleaned_data["token"])
        if not APP_CODE.fullmatch(code):
            raise forms.ValidationError(NOT_APP_CODE)
        self.cleaned_data["token"] = int(code)  # two_factor compares it with totp(), an int
        return super().clean_token()

    def save(self) -> AppDevice:
        # The code that confirmed the app counts as used: it does not sign anyone in again.
        step_now = int((time.time() - self.t0) // self.step)
        return AppDevice.objects.create(
            user=self.user, name="default", key=self.key, tolerance=self.tolerance,
            t0=self.t0, step=self.step, drift=self.drift, digits=self.digits,
            last_t=step_now + self.drift,
        )  # fmt: skip
