from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake"

    def ready(self):
        # Registers the resume link's late body with the outbox, for the worker.
        from . import emails  # noqa: F401
