from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tawasul.audit.models import AuditEvent
from tawasul.directory.events import DirectoryEvent
from tawasul.directory.models import FocalPoint
from tawasul.directory.services import focal_point_verify
from tawasul.directory.staleness import months_before, stale_before
from tawasul.directory.tests.factories import FocalPointFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)


@time_machine.travel(NOW, tick=False)
def test_entry_not_verified_for_six_months_is_stale(focal_point_ma):
    fresh = FocalPointFactory(user=focal_point_ma, last_verified=date(2026, 5, 22))
    old = FocalPointFactory(user=focal_point_ma, last_verified=date(2026, 5, 21))
    never = FocalPointFactory(user=focal_point_ma, last_verified=None)
    assert stale_before() == date(2026, 5, 22)
    assert not fresh.is_stale()
    assert old.is_stale()
    assert never.is_stale()


@time_machine.travel(NOW, tick=False)
def test_staleness_follows_the_setting(focal_point_ma, settings):
    entry = FocalPointFactory(user=focal_point_ma, last_verified=date(2026, 8, 1))
    assert not entry.is_stale()
    settings.DIRECTORY_STALE_MONTHS = 3
    assert entry.is_stale()


def test_entry_becomes_stale_as_time_passes(focal_point_ma):
    with time_machine.travel(datetime(2026, 1, 10, tzinfo=UTC), tick=False) as traveller:
        entry = FocalPointFactory(user=focal_point_ma, last_verified=date(2026, 1, 10))
        assert not entry.is_stale()
        traveller.move_to(datetime(2026, 7, 11, tzinfo=UTC))
        assert entry.is_stale()
        focal_point_verify(actor=focal_point_ma, entry=entry)
        assert not entry.is_stale()


@time_machine.travel(NOW, tick=False)
def test_reminder_command_emails_owners_of_stale_entries_only(make_user, capsys):
    stale_owner = make_user(username="stale.owner", country="MA")
    fresh_owner = make_user(username="fresh.owner", country="TN")
    stale = FocalPointFactory(user=stale_owner, last_verified=date(2026, 1, 1))
    FocalPointFactory(user=fresh_owner, last_verified=date(2026, 11, 1))
    call_command("directory_remind_stale")
    assert "1 reminder(s) sent." in capsys.readouterr().out
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["stale.owner@example.invalid"]
    assert f"/directory/entries/{stale.pk}/" in message.body
    event = AuditEvent.objects.get(event_type=DirectoryEvent.STALE_REMINDERS_SENT)
    assert event.details["entries"] == [stale.pk]
    assert event.channel == "cli"


def test_reminder_is_not_repeated_within_two_weeks_but_is_after(make_user):
    owner = make_user(country="MA")
    FocalPointFactory(user=owner, last_verified=date(2026, 1, 1))
    with time_machine.travel(NOW, tick=False) as traveller:
        call_command("directory_remind_stale")
        call_command("directory_remind_stale")
        assert len(mail.outbox) == 1
        traveller.shift(60 * 60 * 24 * 15)
        call_command("directory_remind_stale")
        assert len(mail.outbox) == 2


@time_machine.travel(NOW, tick=False)
def test_reminder_is_written_in_the_owner_language(make_user):
    owner = make_user(country="MA", language="ar")
    FocalPointFactory(user=owner, last_verified=None)
    call_command("directory_remind_stale")
    assert "تواصل" in mail.outbox[0].subject


@time_machine.travel(NOW, tick=False)
def test_verifying_stops_the_reminders(make_user):
    owner = make_user(country="MA")
    entry = FocalPointFactory(user=owner, last_verified=date(2025, 1, 1))
    focal_point_verify(actor=owner, entry=entry)
    call_command("directory_remind_stale")
    assert mail.outbox == []
    assert FocalPoint.objects.get(pk=entry.pk).last_verified == date(2026, 11, 22)
