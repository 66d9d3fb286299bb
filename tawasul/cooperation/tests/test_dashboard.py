"""The requests dashboard: a case worker counts only the requests they may open; a coordinator
sees aggregates without references or content, small cells suppressed on the page and in the
CSV; everyone else gets 404."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tawasul.audit.models import AuditEvent
from tawasul.cooperation import figures
from tawasul.cooperation.events import CooperationEvent
from tawasul.cooperation.lifecycle import RequestType, Status
from tawasul.cooperation.tests.factories import CooperationRequestFactory
from tawasul.core.roles import Role

pytestmark = pytest.mark.django_db

DASHBOARD = "cooperation:dashboard"
EXPORT = "cooperation:dashboard_export"


def _sent(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def make(drafter, *, status=Status.EXECUTED, ack=None, exe=None, days_ago=30, **kwargs):
    """A request sent ``days_ago`` days ago, acknowledged ``ack`` and executed ``exe`` days
    after transmission."""
    sent = _sent(days_ago) if status not in (Status.DRAFT, Status.AWAITING_APPROVAL) else None
    values = {
        "created_by": drafter,
        "requesting_agency": drafter.agency,
        "requesting_country": str(drafter.country),
        "status": status,
        "transmitted_at": sent,
        "created_at": sent or _sent(days_ago),
    }
    if sent and ack is not None:
        values["acknowledged_at"] = sent + datetime.timedelta(days=ack)
    if sent and exe is not None:
        values["executed_at"] = sent + datetime.timedelta(days=exe)
    values.update(kwargs)
    return CooperationRequestFactory(**values)


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def tn_drafter(make_user):
    return make_user(username="drafter.tn", country="TN", roles=[Role.FOCAL_POINT])


# --- who gets what --------------------------------------------------------------------------


@pytest.mark.parametrize("route", [DASHBOARD, EXPORT])
@pytest.mark.parametrize(
    "persona", ["admin_ma", "oversight_ma", "border_officer", "victim_protection"]
)
def test_users_who_neither_work_on_requests_nor_coordinate_get_404(
    persona, route, request, make_user, signed_in
):
    if persona == "border_officer":
        user = make_user(username="bo.ma", country="MA", roles=[Role.BORDER_OFFICER])
    elif persona == "victim_protection":
        user = make_user(username="vp.ma", country="MA", roles=[Role.VICTIM_PROTECTION])
    else:
        user = request.getfixturevalue(persona)
    response = signed_in(user).get(reverse(route))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event_type="access.denied", actor=user).exists()


def test_a_coordinator_who_also_holds_a_case_role_gets_the_aggregates(make_user):
    user = make_user(
        username="coord.fp", country="", organisation="UNODC", roles=[Role.COORDINATOR]
    )
    assert figures.dashboard_audience(user) == figures.Audience.COORDINATOR


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- case workers ---------------------------------------------------------------------------


def test_case_worker_counts_outgoing_and_incoming_by_status(
    checker_ma, drafter_ma, central_es, signed_in
):
    for _ in range(2):
        make(drafter_ma, status=Status.EXECUTED, ack=2, exe=20)
    make(drafter_ma, status=Status.TRANSMITTED)
    make(drafter_ma, status=Status.DRAFT)  # a draft of the checker's own agency
    make(central_es, status=Status.UNDER_REVIEW, requested_country="MA", ack=1)
    data = figures.compute(checker_ma, figures.Audience.CASE_WORKER, figures.Filters())
    assert data.by_direction == {
        "outgoing": {Status.DRAFT: 1, Status.EXECUTED: 2, Status.TRANSMITTED: 1},
        "incoming": {Status.UNDER_REVIEW: 1},
    }
    page = signed_in(checker_ma).get(reverse(DASHBOARD))
    assert page.status_code == 200
    assert page.context["by_status"]["chart"].rows == [
        ["Draft", "1", "0", "1"],
        ["Transmitted", "1", "0", "1"],
        ["Under review", "0", "1", "1"],
        ["Executed", "2", "0", "2"],
    ]


def test_drafter_counts_the_drafts_of_their_agency(drafter_ma):
    make(drafter_ma, status=Status.DRAFT)
    data = figures.compute(drafter_ma, figures.Audience.CASE_WORKER, figures.Filters())
    assert data.by_direction["outgoing"] == {Status.DRAFT: 1}


def test_requests_the_viewer_may_not_open_are_never_counted(
    drafter_ma, tn_drafter, make_user, signed_in
):
    make(drafter_ma, status=Status.EXECUTED, ack=1, exe=5)
    # Between two other countries; and a draft of another Moroccan agency.
    make(tn_drafter, status=Status.EXECUTED, ack=1, exe=5, reference="TN-2026-FOREIGN")
    other_ma = make_user(username="other.ma", country="MA", roles=[Role.FOCAL_POINT])
    make(other_ma, status=Status.DRAFT)
    # A request to Morocco not yet transmitted (awaiting approval in Tunisia).
    make(tn_drafter, status=Status.AWAITING_APPROVAL, requested_country="MA")
    data = figures.compute(drafter_ma, figures.Audience.CASE_WORKER, figures.Filters())
    assert data.total == 1
    assert [(r.requesting, r.requested) for r in data.rows] == [("MA", "ES")]
    page = signed_in(drafter_ma).get(reverse(DASHBOARD))
    assert b"TN-2026-FOREIGN" not in page.content
    assert [(r["requesting"], r["requested"]) for r in page.context["table"]] == [
        ("Morocco", "Spain")
    ]
    rows = _csv(signed_in(drafter_ma).get(reverse(EXPORT)))
    assert [r[:2] for r in rows[1:]] == [["MA", "ES"]]


def test_medians_per_pair_and_type_and_by_month(checker_ma, drafter_ma):
    for ack, exe in ((2, 10), (4, 30), (10, 50)):
        make(drafter_ma, ack=ack, exe=exe)
    make(drafter_ma, status=Status.UNDER_REVIEW, ack=6)
    make(drafter_ma, request_type=RequestType.EXTRADITION, ack=1, exe=3)
    data = figures.compute(checker_ma, figures.Audience.CASE_WORKER, figures.Filters())
    by_type = {r.request_type: r for r in data.rows}
    assert by_type["mla"].acknowledgement == figures.Median(5.0, 4)  # 2, 4, 6, 10
    assert by_type["mla"].execution == figures.Median(30.0, 3)
    assert by_type["extradition"].execution == figures.Median(3.0, 1)
    month = [m for m in data.months if m.acknowledgement.count]
    assert len(month) == 1
    assert month[0].acknowledgement == figures.Median(4.0, 5)  # 1, 2, 4, 6, 10


def test_filters_narrow_the_figures(checker_ma, drafter_ma, central_es, make_user):
    make(drafter_ma, ack=1, exe=5)
    make(drafter_ma, request_type=RequestType.EXTRADITION, ack=1, exe=5)
    make(drafter_ma, ack=1, exe=5, days_ago=500)
    make(central_es, status=Status.UNDER_REVIEW, requested_country="MA", ack=1)
    fr = make_user(username="fp.fr", country="FR", roles=[Role.FOCAL_POINT])
    make(fr, status=Status.TRANSMITTED, requested_country="MA")

    def total(**params):
        data = figures.compute(
            checker_ma, figures.Audience.CASE_WORKER, figures.parse_filters(params)
        )
        return data.total

    assert total() == 4  # the last 12 months
    assert total(period="all") == 5
    assert total(request_type="extradition") == 1
    assert total(direction="incoming") == 2
    assert total(direction="outgoing", period="all") == 3
    assert total(country="FR") == 1
    assert total(country="ES", direction="incoming") == 1
    assert total(request_type="nonsense", period="nonsense") == 4  # unknown values: no filter


def test_overdue_requests_are_listed_for_the_case_worker(checker_ma, drafter_ma, signed_in):
    late = make(
        drafter_ma,
        status=Status.UNDER_REVIEW,
        ack=1,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    make(
        drafter_ma,
        status=Status.UNDER_REVIEW,
        ack=1,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
        reference="MA-2026-NOTLATE",
    )
    make(
        drafter_ma,
        status=Status.EXECUTED,
        ack=1,
        exe=9,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        reference="MA-2026-DONE",
    )
    page = signed_in(checker_ma).get(reverse(DASHBOARD))
    assert page.context["data"].overdue_count == 1
    content = page.content.decode()
    assert late.reference in content
    assert "3 days late" in content
    assert "MA-2026-NOTLATE" not in content
    assert "MA-2026-DONE" not in content


def test_charts_are_inline_svg_mirrored_for_arabic(drafter_ma, signed_in):
    make(drafter_ma, ack=2, exe=9)
    drafter_ma.language = "ar"
    drafter_ma.save(update_fields=["language"])
    content = signed_in(drafter_ma).get(reverse(DASHBOARD)).content.decode()
    assert content.count("<svg") == 2
    assert 'direction="rtl"' in content
    assert "<script" not in content.split("<main", 1)[1]


# --- coordinators ---------------------------------------------------------------------------


@pytest.fixture
def network(drafter_ma, tn_drafter, central_es):
    """Morocco → Spain MLA: 6 executed, 2 refused, 1 draft. Tunisia → Morocco extradition:
    3 executed, 3 under review. Spain → Morocco police information: 2 transmitted."""
    for day in range(6):
        make(drafter_ma, ack=2 + day, exe=10 + day, summary_of_facts="Secret facts of the case")
    for _ in range(2):
        make(drafter_ma, status=Status.REFUSED, ack=1)
    make(drafter_ma, status=Status.DRAFT)
    for status in [Status.EXECUTED] * 3 + [Status.UNDER_REVIEW] * 3:
        make(
            tn_drafter,
            status=status,
            requested_country="MA",
            request_type=RequestType.EXTRADITION,
            ack=1,
            exe=4 if status == Status.EXECUTED else None,
        )
    for _ in range(2):
        make(
            central_es,
            status=Status.TRANSMITTED,
            requested_country="MA",
            request_type=RequestType.POLICE,
        )


def test_coordinator_counts_every_request_except_drafts_with_small_cells_suppressed(
    network, coordinator
):
    data = figures.compute(coordinator, figures.Audience.COORDINATOR, figures.Filters())
    ma_es = next(r for r in data.rows if (r.requesting, r.requested) == ("MA", "ES"))
    assert ma_es.counts == {Status.EXECUTED: 6, Status.REFUSED: 2}
    assert Status.DRAFT not in data.statuses
    assert data.count(6) == "6"
    assert data.count(2) == "<5"
    assert data.count(0) == "<5"
    assert data.median(ma_es.execution) == "12.5"  # 10..15, six requests
    tn_ma = next(r for r in data.rows if (r.requesting, r.requested) == ("TN", "MA"))
    assert data.median(tn_ma.acknowledgement) == "1.0"  # six acknowledged
    assert data.median(tn_ma.execution) == ""  # three executed: no median
    # Two requests in all between Spain and Morocco: not even listed.
    assert ("ES", "MA") not in {(r.requesting, r.requested) for r in data.rows}


def test_the_same_requests_are_listed_in_full_for_a_case_worker(network, checker_ma):
    data = figures.compute(checker_ma, figures.Audience.CASE_WORKER, figures.Filters())
    es_ma = next(r for r in data.rows if (r.requesting, r.requested) == ("ES", "MA"))
    assert es_ma.counts == {Status.TRANSMITTED: 2}
    assert data.count(2) == "2"


def test_coordinator_page_and_csv_suppress_small_cells(network, coordinator, signed_in):
    client = signed_in(coordinator)
    page = client.get(reverse(DASHBOARD))
    assert page.status_code == 200
    cells = page.context["table"]
    assert [(r["requesting"], r["requested"]) for r in cells] == [
        ("Morocco", "Spain"),
        ("Tunisia", "Morocco"),
    ]
    ma_es, tn_ma = cells
    statuses = page.context["data"].statuses
    assert ma_es["cells"][statuses.index(Status.EXECUTED)] == "6"
    assert ma_es["cells"][statuses.index(Status.REFUSED)] == "<5"
    assert tn_ma["cells"][statuses.index(Status.EXECUTED)] == "<5"
    assert tn_ma["exec"] == "—" and tn_ma["exec_n"] == "<5"
    assert "&lt;5" in page.content.decode()

    rows = _csv(client.get(reverse(EXPORT)))
    header = rows[0]
    by_pair = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_pair) == {("MA", "ES"), ("TN", "MA")}
    assert by_pair["MA", "ES"]["Executed"] == "6"
    assert by_pair["MA", "ES"]["Refused"] == "<5"
    assert by_pair["MA", "ES"]["Median days to execution"] == "12.5"
    assert by_pair["TN", "MA"]["Executed"] == "<5"
    assert by_pair["TN", "MA"]["Median days to execution"] == ""
    assert by_pair["TN", "MA"]["Requests executed"] == "<5"
    assert by_pair["TN", "MA"]["Requests acknowledged"] == "6"
    numbers = [cell for r in rows[1:] for cell in r[3:] if cell.replace(".", "").isdigit()]
    counts = [int(n) for n in numbers if "." not in n]
    assert counts and all(n >= 5 for n in counts)


def test_coordinator_sees_no_reference_nor_content(network, coordinator, signed_in):
    client = signed_in(coordinator)
    content = client.get(reverse(DASHBOARD)).content.decode()
    content += client.get(reverse(EXPORT)).content.decode("utf-8-sig")
    assert "MA-2026-" not in content
    assert "TN-2026-" not in content
    assert "Secret facts" not in content
    assert "Overdue" not in content


def test_coordinator_months_below_five_requests_are_left_out(drafter_ma, coordinator, tn_drafter):
    for _ in range(3):
        make(drafter_ma, ack=2, exe=10, days_ago=100)
    for _ in range(5):
        make(tn_drafter, ack=4, exe=12, days_ago=10)
    data = figures.compute(coordinator, figures.Audience.COORDINATOR, figures.Filters())
    shown = {m.month: data.median(m.acknowledgement) for m in data.months}
    assert list(shown.values()).count("") >= 1
    assert "4.0" in shown.values()
    assert "2.0" not in shown.values()


def test_coordinator_figures_are_cached_per_filter_but_case_workers_never(
    network, coordinator, checker_ma, drafter_ma
):
    everything = figures.Filters()
    mla = figures.parse_filters({"request_type": "mla"})
    first = figures.dashboard_figures(coordinator, figures.Audience.COORDINATOR, everything)
    only_mla = figures.dashboard_figures(coordinator, figures.Audience.COORDINATOR, mla)
    assert {r.request_type for r in only_mla.rows} == {"mla"}
    for _ in range(5):
        make(drafter_ma, ack=1, exe=2)
    again = figures.dashboard_figures(coordinator, figures.Audience.COORDINATOR, everything)
    assert again.computed_at == first.computed_at  # from the cache: the new requests wait
    case_worker = figures.dashboard_figures(checker_ma, figures.Audience.CASE_WORKER, everything)
    assert case_worker.by_direction["outgoing"][Status.EXECUTED] == 11  # at once


def test_refresh_puts_every_period_and_language_in_the_cache_ahead_of_coordinators(
    network, coordinator, signed_in, monkeypatch
):
    assert figures.refresh_network_figures() == len(figures.PERIODS) * 3
    computed = figures.compute(coordinator, figures.Audience.COORDINATOR, figures.Filters())

    def no_scan(*args, **kwargs):
        raise AssertionError("the refreshed figures should have been served")

    monkeypatch.setattr(figures, "compute", no_scan)
    client = signed_in(coordinator)
    for language in ("ar", "fr", "en"):
        client.cookies["tawasul_language"] = language
        for period in figures.PERIODS:
            page = client.get(reverse(DASHBOARD), {"period": period})
            assert page.status_code == 200
            assert page.context["data"].audience == figures.Audience.COORDINATOR
        assert client.get(reverse(EXPORT), {"period": "all"}).status_code == 200
    served = figures.dashboard_figures(coordinator, figures.Audience.COORDINATOR, figures.Filters())
    assert [vars(row) for row in served.rows] == [vars(row) for row in computed.rows]
    assert served.months == computed.months


def test_refresh_leaves_filtered_figures_to_be_computed_on_demand(network, coordinator):
    figures.refresh_network_figures()
    before = timezone.now()
    only_mla = figures.dashboard_figures(
        coordinator, figures.Audience.COORDINATOR, figures.parse_filters({"request_type": "mla"})
    )
    assert only_mla.computed_at >= before


def test_figures_command_refreshes_the_cached_figures(network, coordinator):
    from django.core.management import call_command

    first = figures.dashboard_figures(coordinator, figures.Audience.COORDINATOR, figures.Filters())
    out = io.StringIO()
    call_command("cooperation_figures", stdout=out)
    assert "Network figures refreshed: 12 stored" in out.getvalue()
    again = figures.dashboard_figures(coordinator, figures.Audience.COORDINATOR, figures.Filters())
    assert again.computed_at > first.computed_at


# --- export ---------------------------------------------------------------------------------


def test_export_is_audited_without_the_figures(drafter_ma, signed_in):
    make(drafter_ma, ack=1, exe=2)
    response = signed_in(drafter_ma).get(reverse(EXPORT), {"request_type": "mla"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(event_type=CooperationEvent.EXPORTED)
    assert event.actor == drafter_ma
    assert event.details["audience"] == "case_worker"
    assert event.details["filters"]["request_type"] == "mla"
    assert event.details["rows"] == 1


def test_csv_cells_are_neutralised_for_spreadsheets():
    row = figures.GroupRow(
        requesting="=cmd|' /C calc'!A0",
        requested="ES",
        request_type="mla",
        counts={Status.EXECUTED: 7},
        acknowledgement=figures.Median(1.0, 7),
        execution=figures.Median(-2.0, 7),
    )
    data = figures.Figures(
        figures.Audience.CASE_WORKER, figures.Filters(), [Status.EXECUTED], [row], []
    )
    line = next(csv.reader(io.StringIO(figures.to_csv(data).splitlines()[1])))
    assert line[0].startswith("'=")
    assert line[6] == "'-2.0"
