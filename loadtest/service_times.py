"""Service time of each load-tested endpoint, one request at a time, on the seeded database.

    .venv/bin/python loadtest/service_times.py [--db tawasul_load] [--repeat 5] [--user load.ma.021]

What a request costs with nothing else queued: through Django's test Client (the whole stack:
middleware, session and MFA checks, navigation, template), signed in as one of the load users
(a focal point of the busiest country by default), after one warm-up request. Prints per
endpoint the median wall time, the number of SQL queries, the time spent in SQL, the time of the
navigation's unread-message count (``tawasul.messaging.selectors.unread_total``, run on every
page) and the slowest query. Reads the database seeded by ``loadtest/run.py`` and the accounts
file beside it; person searches are recorded (audit, hits) as in the load test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

UNREAD_SQL = 'SELECT COUNT(*) AS "__count" FROM "messaging_message"'


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", default="tawasul_load")
    parser.add_argument("--pg-server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--accounts", type=Path, default=ROOT / "var" / "loadtest" / "accounts.json"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", default="load.ma.021")
    args = parser.parse_args()
    os.environ.update(
        TAWASUL_ENV="development",
        DATABASE_URL=f"{args.pg_server.rstrip('/')}/{args.db}",
        EMAIL_URL="dummymail://",
        CACHE_URL="locmemcache://service-times",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()
    from bench_requests import _signed_in_client
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    data = json.loads(args.accounts.read_text())
    account = next(a for a in data["accounts"] if a["username"] == args.user)
    names = iter(data["names"] * 10)
    page = _signed_in_client(account["username"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {account['token']}")
    request_id, thread_id = account["request_ids"][0], account["thread_ids"][0]
    endpoints: list[tuple[str, Callable[[], Any]]] = [
        ("GET /", lambda: page.get("/")),
        ("GET /requests/", lambda: page.get("/requests/")),
        ("GET /requests/[id]/", lambda: page.get(f"/requests/{request_id}/")),
        ("GET /requests/dashboard/", lambda: page.get("/requests/dashboard/")),
        ("GET /messages/", lambda: page.get("/messages/")),
        ("GET /messages/threads/[id]/", lambda: page.get(f"/messages/threads/{thread_id}/")),
        (
            "GET /messages/threads/[id]/poll/",
            lambda: page.get(f"/messages/threads/{thread_id}/poll/?after=999999999"),
        ),
        ("GET /persons/search/", lambda: page.get("/persons/search/")),
        ("POST /persons/search/", lambda: page.post("/persons/search/", {"name": next(names)})),
        ("GET /directory/", lambda: page.get("/directory/")),
        ("GET /api/v1/cooperation/requests", lambda: api.get("/api/v1/cooperation/requests")),
        (
            "GET /api/v1/cooperation/requests/[id]",
            lambda: api.get(f"/api/v1/cooperation/requests/{request_id}"),
        ),
        ("GET /api/v1/messaging/threads", lambda: api.get("/api/v1/messaging/threads")),
        (
            "POST /api/v1/persons/search",
            lambda: api.post(
                "/api/v1/persons/search", {"name": next(names)}, content_type="application/json"
            ),
        ),
    ]
    print(
        f"{account['username']} ({account['role']}, {account['country']}), {args.repeat} requests each"
    )
    print("| endpoint | median ms | queries | SQL ms | unread count ms | slowest query |")
    print("|---|---:|---:|---:|---:|---|")
    for label, call in endpoints:
        call()
        walls, sql, unread, count = [], [], [], 0
        slowest = ("", 0.0)
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = call()
                walls.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                raise SystemExit(f"{label}: HTTP {response.status_code}")
            times = [(q["sql"], float(q["time"]) * 1000) for q in queries.captured_queries]
            count = len(times)
            sql.append(sum(t for _, t in times))
            unread.append(sum(t for s, t in times if s.startswith(UNREAD_SQL)))
            slowest = max([slowest, *times], key=lambda item: item[1])
        what = slowest[0].split(" WHERE ")[0][:60].replace("|", "/")
        print(
            f"| {label} | {statistics.median(walls):.0f} | {count} | "
            f"{statistics.median(sql):.0f} | {statistics.median(unread):.0f} | "
            f"{slowest[1]:.0f} ms `{what}…` |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
