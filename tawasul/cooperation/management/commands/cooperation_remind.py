"""Daily (cron or a systemd timer): queue the reminders of overdue cooperation requests for the
background worker (``manage.py db_worker``), or run them here with ``--now``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tawasul.cooperation.tasks import remind_overdue_requests


class Command(BaseCommand):
    help = (
        "Queue the reminders of overdue cooperation requests for the task worker "
        "(manage.py db_worker); with --now, send them here and now. Each overdue request is "
        "reminded again every COOPERATION_REMIND_REPEAT_DAYS days (default 7), audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send the reminders in this process instead of queueing them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            counts = remind_overdue_requests.call()
            self.stdout.write(
                f"Reminders: {counts['requests']} overdue requests, {counts['notices']} "
                f"notices, {counts['emails']} e-mails sent."
            )
            return
        result = remind_overdue_requests.enqueue()
        self.stdout.write(
            f"Queued reminders of overdue requests: task {result.id} ({result.status})."
        )
