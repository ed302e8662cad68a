"""docker-compose.yml: the local stack is complete, healthy-ordered and matches the settings.

No database: these tests only read files and run `docker-compose config -q`.
"""

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
SETTINGS_DIR = ROOT / "config" / "settings"

DJANGO_SERVICES = ("web", "worker", "beat")
BACKING_SERVICES = ("postgres", "redis", "mailpit")

# env("NAME" ...), env.bool("NAME" ...), env.int(...), env.list(...), env.db(...) and so on.
ENV_CALL = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
# Read by manage.py, config/wsgi.py and config/celery_app.py, not by the settings.
NAMES_READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE"}
# Names compose interpolates with a ${NAME:-default}; `config -q` must pass without them.
INTERPOLATED = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")
# The secrets, with no default: production refuses known keys (accounts.checks), so compose
# carries none and stops with the variable's name when one is missing.
SECRETS = {"DJANGO_SECRET_KEY": "a-fresh-secret-key-for-this-test-only-0123456789abcdef",
           "FIELD_ENCRYPTION_KEYS": "mW0gq6m2m9YyYgUe2v2Qm6W6dK3oYj7x8Y3m1b6fJ0c=",
           "A_NUMBER_HASH_KEY": "a-fresh-hash-key-for-this-test-only"}  # fmt: skip


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def environment_of(service):
    """A service's environment as a dict, whether written as a mapping or a list."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return dict(env)


def names_read_by_settings():
    names = set(NAMES_READ_OUTSIDE_SETTINGS)
    for path in SETTINGS_DIR.glob("*.py"):
        names.update(ENV_CALL.findall(path.read_text()))
    return names


def names_required_by(path):
    """Names read via env(...)/env.<type>(...) with no default: missing means a crash."""
    required = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "env":
            # env(var, cast=None, default=NOTSET): the default is the third positional.
            positional_default = len(node.args) >= 3
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
        ):
            # env.bool(var, default=NOTSET) and friends: the default is the second.
            positional_default = len(node.args) >= 2
        else:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        has_default = positional_default or any(kw.arg == "default" for kw in node.keywords)
        if not has_default:
            required.add(first.value)
    return required


def test_compose_has_every_service(services):
    """The stack runs web, worker, beat, PostgreSQL, Redis and Mailpit."""
    assert set(DJANGO_SERVICES + BACKING_SERVICES) <= set(services)


def test_django_services_share_one_image_and_build(services):
    """web, worker and beat are built from the same Dockerfile into the same image."""
    images = {services[name].get("image") for name in DJANGO_SERVICES}
    builds = {yaml.safe_dump(services[name].get("build")) for name in DJANGO_SERVICES}
    assert len(images) == 1 and None not in images, images
    assert len(builds) == 1 and services["web"].get("build"), builds


def test_django_services_share_one_environment(services):
    """web, worker and beat see exactly the same settings."""
    envs = [environment_of(services[name]) for name in DJANGO_SERVICES]
    assert envs[0], "web sets no environment"
    assert envs[0] == envs[1] == envs[2]


def test_django_services_run_their_own_commands(services):
    """web migrates then serves with gunicorn; worker and beat run celery."""
    web = " ".join(services["web"]["command"])
    assert "migrate" in web and "gunicorn config.wsgi:application" in web
    assert web.index("migrate") < web.index("gunicorn")
    assert "celery -A config.celery_app worker" in services["worker"]["command"]
    # Every queue tasks are routed to (config/settings/base.py) has a consumer.
    assert "--queues default,email" in services["worker"]["command"]
    assert "celery -A config.celery_app beat" in services["beat"]["command"]


def test_backing_services_have_healthchecks(services):
    """PostgreSQL, Redis and Mailpit each report healthy only once they accept work."""
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert services["mailpit"]["healthcheck"]["test"]


def test_django_services_wait_for_healthy_backing_services(services):
    """web, worker and beat start only after every backing service is healthy."""
    for name in DJANGO_SERVICES:
        depends_on = services[name].get("depends_on")
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for backing in BACKING_SERVICES:
            assert depends_on.get(backing, {}).get("condition") == "service_healthy", (
                f"{name} does not wait for {backing} to be healthy"
            )


def test_every_service_has_a_restart_policy(services):
    """Every container comes back after a crash or a host reboot."""
    for name, service in services.items():
        assert service.get("restart") in {"unless-stopped", "always"}, name


def test_django_services_use_production_settings_over_plain_http(services):
    """Compose runs production settings, but without the HTTPS redirect (no TLS locally)."""
    env = environment_of(services["web"])
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert str(env["DJANGO_SECURE_SSL_REDIRECT"]).lower() == "false"


def test_uploads_live_on_a_named_volume(compose, services):
    """Uploaded documents and the database survive a container rebuild."""
    media_root = environment_of(services["web"])["DJANGO_MEDIA_ROOT"]
    named = set(compose.get("volumes") or {})
    web_mounts = {v.split(":")[1]: v.split(":")[0] for v in services["web"]["volumes"]}
    assert web_mounts.get(media_root) in named, f"{media_root} is not on a named volume"
    pg_mounts = {v.split(":")[1]: v.split(":")[0] for v in services["postgres"]["volumes"]}
    assert pg_mounts.get("/var/lib/postgresql/data") in named


def test_compose_sets_only_variables_the_settings_read(services):
    """A name the settings never read is a typo or dead config."""
    known = names_read_by_settings()
    for name in DJANGO_SERVICES:
        unknown = set(environment_of(services[name])) - known
        assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"


def test_compose_sets_every_variable_production_requires(services):
    """Every name production.py reads without a default is set, or the app will not start."""
    required = names_required_by(SETTINGS_DIR / "production.py")
    assert required, "found no required names in production.py; the parser is broken"
    for name in DJANGO_SERVICES:
        missing = required - set(environment_of(services[name]))
        assert not missing, f"{name} lacks required variables: {sorted(missing)}"


def _compose_config(env_extra: dict):
    executable = shutil.which("docker-compose") or (
        "/usr/bin/docker-compose" if Path("/usr/bin/docker-compose").exists() else None
    )
    if executable is None:
        pytest.fail(
            "docker-compose is not installed; install it (Debian: apt-get install "
            "docker-compose) so the compose file can be validated"
        )
    env = dict(os.environ)
    for name in set(INTERPOLATED.findall(COMPOSE_FILE.read_text())):
        env.pop(name, None)
    return subprocess.run(
        [executable, "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=ROOT,
        env={**env, **env_extra},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_docker_compose_accepts_the_file():
    """`docker-compose config -q` validates the file, with only the secrets from the shell."""
    result = _compose_config(SECRETS)
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_docker_compose_stops_without_a_secret_and_names_it(missing):
    result = _compose_config({k: v for k, v in SECRETS.items() if k != missing})
    assert result.returncode != 0
    assert missing in result.stderr
