"""The apps depend one way (README, Layout): intake -> cases -> notifications, and accounts
is used by the others and uses none of them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "cases", "intake", "notifications")
MAY_NOT_IMPORT = {
    "accounts": {"cases", "intake", "notifications"},
    "notifications": {"accounts", "cases", "intake"},
    "cases": {"intake"},
    "intake": set(),
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & MAY_NOT_IMPORT[app])
        for path in (ROOT / app).rglob("*.py")
    }
    assert {path: apps for path, apps in wrong.items() if apps} == {}


def test_the_check_sees_an_import_against_the_direction(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("from intake.models import IntakeDraft\nimport notifications.outbox\n")
    assert imported_apps(module) == {"intake", "notifications"}
