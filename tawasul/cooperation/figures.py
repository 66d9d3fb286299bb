"""The figures of the cooperation requests dashboard: how many requests, in which status, how
long the requested side takes to acknowledge and to execute them.

Two audiences, two sources:
- a case worker (focal point, central-authority user) counts only the requests they may open
  (``CooperationRequest.objects.visible_to``): their outgoing and incoming requests by status,
  the overdue ones, and the median answer times of those requests;
- a network coordinator, who may open none, sees aggregate counts over every request of the
  network except drafts, per country pair × type × status, never a reference nor any content;
  every count under ``SMALL_CELL`` shows as "<5" (zeros too), and a median only for groups of
  at least ``SMALL_CELL`` requests. No margins (row or column totals) are shown: with them a
  suppressed cell could be worked back by subtraction.
Everyone else gets nothing (``dashboard_audience`` is None).

Speed (100,000 requests, docs/benchmarks/requests.md): the database reads each matching row
once, four integers from generated columns the database computed when the row was written —
the country pair, type and status in one number (``sql.figure_cell_expression``), the month of
transmission and the hours from transmission to acknowledgement and to execution — and Python
groups them: counts with a ``Counter``, medians from the sorted durations of each group.
SQLite has no median and PostgreSQL's ``percentile_cont`` measured slower than this single
scan (each median is its own sort). The coordinators' aggregates, the same for every
coordinator and the costliest (the whole network), are cached for a few minutes
(``dashboard_figures``).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from tawasul.cooperation.lifecycle import OPEN_ABROAD, RequestType, Status
from tawasul.cooperation.models import CooperationRequest, may_work_on_requests
from tawasul.cooperation.sql import cell_group, month_index, month_start, split_cell, split_group
from tawasul.core.access import has_role
from tawasul.core.roles import Role
from tawasul.core.spreadsheet import neutralise

SMALL_CELL = 5
SUPPRESSED = "<5"
OVERDUE_SHOWN = 50
# The coordinators' aggregates are the same for every coordinator, cost a scan of the whole
# network's requests, and move slowly: the cache (Redis in production, shared by the web
# workers) keeps them this long, and a timer refreshes the unfiltered ones more often than that
# (``refresh_network_figures``, every four minutes in docs/deploy.md). A case worker's figures
# are never cached: they follow what the user may see at this moment.
COORDINATOR_CACHE_SECONDS = 300

# Months of transmission the dashboard looks back over ("all": the whole history).
PERIODS: dict[str, int | None] = {"3": 3, "12": 12, "36": 36, "all": None}
DEFAULT_PERIOD = "12"
DIRECTIONS = ("outgoing", "incoming")


class Audience(StrEnum):
    CASE_WORKER = "case_worker"
    COORDINATOR = "coordinator"


def dashboard_audience(user: Any) -> Audience | None:
    """Which dashboard ``user`` gets: a case worker's own figures, a coordinator's aggregates,
    or none (national admins, oversight, border officers, victim protection)."""
    if may_work_on_requests(user):
        return Audience.CASE_WORKER
    if has_role(user, Role.COORDINATOR):
        return Audience.COORDINATOR
    return None


@dataclass(frozen=True)
class Filters:
    period: str = DEFAULT_PERIOD
    request_type: str = ""
    # A case worker: the other side's country. A coordinator: either side's.
    country: str = ""
    # A case worker: relative to their own country. A coordinator: relative to ``country``
    # (from it, or to it); without a country it means nothing.
    direction: str = ""

    def start(self, today: datetime.date) -> datetime.datetime | None:
        """The first instant counted: the first day of the period's first month."""
        months = PERIODS.get(self.period)
        if months is None:
            return None
        index = today.year * 12 + today.month - 1 - (months - 1)
        first = datetime.date(index // 12, index % 12 + 1, 1)
        return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))

    def as_params(self) -> dict[str, str]:
        return {
            key: value
            for key, value in (
                ("period", self.period),
                ("request_type", self.request_type),
                ("country", self.country),
                ("direction", self.direction),
            )
            if value and not (key == "period" and value == DEFAULT_PERIOD)
        }


