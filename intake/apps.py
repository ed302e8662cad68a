from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake"

    def ready(self):
        # Registers the late bodies of the resume link and of the secure link's one-time
        # code with the outbox, for the worker.
        from . import emails, prepare_check  # noqa: F401
