"""Browser tests: a real server (gunicorn) on a scratch SQLite database loaded with the demo
data, driven by Debian's Chromium through Playwright, with MFA on as in production.

The database is seeded in demo mode, then served with demo mode off so every sign-in asks for
a TOTP code; each test user gets a TOTP authenticator with a known key and the tests compute
its codes. Screenshots go to artifacts/e2e/<language>/, the server's log to
artifacts/e2e/server.log.

Run with ``make e2e`` (``pytest -c e2e/pytest.ini e2e``): outside the default ``make test``
collection, and without pytest-django (the server owns the database, the tests only read it).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from e2e.browser import (
    ARTIFACTS,
    CHROMIUM,
    LANGUAGES,
    ROOT,
    TIMEOUT_MS,
    TOTP_KEY,
    USERS,
    Person,
    sign_in_page,
)

# The server's settings: development without demo mode, so MFA is required as in production.
SERVER_ENV = {
    "TAWASUL_ENV": "development",
    "DEMO_MODE": "false",
    "MFA_REQUIRED": "true",
    "DEBUG": "false",
    "EMAIL_URL": "memorymail://",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "PYTHONUNBUFFERED": "1",
}
SCRATCH: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.has_plugin("django"):
        raise pytest.UsageError(
            "The browser tests run without pytest-django: use `make e2e` "
            "(pytest -c e2e/pytest.ini e2e)."
        )
    scratch = Path(tempfile.mkdtemp(prefix="tawasul-e2e-"))
    SCRATCH.append(scratch)
    SERVER_ENV["TAWASUL_VAR_DIR"] = str(scratch)
    SERVER_ENV["DATABASE_URL"] = f"sqlite:///{scratch / 'e2e.sqlite3'}"
    os.environ.update(SERVER_ENV)
    # Playwright's sync API keeps an event loop in this thread; the tests' few database reads
    # are plain synchronous calls all the same.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()


def pytest_unconfigure(config: pytest.Config) -> None:
    for scratch in SCRATCH:
        shutil.rmtree(scratch, ignore_errors=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **SERVER_ENV, **extra}


def _manage(log: IO[str], *args: str, demo: bool = False) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_server_env(DEMO_MODE="true" if demo else "false"),
        stdout=log,
        stderr=subprocess.STDOUT,
        check=True,
    )


def _give_authenticators() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tawasul.accounts.models import User

    for user in User.objects.filter(username__in=USERS):
        TOTPDevice.objects.update_or_create(
            user=user,
            name="e2e",
            defaults={"key": TOTP_KEY, "confirmed": True, "drift": 0, "last_t": -1},
        )


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped (exit {process.returncode}): see server.log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The server did not answer on {url} within {seconds} s")


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The base URL of a gunicorn serving a freshly seeded scratch database."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with (ARTIFACTS / "server.log").open("w", encoding="utf-8") as log:
        _manage(log, "migrate", "--noinput")
        _manage(log, "demo_seed", demo=True)
        _give_authenticators()
        log.flush()
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=_server_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(url, process)
            yield url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def new_context(browser: Any, server: str, lang: str) -> Any:
    context = browser.new_context(
        base_url=server,
        viewport={"width": 1280, "height": 900},
        locale="ar" if lang == "ar" else "fr-FR",
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def fresh_page(server: str, browser: Any, lang: str) -> Iterator[Any]:
    """A signed-out page in a browser context of its own."""
    context = new_context(browser, server, lang)
    yield context.new_page()
    context.close()


@pytest.fixture
def sign_in(server: str, browser: Any) -> Iterator[Callable[[str, str], Person]]:
    """Open a browser context of its own for a user and sign them in (password and code)."""
    contexts: list[Any] = []

    def open_as(username: str, lang: str) -> Person:
        context = new_context(browser, server, lang)
        contexts.append(context)
        page = context.new_page()
        sign_in_page(page, username, lang)
        return Person(username, lang, page)

    yield open_as
    for context in contexts:
        context.close()
