"""Reminders of overdue requests, with the clock frozen: not before the expected date, once when
overdue, again only after the repeat interval, never for a closed request; the e-mails name the
reference, the date and the link, never the content, each in its recipient's language."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tawasul.audit.models import AuditEvent
from tawasul.cooperation.events import CooperationEvent
from tawasul.cooperation.lifecycle import Status
from tawasul.cooperation.models import CooperationRequest, RequestNotification
from tawasul.cooperation.reminders import send_reminders
from tawasul.cooperation.tests.factories import CooperationRequestFactory, RequestPersonFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 10)
SENT = datetime.datetime(2025, 12, 10, 9, tzinfo=datetime.UTC)


def at(day: datetime.date, hour: int = 6):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC), tick=False
    )


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _repeat_weekly(settings):
    settings.COOPERATION_REMIND_REPEAT_DAYS = 7
    settings.SITE_URL = "https://tawasul.example.org"


@pytest.fixture
def overdue_later(drafter_ma, central_es, es_agency):
    """A Morocco → Spain request transmitted in December, answer expected by 10 March."""
    drafter_ma.language = "fr"
    drafter_ma.save(update_fields=["language"])
    central_es.language = "ar"
    central_es.save(update_fields=["language"])
    request = CooperationRequestFactory(
        created_by=drafter_ma,
        requesting_agency=drafter_ma.agency,
        requested_agency=es_agency,
        status=Status.UNDER_REVIEW,
        transmitted_at=SENT,
        acknowledged_at=SENT + days(3),
        due_on=DUE,
        summary_of_facts="Transfers from accounts in Tangier financed a cell in Almería.",
        purpose="To obtain the bank records of the suspect.",
    )
    RequestPersonFactory(request=request, name_latin="Youssef Benali", name_arabic="يوسف بن علي")
    return request


def remind(django_capture_on_commit_callbacks, **kwargs):
    """Run the daily command as cron would (queued; the test backend runs it at once), with
    the e-mails the commit sends."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cooperation_remind", stdout=io.StringIO(), **kwargs)


def reminders_of(request: CooperationRequest) -> int:
    return AuditEvent.objects.filter(
        event_type=CooperationEvent.REMINDER, object_id=str(request.pk)
    ).count()


