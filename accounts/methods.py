"""The authenticator app as a two_factor method, with our forms (registered in apps.py)."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.plugins.registry import GeneratorMethod

from .forms import AppCodeForm, TokenForm


class AppMethod(GeneratorMethod):
    """two_factor's "generator" (TOTP) method; it recognises TOTP devices, so the sign-in's
    code step uses our TokenForm rather than falling back to the stock method's form."""

    def recognize_device(self, device) -> bool:
        return isinstance(device, TOTPDevice)

    def get_setup_forms(self, *args):
        return {"generator": AppCodeForm}

    def get_token_form_class(self):
        return TokenForm
