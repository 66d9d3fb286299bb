"""Tawasul under load: case workers in their browsers, border officers, and API clients.

    LOADTEST_ACCOUNTS=var/loadtest/accounts.json .venv/bin/locust -f loadtest/locustfile.py \
        --headless -u 50 -r 10 --run-time 2m --host http://127.0.0.1:8123

Run by ``loadtest/run.py``, which seeds the database and writes the accounts file first
(``loadtest/seed.py``). Every simulated user has an account of its own and signs in like a
person: the sign-in form, then the second factor (a TOTP code computed from the device key the
seeding stored), so MFA stays on. API clients authenticate with their personal API token and
carry no browser session.

The mix is what a working day looks like: case workers open the requests list and requests,
their inbox and threads (an open thread polls for new messages, as the page does every 10 s),
now and then the figures, a person search or the directory; border officers mostly search the
person index; integration clients list and read requests and threads and search persons. Think
times are short for people (2–8 s between pages, heavier than real use) and shorter for
machines (1–3 s).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS = Path(os.environ.get("LOADTEST_ACCOUNTS", ROOT / "var" / "loadtest" / "accounts.json"))

_data: dict[str, Any] = json.loads(ACCOUNTS.read_text()) if ACCOUNTS.is_file() else {}
_pools: dict[str, Iterator[dict[str, Any]]] = {
    group: iter([a for a in _data.get("accounts", []) if a["group"] == group])
    for group in ("case", "border", "api")
}
NAMES: list[str] = _data.get("names", ["Mohamed Ali Benali"])
PASSWORD: str = _data.get("password", "")
STATUSES = ["under_review", "in_execution", "transmitted", "executed", "info_requested"]
COUNTRIES = ["MA", "TN", "DZ", "EG", "FR", "ES", "IT", "JO", "IQ", "LB"]


# Every request's start, endpoint, time and outcome, written at the end when
# LOADTEST_REQUEST_LOG names a file: the runner computes the steady state from it (locust's own
# CSV covers the whole run, sign-in storm included).
_requests: list[tuple[float, str, str, float, int]] = []


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, **kwargs: Any) -> None:
    started = kwargs.get("start_time") or time.time() - response_time / 1000
    failed = 1 if kwargs.get("exception") else 0
    _requests.append((started, request_type, name, response_time, failed))


@events.quitting.add_listener
def _write_requests(**kwargs: Any) -> None:
    target = os.environ.get("LOADTEST_REQUEST_LOG")
    if target:
        lines = [
            f"{t:.3f}\t{kind}\t{name}\t{ms:.1f}\t{failed}"
            for t, kind, name, ms, failed in _requests
        ]
        Path(target).write_text("\n".join(lines) + "\n")


def totp(key_hex: str, at: float | None = None) -> str:
    """The RFC 6238 code django-otp's TOTPDevice expects (SHA-1, 30 s, 6 digits)."""
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _account(group: str) -> dict[str, Any]:
    # One account per simulated user: a second sign-in with the same TOTP code in the same
    # 30 s would be refused (django-otp forbids replays), and sessions would be shared.
    try:
        return next(_pools[group])
    except StopIteration:
        raise StopUser(f"no {group} account left: seed more users") from None


