"""Daily: remind the owners of follow-up actions before the due date and when overdue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from tawasul.actionplans.reminders import days_before, send_reminders


class Command(BaseCommand):
    help = (
        "E-mail the owners of follow-up actions due within ACTIONPLANS_REMIND_DAYS_BEFORE days "
        "(default 14) and of overdue actions. Each reminder is sent once and audited."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_reminders(today=timezone.localdate())
        self.stdout.write(
            f"Reminders: {counts.due_soon} due within {days_before()} days, "
            f"{counts.overdue} overdue, {counts.emails} e-mails sent."
        )