def parse_filters(params: Mapping[str, Any]) -> Filters:
    """Filters from a query string; an unknown value falls back to "no filter"."""
    period = str(params.get("period") or DEFAULT_PERIOD)
    request_type = str(params.get("request_type") or "")
    country = str(params.get("country") or "").upper()
    direction = str(params.get("direction") or "")
    return Filters(
        period=period if period in PERIODS else DEFAULT_PERIOD,
        request_type=request_type if request_type in RequestType.values else "",
        country=country if country in countries else "",
        direction=direction if direction in DIRECTIONS else "",
    )


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Median:
    """The median of a group's durations (days), and how many durations it is the median of."""

    days: float | None
    count: int


def _by_group(by_cell: Mapping[int, list[int]]) -> dict[int, list[int]]:
    """Durations by figure cell (pair, type and status) merged by pair and type."""
    merged: dict[int, list[int]] = {}
    for cell, hours in by_cell.items():
        merged.setdefault(cell_group(cell), []).extend(hours)
    return merged


def _median(hours: list[int]) -> Median:
    if not hours:
        return Median(None, 0)
    hours.sort()
    middle = len(hours) // 2
    value = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    return Median(round(value / 24, 1), len(hours))


@dataclass
class GroupRow:
    """One country pair and request type: counts by status and the two median times."""

    requesting: str
    requested: str
    request_type: str
    counts: dict[str, int]
    acknowledgement: Median
    execution: Median


@dataclass
class MonthRow:
    month: datetime.date
    acknowledgement: Median
    execution: Median


@dataclass
class Figures:
    audience: Audience
    filters: Filters
    statuses: list[str]
    rows: list[GroupRow]
    months: list[MonthRow]
    # Case workers only: their outgoing and incoming requests by status, and the overdue ones.
    by_direction: dict[str, dict[str, int]] = field(default_factory=dict)
    overdue: list[CooperationRequest] = field(default_factory=list)
    overdue_count: int = 0
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def suppressed(self) -> bool:
        return self.audience == Audience.COORDINATOR

    def count(self, value: int) -> str:
        """A count as shown: "<5" for the coordinators' small cells (zeros too)."""
        return SUPPRESSED if self.suppressed and value < SMALL_CELL else str(value)

    def median(self, median: Median) -> str:
        if median.days is None or (self.suppressed and median.count < SMALL_CELL):
            return ""
        return f"{median.days:.1f}"

    @property
    def total(self) -> int:
        return sum(sum(row.values()) for row in self.by_direction.values())


def _scope(user: Any, audience: Audience) -> QuerySet[CooperationRequest]:
    if audience == Audience.CASE_WORKER:
        return CooperationRequest.objects.visible_to(user)
    return CooperationRequest.objects.exclude(status=Status.DRAFT)


def _filtered(
    rows: QuerySet[CooperationRequest], user: Any, audience: Audience, filters: Filters
) -> QuerySet[CooperationRequest]:
    """Type, country and direction (not the period: overdue requests are shown whenever
    they were sent)."""
    if filters.request_type:
        rows = rows.filter(request_type=filters.request_type)
    own = str(user.country or "") if audience == Audience.CASE_WORKER else filters.country
    if filters.country and (audience == Audience.CASE_WORKER or not filters.direction):
        rows = rows.filter(
            Q(requesting_country=filters.country) | Q(requested_country=filters.country)
        )
    if own and filters.direction == "outgoing":
        rows = rows.filter(requesting_country=own)
    elif own and filters.direction == "incoming":
        rows = rows.filter(requested_country=own)
    return rows


def _in_period(
    rows: QuerySet[CooperationRequest], filters: Filters, today: datetime.date
) -> QuerySet[CooperationRequest]:
    start = filters.start(today)
    if start is None:
        return rows
    # A request counts in the month it was transmitted; one not yet sent, when it was created
    # (``counted_month``; a period starts on the first of a month, so months compare exactly).
    return rows.filter(counted_month__gte=month_index(start.year, start.month))


