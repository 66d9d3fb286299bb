"""Reminders before the due date and when overdue, with the clock frozen."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tawasul.actionplans.models import OwnerKind
from tawasul.actionplans.tests.factories import ActionFactory
from tawasul.audit.models import AuditEvent
from tawasul.core.roles import Role

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 6, 30)


def at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC), tick=False
    )


def remind():
    call_command("actionplans_remind", stdout=io.StringIO())


@pytest.fixture
def owner(make_user):
    return make_user(username="ma.owner", country="MA", roles=[Role.FOCAL_POINT], language="fr")


def test_reminder_goes_out_the_configured_days_before_due(owner, settings):
    settings.ACTIONPLANS_REMIND_DAYS_BEFORE = 14
    ActionFactory(country="MA", due_date=DUE)
    with at(DUE - datetime.timedelta(days=15)):
        remind()
    assert mail.outbox == []
    with at(DUE - datetime.timedelta(days=14)):
        remind()
    assert [m.to for m in mail.outbox] == [["ma.owner@example.invalid"]]
    assert "14" in mail.outbox[0].body
    assert (
        "Action de suivi" in mail.outbox[0].subject or "action de suivi" in mail.outbox[0].subject
    )
    with at(DUE - datetime.timedelta(days=13)):
        remind()
    assert len(mail.outbox) == 1  # once only
    assert AuditEvent.objects.filter(event_type="actionplans.action_reminded").count() == 1


def test_setting_changes_the_notice(owner, settings):
    settings.ACTIONPLANS_REMIND_DAYS_BEFORE = 3
    ActionFactory(country="MA", due_date=DUE)
    with at(DUE - datetime.timedelta(days=10)):
        remind()
    assert mail.outbox == []
    with at(DUE - datetime.timedelta(days=3)):
        remind()
    assert len(mail.outbox) == 1


def test_overdue_reminder_then_weekly(owner):
    ActionFactory(country="MA", due_date=DUE)
    with at(DUE + datetime.timedelta(days=1)):
        remind()
    assert len(mail.outbox) == 1
    assert "retard" in mail.outbox[0].subject.lower()  # French, the owner's language
    with at(DUE + datetime.timedelta(days=3)):
        remind()
    assert len(mail.outbox) == 1
    with at(DUE + datetime.timedelta(days=8)):
        remind()
    assert len(mail.outbox) == 2
    events = AuditEvent.objects.filter(event_type="actionplans.action_reminded").order_by("seq")
    assert [e.details["kind"] for e in events] == ["overdue", "overdue"]


def test_done_actions_are_not_reminded(owner):
    ActionFactory(country="MA", due_date=DUE, status="done", completed_on=DUE)
    with at(DUE + datetime.timedelta(days=5)):
        remind()
    assert mail.outbox == []


def test_only_the_owner_is_reminded(owner, make_user, coordinator):
    make_user(username="tn.other", country="TN", roles=[Role.FOCAL_POINT])
    make_user(username="ma.dpo", country="MA", roles=[Role.OVERSIGHT])
    ActionFactory(country="MA", due_date=DUE)
    ActionFactory(owner_kind=OwnerKind.NETWORK, country="", due_date=DUE)
    with at(DUE - datetime.timedelta(days=1)):
        remind()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["coord@example.invalid", "ma.owner@example.invalid"]
