"""Send the daily digest to the users who chose it. Run once a day (cron or a systemd timer).

Only messages not yet delivered are counted, so a second run the same day sends nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from tawasul.messaging.models import EmailMode, MessagingPreference
from tawasul.messaging.services import digest_send_one


class Command(BaseCommand):
    help = "E-mail each daily-digest user how many secure messages await them (no content)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        users = messages = 0
        for preference in MessagingPreference.objects.filter(
            email_mode=EmailMode.DAILY
        ).select_related("user"):
            sent = digest_send_one(preference=preference, now=now)
            if sent:
                users += 1
                messages += sent
        self.stdout.write(f"Digest sent to {users} users ({messages} messages).")