def _scan(rows: QuerySet[CooperationRequest]) -> list[tuple[int, int | None, Any, Any]]:
    """One line per request, four integers read from generated columns: its figure cell
    (country pair, type and status, ``sql.split_cell``), the month it was sent
    (``MonthIndex``), the hours to acknowledgement and to execution."""
    return list(
        rows.values_list(
            "figure_cell", "sent_month", "hours_to_acknowledgement", "hours_to_execution"
        ).order_by()
    )


def _month_axis(
    audience: Audience, filters: Filters, today: datetime.date, durations: Mapping[int, list[int]]
) -> list[datetime.date]:
    """The months of the time chart: from the period's first month (for "all", the first month
    with answer times — for coordinators, with at least five) to the current one. A fixed
    axis, so the first and last bars never tell when a lone request was sent."""
    if not durations:
        return []
    start = filters.start(today)
    if start is not None:
        first = start.date()
    else:
        minimum = SMALL_CELL if audience == Audience.COORDINATOR else 1
        keys = sorted(k for k, v in durations.items() if len(v) >= minimum)
        if not keys:
            return []
        first = month_start(keys[0])
    months = []
    month = first
    while month <= today:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def compute(
    user: Any,
    audience: Audience,
    filters: Filters,
    *,
    today: datetime.date | None = None,
    with_overdue: bool = True,
) -> Figures:
    """The dashboard's figures for ``user`` as ``audience`` (see ``dashboard_audience``);
    for a case worker, also their overdue requests unless ``with_overdue`` is False."""
    today = today or timezone.localdate()
    scope = _filtered(_scope(user, audience), user, audience, filters)
    scanned = _scan(_in_period(scope, filters, today))
    cells: Counter[int] = Counter(map(itemgetter(0), scanned))
    # Durations by cell first (no arithmetic per request), merged by pair and type below.
    ack_cell: defaultdict[int, list[int]] = defaultdict(list)
    exe_cell: defaultdict[int, list[int]] = defaultdict(list)
    ack_month: defaultdict[int, list[int]] = defaultdict(list)
    exe_month: defaultdict[int, list[int]] = defaultdict(list)
    for cell, month, to_ack, to_exec in scanned:
        if month is None:  # not transmitted: counted, no answer time
            continue
        if to_ack is not None:
            ack_cell[cell].append(to_ack)
            ack_month[month].append(to_ack)
        if to_exec is not None:
            exe_cell[cell].append(to_exec)
            exe_month[month].append(to_exec)
    ack = _by_group(ack_cell)
    exe = _by_group(exe_cell)

    by_group: dict[int, dict[str, int]] = {}
    for cell, n in cells.items():
        status = split_cell(cell)[3]
        if status:
            by_group.setdefault(cell_group(cell), {})[status] = n
    if audience == Audience.COORDINATOR:
        # A pair and type with fewer than five requests is not listed at all: even a line of
        # "<5" would tell that such a request exists.
        by_group = {g: row for g, row in by_group.items() if sum(row.values()) >= SMALL_CELL}
    statuses = [
        s
        for s in Status.values
        if not (audience == Audience.COORDINATOR and s == Status.DRAFT)
        and any(s in row for row in by_group.values())
    ]
    groups = {group: split_group(group) for group in by_group}
    in_rows = {
        c for requesting, requested, _type in groups.values() for c in (requesting, requested)
    }
    names = {c: str(countries.name(c)) for c in in_rows}
    type_labels = {code: str(label) for code, label in RequestType.choices}

    def order(group: int) -> tuple[str, str, str]:
        requesting, requested, request_type = groups[group]
        return names[requesting], names[requested], type_labels.get(request_type, request_type)

    rows = [
        GroupRow(
            requesting=groups[group][0],
            requested=groups[group][1],
            request_type=groups[group][2],
            counts=by_group[group],
            acknowledgement=_median(ack.get(group, [])),
            execution=_median(exe.get(group, [])),
        )
        for group in sorted(by_group, key=order)
    ]
    months = [
        MonthRow(
            month,
            _median(ack_month.get(month_index(month.year, month.month), [])),
            _median(exe_month.get(month_index(month.year, month.month), [])),
        )
        for month in _month_axis(audience, filters, today, ack_month)
    ]
    figures = Figures(audience, filters, statuses, rows, months)
    if audience == Audience.CASE_WORKER:
        own = str(user.country)
        figures.by_direction = {"outgoing": {}, "incoming": {}}
        for cell, n in cells.items():
            requesting, _requested, _type, status = split_cell(cell)
            if not status:
                continue
            side = figures.by_direction["outgoing" if requesting == own else "incoming"]
            side[status] = side.get(status, 0) + n
    if audience == Audience.CASE_WORKER and with_overdue:
        overdue = scope.filter(status__in=OPEN_ABROAD, due_on__lt=today)
        figures.overdue_count = overdue.count()
        figures.overdue = list(
            overdue.only(
                "pk",
                "reference",
                "request_type",
                "status",
                "requesting_country",
                "requested_country",
                "due_on",
            ).order_by("due_on", "pk")[:OVERDUE_SHOWN]
        )
    return figures


