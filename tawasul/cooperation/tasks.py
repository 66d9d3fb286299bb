"""Background tasks of cooperation requests (django-tasks; in production the database backend,
run by ``manage.py db_worker`` — docs/deploy.md)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from tawasul.cooperation.reminders import send_reminders


@task()
def remind_overdue_requests() -> dict[str, int]:
    """Remind the overdue requests due for a reminder (see ``reminders``); the counts are the
    task's result, kept by the backend."""
    counts = send_reminders(now=timezone.now())
    return {"requests": counts.requests, "notices": counts.notices, "emails": counts.emails}
