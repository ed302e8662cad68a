"""A deployment with a key anyone can read in this repository is no deployment: production
refuses the demo's and the compose file's keys (a system check, so `check`, `migrate` and
gunicorn's start, config/gunicorn.conf.py, all stop on it)."""

from django.conf import settings
from django.core import checks

# Every key that ships with the code: config/settings/local.py and test.py, base.py's demo
# defaults, docker-compose.yml's ${...:-default}s and the Dockerfile's build-time key.
# tests/test_deploy.py reads those files and fails if one is missing here.
KNOWN_KEYS = {
    "local-only-insecure-key-do-not-deploy",
    "test-only-key",
    "change-me-local-compose-only",
    "build-only-not-a-secret",
    "NPOD0i9pWk0iGQpBnNqbIhh8vS4nYhLBc0Q9qXLBr6c=",
    "YkRTzjMwmTEUdAXlb8fhss5tNRqjAvKCndLhNTqsOO0=",
    "local-only-a-number-hash-key",
}


def _in_use() -> dict[str, list[str]]:
    return {
        "DJANGO_SECRET_KEY": [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])],
        "FIELD_ENCRYPTION_KEYS": list(settings.FIELD_ENCRYPTION_KEYS),
        "A_NUMBER_HASH_KEY": [settings.A_NUMBER_HASH_KEY],
    }


@checks.register(checks.Tags.security)
def no_known_keys(app_configs=None, **kwargs):
    if not getattr(settings, "REFUSE_KNOWN_KEYS", False):  # the demo and the tests use them
        return []
    return [
        checks.Error(
            f"{name} is a key published with the code (a demo or docker-compose default).",
            hint=f"Set {name} in the environment to a new secret of your own; see README.",
            id="accounts.E001",
        )
        for name, values in _in_use().items()
        if any(value.strip() in KNOWN_KEYS for value in values)
    ]
