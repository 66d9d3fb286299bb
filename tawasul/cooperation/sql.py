"""SQL expressions for the request figures, spelled for SQLite and PostgreSQL.

They are the expressions of the request's generated columns (``CooperationRequest``'s
``counted_month``, ``sent_month``, ``hours_to_acknowledgement``, ``hours_to_execution``): the
database computes them once, when a row is written, so that the dashboard reads small integers
instead of computing dates for every request on every visit. Both expressions are immutable
(no time zone lookup, no locale), as generated columns require.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Func, IntegerField


class HoursBetween(Func):
    """Whole hours from ``start`` to ``end`` (NULL when either is)."""

    output_field = IntegerField()
    arity = 2
    arg_joiner = " - "
    # PostgreSQL: date_part gives a double; EXTRACT gives a numeric, slower to compute.
    template = "CAST(floor(date_part('epoch', %(expressions)s) / 3600) AS integer)"

    def __init__(self, start: Any, end: Any, **extra: Any) -> None:
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite stores UTC text; julianday is native and deterministic for a stored value
        # (Django's own date functions call Python for every row).
        return super().as_sql(
            compiler,
            connection,
            template="CAST((julianday(%(expressions)s)) * 24 AS integer)",
            arg_joiner=") - julianday(",
            **extra,
        )


class MonthIndex(Func):
    """The month of a datetime in UTC (the project's TIME_ZONE) as one integer:
    year × 12 + month − 1, so that months compare and subtract as numbers."""

    output_field = IntegerField()
    arity = 1
    template = (
        "CAST(date_part('year', %(expressions)s AT TIME ZONE 'UTC') * 12"
        " + date_part('month', %(expressions)s AT TIME ZONE 'UTC') - 1 AS integer)"
    )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template=(
                "(CAST(substr(%(expressions)s, 1, 4) AS integer) * 12"
                " + CAST(substr(%(expressions)s, 6, 2) AS integer) - 1)"
            ),
            **extra,
        )


def month_index(year: int, month: int) -> int:
    """The ``MonthIndex`` of a calendar month."""
    return year * 12 + month - 1


def month_start(index: int) -> datetime.date:
    """The first day of the month whose ``MonthIndex`` is ``index``."""
    return datetime.date(index // 12, index % 12 + 1, 1)
