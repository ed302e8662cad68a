"""The authenticator app as a two_factor method, with our forms and our device (registered
in apps.py)."""

from two_factor.plugins.registry import GeneratorMethod

from .forms import AppCodeForm, TokenForm
from .models import AppDevice


class AppMethod(GeneratorMethod):
    """two_factor's "generator" (TOTP) method on our AppDevice (its seed encrypted); it
    recognises that device, so the sign-in's code step uses our TokenForm rather than
    falling back to the stock method's form."""

    def get_devices(self, user):
        return AppDevice.objects.filter(user=user)

    def recognize_device(self, device) -> bool:
        return isinstance(device, AppDevice)

    def get_setup_forms(self, *args):
        return {"generator": AppCodeForm}

    def get_token_form_class(self):
        return TokenForm
