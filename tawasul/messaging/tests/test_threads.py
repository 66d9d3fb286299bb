"""Threads, delivery and read status, notifications, search, live polling, retention."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.messaging.events import MessagingEvent
from tawasul.messaging.files import storage_root
from tawasul.messaging.models import EmailMode, Participant, Thread
from tawasul.messaging.selectors import threads_for
from tawasul.messaging.services import (
    participant_add,
    preference_set,
    thread_mark_read,
)
from tawasul.messaging.tests.factories import PDF, incoming, make_thread, post

pytestmark = pytest.mark.django_db


def test_a_thread_needs_a_second_country(focal_point_ma, bo_ma):
    with pytest.raises(ServiceError, match="two countries"):
        make_thread(focal_point_ma, bo_ma)
    assert not Thread.objects.exists()


def test_new_thread_through_the_page(client, signed_in, focal_point_ma, focal_point_tn):
    signed_in(focal_point_ma)
    page = client.get(reverse("messaging:thread_new"))
    assert page.status_code == 200
    response = client.post(
        reverse("messaging:thread_new"),
        {
            "subject": "Fictional route",
            "participants": [focal_point_tn.pk],
            "body": "Hello Tunis",
            "handling_code": "H0",
            "source_reliability": "B",
            "information_accuracy": "2",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert set(thread.participants.values_list("country", flat=True)) == {"MA", "TN"}
    assert AuditEvent.objects.filter(event_type=MessagingEvent.THREAD_CREATED).exists()


def test_new_thread_page_shows_a_translated_error(client, signed_in, focal_point_ma, bo_ma):
    signed_in(focal_point_ma)
    response = client.post(
        reverse("messaging:thread_new"),
        {
            "subject": "Only Morocco",
            "participants": [bo_ma.pk],
            "body": "x",
            "handling_code": "H3",
            "restriction": "",
            "source_reliability": "B",
            "information_accuracy": "2",
        },
    )
    assert response.status_code == 200
    assert not Thread.objects.exists()


def test_new_message_e_mails_participants_without_content(
    focal_point_ma, focal_point_tn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(focal_point_ma, focal_point_tn, subject="Secret subject", body="Secret body")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [focal_point_tn.email]
    assert "Secret" not in email.subject + email.body
    assert "/messages/threads/" in email.body


def test_delivery_and_read_status_per_participant(
    client, signed_in, focal_point_ma, focal_point_tn, fp_dz
):
    thread = make_thread(focal_point_ma, focal_point_tn, fp_dz)
    message = thread.messages.get()
    preference_set(actor=fp_dz, email_mode=EmailMode.DAILY)
    reply = post(focal_point_ma, thread)
    tn = Participant.objects.get(thread=thread, user=focal_point_tn)
    dz = Participant.objects.get(thread=thread, user=fp_dz)
    assert tn.last_delivered_message_id == reply.pk  # e-mailed at once
    assert dz.last_delivered_message_id == message.pk  # waits for the digest
    assert tn.last_read_message_id == 0
    signed_in(focal_point_tn)
    response = client.post(reverse("messaging:thread_read", args=[thread.pk]), {"up_to": reply.pk})
    assert response.status_code == 302
    tn.refresh_from_db()
    assert tn.last_read_message_id == reply.pk
    assert tn.last_read_at is not None
    signed_in(focal_point_ma)
    page = client.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert "Delivered 1/2 · read 1/2" in page


def test_unread_counts_and_nav_badge(client, signed_in, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    post(focal_point_ma, thread)
    assert threads_for(focal_point_tn).get().unread == 2
    assert threads_for(focal_point_ma).get().unread == 0
    signed_in(focal_point_tn)
    home = client.get(reverse("core:home")).content.decode()
    assert "Messages (2 unread)" in home
    thread_mark_read(actor=focal_point_tn, thread=thread, up_to=10**9)
    assert threads_for(focal_point_tn).get().unread == 0
    assert "Messages (2 unread)" not in client.get(reverse("core:home")).content.decode()


def test_reading_the_page_does_not_change_data(client, signed_in, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    signed_in(focal_point_tn)
    client.get(reverse("messaging:thread", args=[thread.pk]))
    assert Participant.objects.get(user=focal_point_tn).last_read_message_id == 0


def test_poll_returns_only_new_messages_and_204_when_none(
    client, signed_in, focal_point_ma, focal_point_tn
):
    thread = make_thread(focal_point_ma, focal_point_tn, body="old one")
    first = thread.messages.get()
    signed_in(focal_point_tn)
    url = reverse("messaging:thread_poll", args=[thread.pk])
    assert client.get(url, {"after": first.pk}).status_code == 204
    post(focal_point_ma, thread, body="brand new")
    response = client.get(url, {"after": first.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "brand new" in html and "old one" not in html
    assert 'hx-trigger="every 10s"' in html
    thread_page = client.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert 'hx-trigger="every 10s"' in thread_page


def test_reply_in_an_archived_thread_is_refused(focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    Thread.objects.filter(pk=thread.pk).update(archived_at=timezone.now())
    thread.refresh_from_db()
    with pytest.raises(ServiceError, match="archived"):
        post(focal_point_ma, thread)


def test_participant_added_through_the_page(
    client, signed_in, focal_point_ma, focal_point_tn, fp_dz
):
    thread = make_thread(focal_point_ma, focal_point_tn)
    signed_in(focal_point_ma)
    url = reverse("messaging:participant_add", args=[thread.pk])
    assert client.post(url, {"user": fp_dz.pk}).status_code == 302
    assert thread.participants.filter(user=fp_dz).exists()
    with pytest.raises(ServiceError):
        participant_add(actor=focal_point_ma, thread=thread, user=fp_dz)


def test_search_finds_only_visible_messages(
    client, signed_in, focal_point_ma, focal_point_tn, fp_dz
):
    make_thread(focal_point_ma, focal_point_tn, body="needle in Moroccan thread")
    make_thread(fp_dz, focal_point_tn, body="needle in Algerian thread")
    signed_in(focal_point_ma)
    page = client.get(reverse("messaging:search"), {"q": "needle"}).content.decode()
    assert "Moroccan thread" in page
    assert "Algerian thread" not in page


def test_preferences_page_saves_and_audits(client, signed_in, focal_point_ma):
    signed_in(focal_point_ma)
    assert client.get(reverse("messaging:preferences")).status_code == 200
    response = client.post(reverse("messaging:preferences"), {"email_mode": "daily"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event_type=MessagingEvent.PREFERENCES_CHANGED).exists()


def test_daily_digest_sends_counts_once(
    focal_point_ma, focal_point_tn, django_capture_on_commit_callbacks
):
    preference_set(actor=focal_point_tn, email_mode=EmailMode.DAILY)
    thread = make_thread(focal_point_ma, focal_point_tn, body="Digest secret")
    post(focal_point_ma, thread)
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        call_command("messaging_digest")
    assert len(mail.outbox) == 1
    assert "Digest secret" not in mail.outbox[0].body
    assert "Secure messages waiting for you: 2. Threads concerned: 1." in mail.outbox[0].body
    assert AuditEvent.objects.filter(event_type=MessagingEvent.DIGEST_SENT).exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("messaging_digest")
    assert len(mail.outbox) == 1


def test_archive_command_archives_inactive_threads(focal_point_ma, focal_point_tn, settings):
    settings.MESSAGING_ARCHIVE_DAYS = 30
    old = make_thread(focal_point_ma, focal_point_tn, subject="old")
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        fresh = make_thread(focal_point_ma, focal_point_tn, subject="fresh")
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        call_command("messaging_archive")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.is_archived and not fresh.is_archived
    assert AuditEvent.objects.filter(
        event_type=MessagingEvent.THREAD_ARCHIVED, object_id=str(old.pk)
    ).exists()


def test_purge_deletes_only_by_policy_and_audits(
    focal_point_ma, focal_point_tn, django_capture_on_commit_callbacks
):
    thread = make_thread(focal_point_ma, focal_point_tn, attachments=[incoming("a.pdf", PDF)])
    sha = thread.messages.get().attachments.get().sha256
    Thread.objects.filter(pk=thread.pk).update(archived_at=timezone.now() - timedelta(days=400))
    call_command("messaging_purge", "--archived-days", "365", "--policy", "Retention rule 7")
    assert Thread.objects.filter(pk=thread.pk).exists()  # a dry run by default
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "messaging_purge", "--archived-days", "365", "--policy", "Retention rule 7", "--confirm"
        )
    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert not [p for p in Path(storage_root()).rglob("*") if p.is_file()]
    event = AuditEvent.objects.get(event_type=MessagingEvent.THREAD_DELETED)
    assert event.details["policy"] == "Retention rule 7"
    assert event.details["attachment_sha256"] == [sha]


def test_pages_render_in_arabic(client, signed_in, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    focal_point_tn.language = "ar"
    focal_point_tn.save()
    signed_in(focal_point_tn)
    for url in [
        reverse("messaging:inbox"),
        reverse("messaging:thread", args=[thread.pk]),
        reverse("messaging:thread_new"),
        reverse("messaging:preferences"),
    ]:
        html = client.get(url).content.decode()
        assert 'dir="rtl"' in html, url
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert "موضوع جديد" in inbox or "محادثة جديدة" in inbox


def test_unread_total_counts_only_the_users_own_unread_messages(
    focal_point_ma, focal_point_tn, fp_dz
):
    from tawasul.messaging.selectors import unread_total

    first = make_thread(focal_point_ma, focal_point_tn, fp_dz)
    second = make_thread(fp_dz, focal_point_tn)
    post(fp_dz, first)
    thread_mark_read(actor=focal_point_ma, thread=first, up_to=first.messages.first().pk)
    assert unread_total(focal_point_ma) == 1  # fp_dz's reply
    assert unread_total(focal_point_tn) == 3  # two in the first thread, one in the second
    assert unread_total(fp_dz) == 0  # replying marks what came before as read
    Thread.objects.filter(pk=second.pk).update(archived_at=timezone.now())
    assert unread_total(focal_point_tn) == 2
