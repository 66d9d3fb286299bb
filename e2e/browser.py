"""What the browser tests share: where things are, the demo accounts and their TOTP codes,
and the gestures every flow repeats (choosing the language, signing in, taking screenshots)."""

# ruff: noqa: S101 - pytest checks with assert (pyproject exempts only tests/ folders)

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = os.environ.get("TAWASUL_E2E_CHROMIUM", "/usr/bin/chromium")
LANGUAGES = ("ar", "fr")
PASSWORD = "tawasul-demo-2026"  # noqa: S105 - the demo accounts' published password
# The users the flows sign in as; each gets a TOTP authenticator with this key.
USERS = ("ma.prosecutor", "ma.central", "es.focal", "tn.police", "ma.police")
TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, hex
TIMEOUT_MS = 20_000


def totp_code(username: str) -> str:
    """The code the user's authenticator shows now, never one the server already accepted.

    The server takes the codes of the time steps next to its own (tolerance 1) above the last
    accepted one, so a second sign-in within the same 30 seconds uses the next step's code
    (as an authenticator whose clock runs a little ahead would)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    while True:
        device = TOTPDevice.objects.get(user__username=username, name="e2e")
        for offset in range(device.tolerance + 1):
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
            totp.time = time.time()
            totp.drift = device.drift + offset
            if totp.t() > device.last_t:
                return f"{totp.token():0{device.digits}d}"
        time.sleep(device.step - time.time() % device.step + 0.1)


def translated(lang: str, text: Any) -> str:
    """``text`` (a msgid or a lazy label) as the server shows it in ``lang``."""
    from django.utils import translation

    with translation.override(lang):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def shot(page: Any, lang: str, name: str) -> None:
    folder = ARTIFACTS / lang
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def assert_language(page: Any, lang: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")


def submit(page: Any, button: Any) -> None:
    """Click and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def choose_language(page: Any, lang: str) -> None:
    """Switch with the language menu of the navigation bar, as a user would."""
    if page.locator("html").get_attribute("lang") == lang:
        return
    switcher = page.locator("form:has(#language-select)")
    switcher.locator("#language-select").select_option(lang)
    submit(page, switcher.locator("button[type=submit]"))
    assert_language(page, lang)


def sign_in_page(page: Any, username: str, lang: str) -> None:
    """The full sign-in: language, username and password, then the TOTP code."""
    page.goto("/accounts/login/")
    choose_language(page, lang)
    assert page.locator("h1").inner_text() == translated(lang, "Sign in")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    submit(page, page.locator("main form button[type=submit]"))
    assert re.search(r"/accounts/mfa/verify/$", page.url), page.url
    # The account's saved language wins once the password is given: choose ours again.
    choose_language(page, lang)
    assert page.locator("h1").inner_text() == translated(lang, "Two-factor authentication")
    page.fill("#id_token", totp_code(username))
    submit(page, page.locator("main form button[type=submit]"))
    assert "/accounts/" not in page.url, page.url
    assert_language(page, lang)


@dataclass
class Person:
    """One signed-in user in their own browser context."""

    username: str
    lang: str
    page: Any

    def shot(self, name: str) -> None:
        shot(self.page, self.lang, name)

    def goto(self, path: str) -> None:
        response = self.page.goto(path)
        status = response.status if response is not None else None
        assert status == 200, (path, status)
        assert_language(self.page, self.lang)