def _network_key(today: datetime.date, language: str, filters: Filters) -> str:
    return ":".join(
        (
            "cooperation-figures",
            today.isoformat(),
            language,
            filters.period,
            filters.request_type,
            filters.country,
            filters.direction,
        )
    )


def dashboard_figures(
    user: Any,
    audience: Audience,
    filters: Filters,
    *,
    today: datetime.date | None = None,
    with_overdue: bool = True,
) -> Figures:
    """``compute``, with the coordinators' aggregates kept ``COORDINATOR_CACHE_SECONDS`` in the
    cache (per day, filters and language, which orders the rows) — filled by the first
    coordinator who asks, or ahead of them by ``refresh_network_figures``."""
    today = today or timezone.localdate()
    if audience != Audience.COORDINATOR:
        return compute(user, audience, filters, today=today, with_overdue=with_overdue)
    key = _network_key(today, translation.get_language() or "", filters)
    cached = cache.get(key)
    if isinstance(cached, Figures):
        return cached
    figures = compute(user, audience, filters, today=today)
    cache.set(key, figures, COORDINATOR_CACHE_SECONDS)
    return figures


def refresh_network_figures(*, today: datetime.date | None = None) -> int:
    """Compute the coordinators' unfiltered aggregates — every period, every language — and put
    them in the cache, so that no coordinator waits for them; returns how many were stored.

    A timer runs it every four minutes (``manage.py cooperation_figures``, docs/deploy.md):
    the whole network over "any time" is the costliest figure (a scan of every request), and
    the web workers find it ready as long as the cache is shared (Redis, ``CACHE_URL``).
    Filtered figures read far fewer rows and are still computed on demand."""
    today = today or timezone.localdate()
    stored = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for period in PERIODS:
                filters = Filters(period=period)
                figures = compute(None, Audience.COORDINATOR, filters, today=today)
                cache.set(
                    _network_key(today, language, filters), figures, COORDINATOR_CACHE_SECONDS
                )
                stored += 1
    return stored


# --- CSV ------------------------------------------------------------------------------------


def csv_header(figures: Figures) -> list[str]:
    return [
        _("Requesting country"),
        _("Requested country"),
        _("Type of request"),
        *(str(Status(s).label) for s in figures.statuses),
        _("Median days to acknowledgement"),
        _("Requests acknowledged"),
        _("Median days to execution"),
        _("Requests executed"),
    ]


def csv_rows(figures: Figures) -> list[list[str]]:
    type_labels = dict(RequestType.choices)
    return [
        [
            row.requesting,
            row.requested,
            str(type_labels[row.request_type]),
            *(figures.count(row.counts.get(s, 0)) for s in figures.statuses),
            figures.median(row.acknowledgement),
            figures.count(row.acknowledgement.count),
            figures.median(row.execution),
            figures.count(row.execution.count),
        ]
        for row in figures.rows
    ]


def to_csv(figures: Figures) -> str:
    """The table of the dashboard (one line per country pair and type) as CSV, every cell
    neutralised for spreadsheets, small cells suppressed for coordinators."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(cell) for cell in csv_header(figures)])
    for line in csv_rows(figures):
        writer.writerow([neutralise(cell) for cell in line])
    return buffer.getvalue()


def status_labels(statuses: Sequence[str]) -> list[str]:
    return [str(Status(s).label) for s in statuses]
