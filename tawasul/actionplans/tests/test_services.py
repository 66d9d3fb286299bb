import datetime

import pytest
import time_machine
from django.urls import reverse

from tawasul.actionplans import services
from tawasul.actionplans.models import ActionStatus, Meeting, OwnerKind, Participation
from tawasul.actionplans.tests.factories import ActionFactory, MeetingFactory, ProgrammeFactory
from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.core.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_every_write_is_audited(coordinator, focal_point_ma):
    programme = services.programme_create(actor=coordinator, name_en="Sahel Judicial Platform")
    meeting = services.meeting_create(
        actor=coordinator,
        programme=programme,
        kind="regional_coordination",
        title_en="Plenary",
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 5, 2),
        place="Nouakchott",
    )
    services.participation_record(actor=coordinator, meeting=meeting, country="MR", women=4, men=6)
    rec = services.recommendation_create(actor=coordinator, meeting=meeting, text_en="Do it.")
    action = services.action_create(
        actor=coordinator,
        recommendation=rec,
        description="Do it",
        owner_kind=OwnerKind.COUNTRY,
        country="MA",
        due_date=datetime.date(2026, 9, 1),
    )
    services.action_report_progress(actor=focal_point_ma, action=action, status="done", text="ok")
    types = list(
        AuditEvent.objects.filter(event_type__startswith="actionplans.")
        .order_by("seq")
        .values_list("event_type", flat=True)
    )
    assert types == [
        "actionplans.programme_created",
        "actionplans.meeting_created",
        "actionplans.participation_recorded",
        "actionplans.recommendation_created",
        "actionplans.action_created",
        "actionplans.action_updated",
    ]
    last = AuditEvent.objects.get(event_type="actionplans.action_updated")
    assert last.changes["status"] == ["planned", "done"]
    assert last.object_country == "MA"


def test_recommendations_are_numbered_in_order(coordinator):
    meeting = MeetingFactory()
    first = services.recommendation_create(actor=coordinator, meeting=meeting, text_en="a")
    second = services.recommendation_create(actor=coordinator, meeting=meeting, text_en="b")
    assert (first.number, second.number) == (1, 2)


def test_meeting_cannot_end_before_it_starts(coordinator):
    with pytest.raises(ServiceError) as refused:
        services.meeting_create(
            actor=coordinator,
            programme=ProgrammeFactory(),
            kind="workshop",
            title_en="x",
            start_date=datetime.date(2026, 5, 2),
            end_date=datetime.date(2026, 5, 1),
            place="Rabat",
        )
    assert refused.value.field == "end_date"
    assert not Meeting.objects.exists()


def test_participation_is_replaced_not_added(coordinator):
    meeting = MeetingFactory()
    services.participation_record(actor=coordinator, meeting=meeting, country="ML", women=1, men=1)
    services.participation_record(actor=coordinator, meeting=meeting, country="ML", women=2, men=7)
    row = Participation.objects.get(meeting=meeting)
    assert (row.women, row.men) == (2, 7)


def test_participation_refuses_negative_and_empty_counts(coordinator):
    meeting = MeetingFactory()
    with pytest.raises(ServiceError):
        services.participation_record(
            actor=coordinator, meeting=meeting, country="ML", women=-1, men=3
        )
    with pytest.raises(ServiceError):
        services.participation_record(
            actor=coordinator, meeting=meeting, country="ML", women=0, men=0
        )
    assert not Participation.objects.exists()


def test_agency_owner_takes_the_agency_country(coordinator):
    agency = AgencyFactory(country="NE")
    action = services.action_create(
        actor=coordinator,
        recommendation=ActionFactory().recommendation,
        description="x",
        owner_kind=OwnerKind.AGENCY,
        agency=agency,
        due_date=datetime.date(2026, 9, 1),
    )
    assert action.country == "NE"


def test_unknown_status_is_refused_and_nothing_changes(focal_point_ma):
    action = ActionFactory(country="MA")
    with pytest.raises(ServiceError):
        services.action_report_progress(actor=focal_point_ma, action=action, status="won", text="x")
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    assert not action.updates.exists()


def test_reopening_a_done_action_clears_completion(focal_point_ma):
    action = ActionFactory(country="MA")
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC)):
        services.action_report_progress(
            actor=focal_point_ma, action=action, status="done", text="x"
        )
    action.refresh_from_db()
    assert action.completed_on == datetime.date(2026, 6, 1)
    services.action_report_progress(
        actor=focal_point_ma, action=action, status="in_progress", text="y"
    )
    action.refresh_from_db()
    assert action.completed_on is None


def test_bad_progress_form_shows_error_and_changes_nothing(focal_point_ma, signed_in):
    action = ActionFactory(country="MA")
    response = signed_in(focal_point_ma).post(
        reverse("actionplans:action_progress", args=[action.pk]), {"status": "done", "text": ""}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_coordinator_creates_meeting_recommendation_and_action_through_pages(
    coordinator, signed_in
):
    client = signed_in(coordinator)
    programme = ProgrammeFactory()
    response = client.post(
        reverse("actionplans:meeting_create"),
        {
            "programme": programme.pk,
            "kind": "workshop",
            "title_en": "Niamey workshop",
            "start_date": "2026-04-16",
            "end_date": "2026-04-18",
            "place": "Niamey",
            "place_country": "NE",
        },
    )
    meeting = Meeting.objects.get(title_en="Niamey workshop")
    assert response.status_code == 302
    response = client.post(
        reverse("actionplans:participation_record", args=[meeting.pk]),
        {"country": "NE", "agency": "", "women": 3, "men": 9, "unspecified": 0},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("actionplans:recommendation_create", args=[meeting.pk]),
        {"text_en": "Nominate focal points", "text_ar": "تعيين نقاط اتصال"},
    )
    assert response.status_code == 302
    rec = meeting.recommendations.get()
    response = client.post(
        reverse("actionplans:action_create", args=[rec.pk]),
        {
            "description": "Nominate two focal points",
            "owner_kind": "country",
            "country": "NE",
            "due_date": "2026-10-01",
            "priority": "high",
            "indicator": "",
        },
    )
    assert response.status_code == 302
    assert rec.actions.get().country == "NE"


def test_action_form_without_country_shows_error(coordinator, signed_in):
    rec = ActionFactory().recommendation
    response = signed_in(coordinator).post(
        reverse("actionplans:action_create", args=[rec.pk]),
        {
            "description": "x",
            "owner_kind": "country",
            "country": "",
            "due_date": "2026-10-01",
            "priority": "high",
        },
    )
    assert response.status_code == 200
    assert rec.actions.count() == 1  # only the factory's
