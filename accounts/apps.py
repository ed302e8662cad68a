from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        from two_factor.plugins.registry import registry

        from . import checks, methods, middleware, views  # noqa: F401 - checks registers itself

        # Our forms (our words, codes typed with spaces) for two_factor's authenticator app.
        registry.unregister("generator")
        registry.register(methods.AppMethod())
        middleware.connect_signals()
        views.connect_signals()
