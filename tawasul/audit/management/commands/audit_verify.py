from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tawasul.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Walk the audit hash chain; name the first broken link and exit 1 if there is one."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain BROKEN at entry #{report.broken_seq}: {report.problem} "
                f"({report.checked} entries verified before it).",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.checked} entries verified.")
        )
