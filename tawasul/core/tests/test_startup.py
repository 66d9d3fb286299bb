"""A web worker freezes what it loaded, so full garbage collections skip the application."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_loading_the_entry_point_freezes_the_loaded_application(module):
    probe = (
        f"import gc, sys; import {module}; "
        "print(gc.get_freeze_count(), 'tawasul.cooperation.views' in sys.modules)"
    )
    env = {**os.environ, "TAWASUL_ENV": "test"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(  # noqa: S603 - our interpreter, our own probe
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    frozen, views_loaded = result.stdout.split()
    # The URLconf was loaded before the freeze, views included: tens of thousands of objects.
    assert views_loaded == "True"
    assert int(frozen) > 10_000
