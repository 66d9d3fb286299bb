"""Archive the threads without a message for MESSAGING_ARCHIVE_DAYS (default 365).

Archived threads stay readable by their participants but take no new message. Each archiving
is audited. Run daily."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tawasul.core.errors import ServiceError
from tawasul.messaging.services import threads_archive_inactive


class Command(BaseCommand):
    help = "Archive message threads inactive for MESSAGING_ARCHIVE_DAYS days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Inactivity in days (default: the MESSAGING_ARCHIVE_DAYS setting).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.MESSAGING_ARCHIVE_DAYS
        try:
            count = threads_archive_inactive(now=timezone.now(), days=int(days))
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{count} threads archived (inactive for {days} days).")