class Browser(HttpUser):
    """A person in a browser: signs in once, then moves from page to page."""

    abstract = True
    group = "case"
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.account = _account(self.group)
        self.rng = random.Random()  # noqa: S311 - load mix, not secrets
        self.last_message: dict[int, int] = {}
        self.sign_in()

    def _csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    def sign_in(self) -> None:
        self.client.get("/accounts/login/", name="sign-in form")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": self._csrf(),
            },
            name="sign-in: password",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"password refused (HTTP {response.status_code})")
                raise StopUser()
        # The CSRF token is rotated at sign-in: read the new one from the second-factor form.
        self.client.get("/accounts/mfa/verify/", name="sign-in: second factor form")
        with self.client.post(
            "/accounts/mfa/verify/",
            data={"token": totp(self.account["totp_key"]), "csrfmiddlewaretoken": self._csrf()},
            name="sign-in: second factor",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
                response.failure(f"second factor refused (HTTP {response.status_code})")
                raise StopUser()

    def page(self, url: str, name: str) -> None:
        """GET a page; being sent back to sign-in counts as an error, not a 200."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.ok and "/accounts/" in response.url:
                response.failure("sent back to sign-in")

    def search_person(self) -> None:
        self.page("/persons/search/", "/persons/search/")
        with self.client.post(
            "/persons/search/",
            data={
                "name": self.rng.choice(NAMES),
                "date_of_birth": "",
                "nationality": "",
                "document": "",
                "sex": "",
                "csrfmiddlewaretoken": self._csrf(),
            },
            name="/persons/search/",
            catch_response=True,
        ) as response:
            if response.ok and "/accounts/" in response.url:
                response.failure("sent back to sign-in")

    def open_thread(self) -> None:
        if not self.account["thread_ids"]:
            self.page("/messages/", "/messages/")
            return
        thread_id = self.rng.choice(self.account["thread_ids"])
        self.page(f"/messages/threads/{thread_id}/", "/messages/threads/[id]/")
        self.last_message[thread_id] = 0

    def poll_thread(self) -> None:
        """The open thread's page asks for newer messages every 10 s (htmx)."""
        if not self.last_message:
            return
        thread_id = self.rng.choice(list(self.last_message))
        self.page(
            f"/messages/threads/{thread_id}/poll/?after=999999999",
            "/messages/threads/[id]/poll/",
        )


class CaseWorker(Browser):
    """A focal point or central authority: requests, messages, searches."""

    weight = 16
    group = "case"

    @task(6)
    def home(self) -> None:
        self.page("/", "/")

    @task(14)
    def requests_list(self) -> None:
        choice = self.rng.random()
        if choice < 0.6:
            query = ""
        elif choice < 0.75:
            query = f"?status={self.rng.choice(STATUSES)}"
        elif choice < 0.9:
            query = f"?direction={self.rng.choice(['incoming', 'outgoing'])}"
        else:
            query = "?page=2"
        self.page(f"/requests/{query}", "/requests/")

    @task(18)
    def request_detail(self) -> None:
        request_id = self.rng.choice(self.account["request_ids"])
        self.page(f"/requests/{request_id}/", "/requests/[id]/")

    @task(4)
    def dashboard(self) -> None:
        self.page("/requests/dashboard/", "/requests/dashboard/")

    @task(12)
    def inbox(self) -> None:
        self.page("/messages/", "/messages/")

    @task(14)
    def thread(self) -> None:
        self.open_thread()

    @task(6)
    def poll(self) -> None:
        self.poll_thread()

    @task(6)
    def person_search(self) -> None:
        self.search_person()

    @task(5)
    def directory(self) -> None:
        if self.rng.random() < 0.4:
            self.page(f"/directory/?country={self.rng.choice(COUNTRIES)}", "/directory/")
        else:
            self.page("/directory/", "/directory/")


class BorderOfficer(Browser):
    """A border officer: mostly person searches, some messages."""

    weight = 3
    group = "border"

    @task(4)
    def home(self) -> None:
        self.page("/", "/")

    @task(12)
    def person_search(self) -> None:
        self.search_person()

    @task(5)
    def inbox(self) -> None:
        self.page("/messages/", "/messages/")

    @task(5)
    def thread(self) -> None:
        self.open_thread()

    @task(3)
    def directory(self) -> None:
        self.page("/directory/", "/directory/")


class ApiClient(HttpUser):
    """A national case-management system calling the API with a user's personal token."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.account = _account("api")
        self.rng = random.Random()  # noqa: S311 - load mix, not secrets
        self.client.headers["Authorization"] = f"Bearer {self.account['token']}"

    @task(8)
    def requests_list(self) -> None:
        query = f"?limit=50&offset={self.rng.choice([0, 0, 0, 50, 100])}"
        if self.rng.random() < 0.3:
            query += f"&status={self.rng.choice(STATUSES)}"
        self.client.get(f"/api/v1/cooperation/requests{query}", name="/api/v1/cooperation/requests")

    @task(8)
    def request_detail(self) -> None:
        request_id = self.rng.choice(self.account["request_ids"])
        self.client.get(
            f"/api/v1/cooperation/requests/{request_id}",
            name="/api/v1/cooperation/requests/[id]",
        )

    @task(4)
    def threads(self) -> None:
        self.client.get("/api/v1/messaging/threads", name="/api/v1/messaging/threads")

    @task(4)
    def person_search(self) -> None:
        self.client.post(
            "/api/v1/persons/search",
            json={"name": self.rng.choice(NAMES)},
            name="/api/v1/persons/search",
        )
