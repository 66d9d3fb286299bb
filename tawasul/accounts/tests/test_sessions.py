from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from tawasul.accounts.services import user_disable
from tawasul.audit.models import AuditEvent, EventType
from tawasul.core.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, settings, focal_point_ma):
    settings.MFA_REQUIRED = False
    settings.SESSION_IDLE_SECONDS = 30 * 60
    settings.SESSION_ABSOLUTE_SECONDS = 10 * 3600
    return client


def test_session_ends_after_inactivity(logged_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        logged_in.post("/accounts/login/", {"username": "fp.ma", "password": TEST_PASSWORD})
        assert logged_in.get("/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert logged_in.get("/").status_code == 200  # activity resets the clock
        traveller.shift(timedelta(minutes=31))
        response = logged_in.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(
        event_type=EventType.SESSION_EXPIRED, details__reason="inactivity"
    ).exists()


def test_session_ends_at_absolute_limit_despite_activity(logged_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        logged_in.post("/accounts/login/", {"username": "fp.ma", "password": TEST_PASSWORD})
        for _ in range(20):  # active every 25 minutes, for 8h20
            traveller.shift(timedelta(minutes=25))
            assert logged_in.get("/").status_code == 200
        for _ in range(6):
            traveller.shift(timedelta(minutes=25))
            last = logged_in.get("/")
    assert last.status_code == 302
    assert AuditEvent.objects.filter(
        event_type=EventType.SESSION_EXPIRED, details__reason="absolute"
    ).exists()


def test_disabling_a_user_ends_all_their_sessions(settings, client, focal_point_ma, admin_ma):
    from django.test import Client

    settings.MFA_REQUIRED = False
    other_browser = Client()
    for c in (client, other_browser):
        c.post("/accounts/login/", {"username": "fp.ma", "password": TEST_PASSWORD})
        assert c.get("/").status_code == 200
    keys = [client.session.session_key, other_browser.session.session_key]
    user_disable(actor=admin_ma, user=focal_point_ma)
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert client.get("/").status_code == 302
    assert other_browser.get("/").status_code == 302
    event = AuditEvent.objects.get(event_type=EventType.USER_DISABLED)
    assert event.details["sessions_ended"] == 2
