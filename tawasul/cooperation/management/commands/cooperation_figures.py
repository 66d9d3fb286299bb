"""Every few minutes (a systemd timer or cron): refresh the coordinators' dashboard figures in
the shared cache, so that no coordinator waits for them (docs/deploy.md, section 9)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tawasul.cooperation.figures import refresh_network_figures


class Command(BaseCommand):
    help = (
        "Compute the coordinators' unfiltered dashboard figures (every period, every language) "
        "and put them in the cache ahead of them. The web workers see them only through a "
        "shared cache (CACHE_URL, Redis in production); run it more often than the figures "
        "expire (five minutes)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        stored = refresh_network_figures()
        self.stdout.write(
            f"Network figures refreshed: {stored} stored in {time.perf_counter() - started:.1f} s."
        )
