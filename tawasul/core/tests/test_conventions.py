"""House rules that a reviewer would otherwise have to remember, checked on the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = sorted(p for p in ROOT.iterdir() if (p / "apps.py").is_file())


def _public_functions(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]


@pytest.mark.parametrize("module", ["access.py", "services.py"])
def test_every_gateway_and_service_has_a_docstring(module):
    missing = [
        f"{path.relative_to(ROOT.parent)}:{fn.name}"
        for app in APPS
        if (path := app / module).is_file()
        for fn in _public_functions(path)
        if ast.get_docstring(fn) is None
    ]
    assert not missing, f"add docstrings: {missing}"


def test_gateways_are_named_access_and_take_need_keyword_only():
    for app in APPS:
        path = app / "access.py"
        if not path.is_file():
            continue
        for fn in _public_functions(path):
            if fn.name.startswith("access_"):
                kwonly = [a.arg for a in fn.args.kwonlyargs]
                assert "need" in kwonly, f"{path}:{fn.name} must take need= keyword-only"


@pytest.mark.parametrize("module", ["views.py", "api.py"])
def test_views_and_api_never_fetch_with_a_bare_get(module):
    bare = re.compile(r"\.objects\.get\(|get_object_or_404\(")
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{number}"
        for app in APPS
        if (path := app / module).is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert not offenders, f"fetch through the app's access gateway instead: {offenders}"


def test_services_write_inside_a_transaction():
    """Every public service whose name says it writes (<entity>_<verb>) runs in
    transaction.atomic, so its audit event commits or rolls back with it."""
    write_verbs = (
        "_create",
        "_update",
        "_delete",
        "_set",
        "_disable",
        "_enable",
        "_revoke",
        "_send",
        "_confirm",
        "_reject",
        "_grant",
        "_refuse",
        "_decide",
        "_remove",
        "_add",
        "_archive",
        "_purge",
        "_handover",
        "_review",
    )
    offenders = []
    for app in APPS:
        path = app / "services.py"
        if not path.is_file():
            continue
        for fn in _public_functions(path):
            if fn.name.startswith(("may_", "can_", "is_")):  # predicates read, never write
                continue
            if not any(fn.name.endswith(v) or f"{v}_" in fn.name for v in write_verbs):
                continue
            decorated = any("atomic" in ast.unparse(d) for d in fn.decorator_list)
            body_atomic = "transaction.atomic" in ast.unparse(fn)
            if not (decorated or body_atomic):
                offenders.append(f"{path.relative_to(ROOT.parent)}:{fn.name}")
    assert not offenders, f"wrap in transaction.atomic: {offenders}"
