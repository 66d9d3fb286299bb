"""The request's generated columns (the dashboard's figures computed by the database when a
row is written) agree with the timestamps they come from, on SQLite and PostgreSQL, and are
kept up to date by every later write."""

from __future__ import annotations

import datetime

import pytest

from tawasul.cooperation import figures
from tawasul.cooperation.lifecycle import RequestType, Status
from tawasul.cooperation.models import CooperationRequest
from tawasul.cooperation.sql import cell_group, month_index, split_cell, split_group
from tawasul.cooperation.tests.test_dashboard import make

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _columns(request: CooperationRequest) -> tuple:
    return (
        CooperationRequest.objects.filter(pk=request.pk)
        .values_list(
            "counted_month", "sent_month", "hours_to_acknowledgement", "hours_to_execution"
        )
        .get()
    )


def test_generated_columns_follow_the_timestamps_across_a_month_end(drafter_ma):
    sent = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    request = make(
        drafter_ma,
        transmitted_at=sent,
        created_at=sent - datetime.timedelta(days=40),
        acknowledged_at=sent + datetime.timedelta(hours=1, minutes=59),
        executed_at=sent + datetime.timedelta(days=2, hours=3),
    )
    assert _columns(request) == (month_index(2026, 1), month_index(2026, 1), 1, 51)


def test_a_request_never_sent_counts_in_the_month_it_was_created(drafter_ma):
    created = datetime.datetime(2025, 12, 1, 0, 0, tzinfo=UTC)
    request = make(drafter_ma, status=Status.AWAITING_APPROVAL, created_at=created)
    assert _columns(request) == (month_index(2025, 12), None, None, None)


def test_a_later_write_updates_the_generated_columns(drafter_ma):
    sent = datetime.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    request = make(drafter_ma, status=Status.TRANSMITTED, transmitted_at=sent)
    assert _columns(request)[2:] == (None, None)
    request.acknowledged_at = sent + datetime.timedelta(hours=30)
    request.status = Status.ACKNOWLEDGED
    request.save()
    assert _columns(request)[2:] == (30, None)


def test_the_period_starts_exactly_at_the_first_of_its_month(drafter_ma, coordinator):
    """A request sent in the last minute before the period counts out; one sent in its first
    minute counts in."""
    today = datetime.date(2026, 12, 7)
    start = figures.Filters(period="3").start(today)
    assert start == datetime.datetime(2026, 10, 1, tzinfo=UTC)
    before = start - datetime.timedelta(minutes=1)
    for _ in range(5):
        make(drafter_ma, transmitted_at=before, acknowledged_at=before + datetime.timedelta(1))
        make(
            drafter_ma,
            transmitted_at=start,
            acknowledged_at=start + datetime.timedelta(days=2),
            request_type="extradition",
        )
    data = figures.compute(
        coordinator, figures.Audience.COORDINATOR, figures.Filters(period="3"), today=today
    )
    assert {row.request_type for row in data.rows} == {"extradition"}
    assert data.rows[0].acknowledgement == figures.Median(2.0, 5)


def test_the_figure_cell_reads_back_as_pair_type_and_status(drafter_ma):
    expected = {}
    for i, (request_type, status) in enumerate(
        zip(RequestType.values, [*Status.values, *Status.values], strict=False)
    ):
        requested = ("ZW", "ES", "AE", "TN", "NE", "ML", "FR")[i]
        request = make(
            drafter_ma, status=status, request_type=request_type, requested_country=requested
        )
        expected[request.pk] = ("MA", requested, request_type, status)
    for status in Status.values:  # every status at least once
        request = make(drafter_ma, status=status, requested_country="AA")
        expected[request.pk] = ("MA", "AA", request.request_type, status)
    cells = dict(CooperationRequest.objects.values_list("pk", "figure_cell"))
    assert {pk: split_cell(cell) for pk, cell in cells.items()} == expected
    for pk, cell in cells.items():
        assert split_group(cell_group(cell)) == expected[pk][:3]


def test_a_status_change_moves_the_request_to_another_cell(drafter_ma):
    request = make(drafter_ma, status=Status.TRANSMITTED, transmitted_at=datetime.datetime.now(UTC))
    request.status = Status.REFUSED
    request.save()
    cell = CooperationRequest.objects.values_list("figure_cell", flat=True).get(pk=request.pk)
    assert split_cell(cell)[3] == Status.REFUSED
