"""Only participants see a thread, its messages and its attachments; everybody else gets
the same audited 404 as for a missing object."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.urls import reverse

from tawasul.accounts.services import api_token_create
from tawasul.audit.models import AuditEvent, EventType
from tawasul.core.errors import ServiceError
from tawasul.core.handover import run_handover_steps
from tawasul.messaging.access import access_attachment, access_message, access_thread
from tawasul.messaging.models import Attachment, Message, Thread
from tawasul.messaging.tests.factories import PDF, incoming, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(focal_point_ma, focal_point_tn):
    return make_thread(focal_point_ma, focal_point_tn, attachments=[incoming("note.pdf", PDF)])


def _bearer(user):
    _, token = api_token_create(actor=user, name="t", days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_participants_see_the_thread(thread, focal_point_ma, focal_point_tn):
    assert access_thread(focal_point_ma, thread.pk) == thread
    assert access_thread(focal_point_tn, thread.pk) == thread


def test_non_participant_gets_404_for_thread_messages_and_attachments(
    client, signed_in, thread, fp_dz
):
    message = thread.messages.get()
    attachment = message.attachments.get()
    signed_in(fp_dz)
    for url in [
        reverse("messaging:thread", args=[thread.pk]),
        reverse("messaging:thread_poll", args=[thread.pk]),
        reverse("messaging:thread_export", args=[thread.pk]),
        reverse("messaging:message_forward", args=[message.pk]),
        reverse("messaging:attachment_download", args=[attachment.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    headers = _bearer(fp_dz)
    for url in [
        f"/api/v1/messaging/threads/{thread.pk}",
        f"/api/v1/messaging/threads/{thread.pk}/messages",
        f"/api/v1/messaging/attachments/{attachment.pk}",
        f"/api/v1/messaging/attachments/{attachment.pk}/download",
    ]:
        assert client.get(url, **headers).status_code == 404, url
    denied = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor=fp_dz)
    assert denied.filter(object_type="message_thread", object_id=str(thread.pk)).exists()
    assert denied.filter(object_type="message_attachment", object_id=str(attachment.pk)).exists()


def test_same_country_colleague_who_is_not_a_participant_gets_404(thread, bo_ma):
    with pytest.raises(Http404):
        access_thread(bo_ma, thread.pk)
    with pytest.raises(Http404):
        access_message(bo_ma, thread.messages.get().pk)


def test_foreign_and_missing_threads_answer_alike(client, signed_in, thread, fp_dz):
    signed_in(fp_dz)
    foreign = client.get(reverse("messaging:thread", args=[thread.pk]))
    missing = client.get(reverse("messaging:thread", args=[thread.pk + 1000]))
    assert foreign.status_code == missing.status_code == 404
    # Only the per-request tokens and the requested path itself may differ.
    csrf = re.compile(
        rb'"X-CSRFToken": "[^"]*"|value="[A-Za-z0-9]{64}"|nonce="[^"]*"|/messages/threads/\d+/'
    )
    assert csrf.sub(b"", foreign.content) == csrf.sub(b"", missing.content)


@pytest.mark.parametrize("persona", ["coordinator", "admin_ma", "oversight_ma"])
def test_non_case_roles_never_read_messages(request, client, signed_in, thread, persona):
    user = request.getfixturevalue(persona)
    assert not Thread.objects.visible_to(user).exists()
    assert not Message.objects.visible_to(user).exists()
    assert not Attachment.objects.visible_to(user).exists()
    signed_in(user)
    assert client.get(reverse("messaging:inbox")).status_code == 404
    assert client.get(reverse("messaging:search"), {"q": "First"}).status_code == 404
    assert client.get("/api/v1/messaging/threads", **_bearer(user)).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "admin_ma", "oversight_ma"])
def test_non_case_roles_cannot_be_made_participants(request, focal_point_ma, persona):
    with pytest.raises(ServiceError):
        make_thread(focal_point_ma, request.getfixturevalue(persona))


def test_successor_replaces_predecessor_after_handover(thread, focal_point_ma, make_user):
    from tawasul.core.roles import Role

    successor = make_user(username="fp.ma.2", country="MA", roles=[Role.FOCAL_POINT])
    counts = run_handover_steps(predecessor=focal_point_ma, successor=successor, actor=None)
    assert counts["messaging.threads"] == 1
    assert access_thread(successor, thread.pk) == thread
    assert access_attachment(successor, thread.messages.get().attachments.get().pk)
    with pytest.raises(Http404):
        access_thread(focal_point_ma, thread.pk)


def test_handover_leaves_archived_threads_alone(thread, focal_point_ma, make_user):
    from django.utils import timezone

    from tawasul.core.roles import Role

    Thread.objects.filter(pk=thread.pk).update(archived_at=timezone.now())
    successor = make_user(username="fp.ma.3", country="MA", roles=[Role.FOCAL_POINT])
    counts = run_handover_steps(predecessor=focal_point_ma, successor=successor, actor=None)
    assert counts["messaging.threads"] == 0
