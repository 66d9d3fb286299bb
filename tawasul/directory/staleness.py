"""When a directory entry counts as stale: not verified for ``DIRECTORY_STALE_MONTHS``."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.utils import timezone


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def stale_before(today: date | None = None) -> date:
    """Entries last verified before this date are stale."""
    return months_before(today or timezone.localdate(), int(settings.DIRECTORY_STALE_MONTHS))
