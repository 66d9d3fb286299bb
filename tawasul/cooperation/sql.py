"""SQL expressions for the request figures, spelled for SQLite and PostgreSQL.

They are the expressions of the request's generated columns (``CooperationRequest``'s
``figure_cell``, ``counted_month``, ``sent_month``, ``hours_to_acknowledgement``,
``hours_to_execution``): the database computes them once, when a row is written, so that the
dashboard reads small integers instead of computing dates — or reading strings — for every
request on every visit. Every expression is immutable (no time zone lookup, no locale), as
generated columns require.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.db.models import Case, Expression, Func, IntegerField, Value, When
from django.db.models.functions import Ord, Substr

from tawasul.cooperation.lifecycle import RequestType, Status


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


# --- the figure cell: country pair, type and status in one integer --------------------------
#
# Reading two country codes, a type and a status as strings for each of 100,000 requests cost
# the dashboard more than reading everything else (measured: ~75 ms of ~140 ms on SQLite);
# one integer per request says the same. The type and status numbers are their positions in
# the enumerations, so a value added to ``RequestType`` or ``Status`` changes the expression
# and ``makemigrations --check`` asks for a migration.

COUNTRY_SLOTS = 26 * 26  # two capital letters A–Z
TYPE_SLOTS = 16
STATUS_SLOTS = 16
_TYPES = tuple(RequestType.values)
_STATUSES = tuple(Status.values)
if len(_TYPES) >= TYPE_SLOTS or len(_STATUSES) >= STATUS_SLOTS:  # the last slot: unknown
    raise RuntimeError("Too many request types or statuses for the figure cell's slots.")


def _country_number(field: str) -> Expression:
    """A two-letter code as 0 (AA) to 675 (ZZ)."""
    first = Ord(Substr(field, 1, 1)) - Value(65)
    second = Ord(Substr(field, 2, 1)) - Value(65)
    return first * Value(26) + second


def _position(field: str, values: tuple[str, ...], slots: int) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(i)) for i, value in enumerate(values)),
        default=Value(slots - 1),
        output_field=IntegerField(),
    )


def figure_cell_expression() -> Expression:
    """The expression of ``CooperationRequest.figure_cell``: ((requesting country × 676 +
    requested country) × 16 + type) × 16 + status, read back by ``split_cell``."""
    pair = _country_number("requesting_country") * Value(COUNTRY_SLOTS) + _country_number(
        "requested_country"
    )
    group = pair * Value(TYPE_SLOTS) + _position("request_type", _TYPES, TYPE_SLOTS)
    return group * Value(STATUS_SLOTS) + _position("status", _STATUSES, STATUS_SLOTS)


def cell_group(cell: int) -> int:
    """The country pair and type of a figure cell, without its status."""
    return cell // STATUS_SLOTS


# A network holds a few thousand distinct cells; each is decoded once per process.
@functools.lru_cache(maxsize=65536)
def split_group(group: int) -> tuple[str, str, str]:
    """The requesting country, requested country and request type of a ``cell_group``."""
    pair, kind = divmod(group, TYPE_SLOTS)
    requesting, requested = divmod(pair, COUNTRY_SLOTS)
    return _country(requesting), _country(requested), _at(_TYPES, kind)


@functools.lru_cache(maxsize=65536)
def split_cell(cell: int) -> tuple[str, str, str, str]:
    """The requesting country, requested country, request type and status of a figure cell
    ("" for a type or status the enumerations do not hold)."""
    group, status = divmod(cell, STATUS_SLOTS)
    return (*split_group(group), _at(_STATUSES, status))


def _country(number: int) -> str:
    return chr(65 + number // 26) + chr(65 + number % 26)


def _at(values: tuple[str, ...], index: int) -> str:
    return values[index] if index < len(values) else ""
