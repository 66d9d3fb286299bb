"""Two apps' API schemas with the same class name would share one OpenAPI component, so one
operation would be documented (and fuzzed) with the other's schema."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import tawasul


def test_api_schema_class_names_are_unique_across_apps():
    seen: dict[str, list[str]] = defaultdict(list)
    for path in Path(tawasul.__path__[0]).glob("*/api.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                seen[node.name].append(path.parent.name)
    clashes = {name: apps for name, apps in seen.items() if len(apps) > 1}
    assert not clashes, f"rename these API schemas so each is unique: {clashes}"
