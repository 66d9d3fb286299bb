"""Experiment only — a gunicorn config that swaps the navigation's unread-message count for the
same count written from the user's participations (docs/benchmarks/load.md, "What if").

    .venv/bin/python loadtest/run.py --reuse --users 50 \
        --gunicorn-config loadtest/whatif_unread_count.py

The application's query (``tawasul.messaging.selectors.unread_total``) asks for every message
for which an EXISTS on the user's participation holds; on 1,000,000 messages PostgreSQL answers
it with a parallel sequential scan of the whole table (about 130 ms, three processes), on every
page. Starting from the user's participations, the same number comes from the thread index in
a few milliseconds. Nothing in the application is changed: each worker replaces the function
once it has loaded the application, in this run only.
"""

from __future__ import annotations

from typing import Any


def _unread_total(user: Any) -> int:
    from django.db import connection

    from tawasul.core.access import can_read_case_content

    if not can_read_case_content(user):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*)
            FROM messaging_participant p
            JOIN messaging_thread t ON t.id = p.thread_id AND t.archived_at IS NULL
            JOIN messaging_message m
              ON m.thread_id = p.thread_id AND m.id > p.last_read_message_id
            WHERE p.user_id = %s AND p.left_at IS NULL AND m.sender_id <> %s
            """,
            [user.pk, user.pk],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def post_worker_init(worker: Any) -> None:
    """gunicorn hook: the worker has loaded the application; swap the count."""
    from tawasul.messaging import selectors

    selectors.unread_total = _unread_total
