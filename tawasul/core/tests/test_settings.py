"""Production settings refuse unsafe configurations; the deploy checklist passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 30 + "-throwaway-secret-for-tests-only-0123456789"
PRODUCTION = {
    "TAWASUL_ENV": "production",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "tawasul.example.org",
    "DATABASE_URL": "sqlite:////tmp/tawasul-settings-test.sqlite3",
    "DEBUG": "false",
    "DEMO_MODE": "false",
    "TAWASUL_FILE_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    "TAWASUL_VICTIM_KEY": "HxoeHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=",
    "TAWASUL_VICTIM_MATCH_SECRET": "throwaway-victim-match-secret-for-tests-0123456789",
    "TAWASUL_RECEIPT_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "TAWASUL_BACKUP_KEY": "YmFja3VwLWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU=",
}


def _run(env_overrides: dict[str, str | None], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    env.update(PRODUCTION)
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"DEMO_MODE": "true"}, "DEMO_MODE"),
        ({"TAWASUL_FILE_KEY": None}, "TAWASUL_FILE_KEY"),
        ({"TAWASUL_VICTIM_KEY": None}, "TAWASUL_VICTIM_KEY"),
        ({"TAWASUL_VICTIM_MATCH_SECRET": "short"}, "TAWASUL_VICTIM_MATCH_SECRET"),
        ({"TAWASUL_RECEIPT_KEY": None}, "TAWASUL_RECEIPT_KEY"),
        ({"TAWASUL_BACKUP_KEY": None}, "TAWASUL_BACKUP_KEY"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(override, complaint):
    result = _run(override, "check")
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert complaint in result.stderr


def test_production_check_deploy_is_clean():
    result = _run({}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_is_the_default_mode():
    result = _run({"TAWASUL_ENV": None, "SECRET_KEY": None}, "check")
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
