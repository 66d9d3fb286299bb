"""Delete archived threads under a retention policy: the only way messages are ever deleted.

Requires the policy's name (recorded in each audit entry) and the number of days a thread
must have been archived; lists what it would delete unless --confirm is given."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tawasul.core.errors import ServiceError
from tawasul.messaging.models import Thread
from tawasul.messaging.services import threads_delete_archived


class Command(BaseCommand):
    help = "Delete threads archived for more than N days, under a named retention policy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--archived-days", type=int, required=True)
        parser.add_argument(
            "--policy", required=True, help="The retention policy ordering the deletion."
        )
        parser.add_argument("--confirm", action="store_true", help="Delete (default: dry run).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        days = options["archived_days"]
        if days < 1:
            raise CommandError("--archived-days must be at least 1.")
        due = Thread.objects.filter(archived_at__lt=now - timedelta(days=days)).count()
        if not options["confirm"]:
            self.stdout.write(f"{due} threads would be deleted. Add --confirm to delete them.")
            return
        try:
            deleted = threads_delete_archived(now=now, archived_days=days, policy=options["policy"])
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{deleted} threads deleted under policy {options['policy']!r}.")