def test_no_reminder_until_the_expected_date_has_passed(
    overdue_later, django_capture_on_commit_callbacks
):
    with at(DUE - days(1)):
        remind(django_capture_on_commit_callbacks)
    with at(DUE, hour=23):
        remind(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert reminders_of(overdue_later) == 0
    overdue_later.refresh_from_db()
    assert overdue_later.last_reminded_at is None


def test_an_overdue_request_is_reminded_once_to_both_sides(
    overdue_later, drafter_ma, central_es, django_capture_on_commit_callbacks
):
    with at(DUE + days(1)):
        remind(django_capture_on_commit_callbacks)
        remind(django_capture_on_commit_callbacks)  # a second run the same day adds nothing
    assert reminders_of(overdue_later) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([drafter_ma.email, central_es.email])
    assert set(
        RequestNotification.objects.filter(request=overdue_later, kind="reminder").values_list(
            "user__username", flat=True
        )
    ) == {drafter_ma.username, central_es.username}
    overdue_later.refresh_from_db()
    assert overdue_later.last_reminded_at == datetime.datetime(2026, 3, 11, 6, tzinfo=datetime.UTC)


def test_not_reminded_again_within_the_interval_but_again_after_it(
    overdue_later, django_capture_on_commit_callbacks
):
    with at(DUE + days(1), hour=8):
        remind(django_capture_on_commit_callbacks)
    # Six days later, at an earlier hour: still inside the interval.
    with at(DUE + days(7), hour=5):
        remind(django_capture_on_commit_callbacks)
    assert reminders_of(overdue_later) == 1
    # Seven days later, even at an earlier hour than the first run: due again.
    with at(DUE + days(8), hour=5):
        remind(django_capture_on_commit_callbacks)
    assert reminders_of(overdue_later) == 2
    assert len(mail.outbox) == 4


def test_the_interval_follows_the_setting(
    overdue_later, settings, django_capture_on_commit_callbacks
):
    settings.COOPERATION_REMIND_REPEAT_DAYS = 2
    with at(DUE + days(1)):
        remind(django_capture_on_commit_callbacks)
    with at(DUE + days(2)):
        remind(django_capture_on_commit_callbacks)
    assert reminders_of(overdue_later) == 1
    with at(DUE + days(3)):
        remind(django_capture_on_commit_callbacks)
    assert reminders_of(overdue_later) == 2


@pytest.mark.parametrize("status", [Status.EXECUTED, Status.REFUSED, Status.WITHDRAWN])
def test_closed_requests_are_never_reminded(
    overdue_later, status, django_capture_on_commit_callbacks
):
    CooperationRequest.objects.filter(pk=overdue_later.pk).update(status=status)
    with at(DUE + days(30)):
        remind(django_capture_on_commit_callbacks)
    assert reminders_of(overdue_later) == 0
    assert mail.outbox == []


def test_requests_without_a_due_date_or_not_transmitted_are_not_reminded(
    overdue_later, drafter_ma, django_capture_on_commit_callbacks
):
    CooperationRequest.objects.filter(pk=overdue_later.pk).update(due_on=None)
    CooperationRequestFactory(
        created_by=drafter_ma, status=Status.AWAITING_APPROVAL, due_on=DUE - days(30)
    )
    with at(DUE + days(30)):
        remind(django_capture_on_commit_callbacks)
    assert not AuditEvent.objects.filter(event_type=CooperationEvent.REMINDER).exists()


def test_emails_carry_reference_date_and_link_but_no_content(
    overdue_later, drafter_ma, central_es, django_capture_on_commit_callbacks
):
    with at(DUE + days(1)):
        remind(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    link = f"https://tawasul.example.org/requests/{overdue_later.pk}/"
    for message in mail.outbox:
        text = message.subject + "\n" + message.body
        assert overdue_later.reference in message.subject
        assert link in message.body
        for secret in (
            "Tangier",
            "Almería",
            "bank records",
            "Benali",
            "بن علي",
            drafter_ma.full_name,
            central_es.full_name,
            "Rabat prosecution",
        ):
            assert secret not in text


def test_each_recipient_reads_the_date_in_their_own_language(
    overdue_later, drafter_ma, central_es, django_capture_on_commit_callbacks
):
    with at(DUE + days(1)):
        remind(django_capture_on_commit_callbacks)
    body = {m.to[0]: m.body for m in mail.outbox}
    assert "10 mars 2026" in body[drafter_ma.email]  # French, for the Moroccan drafter
    assert "مارس" in body[central_es.email]  # Arabic, for the Spanish central authority
    assert "March" not in body[drafter_ma.email] + body[central_es.email]


def test_one_refused_address_does_not_stop_the_others(
    overdue_later, drafter_ma, central_es, monkeypatch, django_capture_on_commit_callbacks
):
    from tawasul.cooperation import reminders

    delivered = []

    def flaky_send_mail(subject, body, sender, to, fail_silently):
        if to == [drafter_ma.email]:
            raise ConnectionRefusedError("mail server down")
        delivered.append(to[0])

    monkeypatch.setattr(reminders, "send_mail", flaky_send_mail)
    with at(DUE + days(1)), django_capture_on_commit_callbacks(execute=True):
        counts = send_reminders()
    assert delivered == [central_es.email]
    assert (counts.requests, counts.notices, counts.emails) == (1, 2, 1)


def test_now_option_runs_the_reminders_in_the_command(
    overdue_later, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with at(DUE + days(1)), django_capture_on_commit_callbacks(execute=True):
        call_command("cooperation_remind", "--now", stdout=out)
    assert "1 overdue requests" in out.getvalue()
    assert reminders_of(overdue_later) == 1


def test_the_queued_task_reports_its_counts(overdue_later, django_capture_on_commit_callbacks):
    from django_tasks import TaskResultStatus

    from tawasul.cooperation.tasks import remind_overdue_requests

    with at(DUE + days(1)), django_capture_on_commit_callbacks(execute=True):
        result = remind_overdue_requests.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    # E-mails leave once the reminder commits: here, after the test's own transaction.
    assert {k: result.return_value[k] for k in ("requests", "notices")} == {
        "requests": 1,
        "notices": 2,
    }
    assert len(mail.outbox) == 2
