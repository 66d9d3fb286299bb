"""E-mail the owner of every directory entry not verified for DIRECTORY_STALE_MONTHS.
Run daily (cron or a systemd timer); an owner is reminded at most every two weeks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tawasul.directory.services import focal_point_remind_stale


class Command(BaseCommand):
    help = "Remind the owners of stale directory entries to confirm them."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = focal_point_remind_stale(actor=None)
        self.stdout.write(f"{sent} reminder(s) sent.")
