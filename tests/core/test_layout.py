"""The platform imports no domain app; apps plug into its hooks from AppConfig.ready()."""

import ast
from pathlib import Path

import kzai
from kzai.core.grants import grantable_objects
from kzai.deadlines.handlers import daily_handlers
from registry.grants import SystemGrants
from registry.tabs import registered_tabs

DOMAIN_APPS = {"registry", "risk", "documents", "audit"}


def test_platform_code_imports_no_domain_app():
    offenders = []
    for path in Path(kzai.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [
                f"{path}:{node.lineno} {name}" for name in names if name.split(".")[0] in DOMAIN_APPS
            ]
    assert offenders == []


def test_apps_register_their_hooks():
    assert isinstance(grantable_objects(), SystemGrants)
    keys = [tab.key for tab in registered_tabs()]
    assert keys == ["overview", "parties", "data", "risk", "documents", "audits", "public", "history"]
    assert {"schedules", "stale_import_uploads"} <= set(daily_handlers())
