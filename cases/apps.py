from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        # Registers the secure link's late body with the outbox, for the worker.
        from . import preparation_links  # noqa: F401
