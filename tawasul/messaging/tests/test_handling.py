"""Handling codes: H3 states its restriction, the thread shows its most restrictive code,
H2 does not pass to a new country without the originator's permission, H1 is marked on every
view and export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tawasul.accounts.services import api_token_create
from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.core.handling import H1_NOTICE, HandlingCode
from tawasul.messaging.events import MessagingEvent
from tawasul.messaging.models import PermissionStatus
from tawasul.messaging.services import (
    forward_permission_decide,
    forward_permission_request,
    message_forward,
    participant_add,
)
from tawasul.messaging.tests.factories import PDF, incoming, make_thread, post

pytestmark = pytest.mark.django_db


def test_h3_needs_a_stated_restriction(focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    with pytest.raises(ServiceError, match="H3"):
        post(focal_point_ma, thread, handling_code=HandlingCode.H3, restriction="  ")
    message = post(
        focal_point_ma, thread, handling_code=HandlingCode.H3, restriction="Police use only"
    )
    assert message.restriction == "Police use only"


def test_restriction_is_dropped_for_other_codes(focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    assert post(focal_point_ma, thread, restriction="ignored").restriction == ""


def test_unknown_codes_are_refused(focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    with pytest.raises(ServiceError):
        post(focal_point_ma, thread, handling_code="H9")
    with pytest.raises(ServiceError):
        post(focal_point_ma, thread, source_reliability="Z")
    with pytest.raises(ServiceError):
        post(focal_point_ma, thread, information_accuracy="5")


def test_thread_shows_its_most_restrictive_code(client, signed_in, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn, handling_code=HandlingCode.H1)
    post(focal_point_tn, thread, handling_code=HandlingCode.H2)
    post(focal_point_ma, thread, handling_code=HandlingCode.H0)
    thread.refresh_from_db()
    assert thread.handling_code == HandlingCode.H2
    post(focal_point_ma, thread, handling_code=HandlingCode.H3, restriction="No court use")
    thread.refresh_from_db()
    assert thread.handling_code == HandlingCode.H3
    signed_in(focal_point_tn)
    page = client.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert "No court use" in page
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert ">H3<" in inbox


@pytest.fixture
def h2_setup(focal_point_ma, focal_point_tn, fp_dz):
    """An H2 message from Morocco in an MA–TN thread; TN also talks to DZ elsewhere."""
    source = make_thread(
        focal_point_ma,
        focal_point_tn,
        handling_code=HandlingCode.H2,
        body="Sensitive route details",
        attachments=[incoming("route.pdf", PDF)],
    )
    target = make_thread(focal_point_tn, fp_dz, subject="TN–DZ")
    return source.messages.get(), target


def test_h2_forward_to_a_new_country_refused_without_permission(h2_setup, focal_point_tn):
    message, target = h2_setup
    with pytest.raises(ServiceError, match="Algeria"):
        message_forward(actor=focal_point_tn, message=message, target=target)
    assert target.messages.count() == 1


def test_h2_forward_allowed_after_the_originator_grants(h2_setup, focal_point_ma, focal_point_tn):
    message, target = h2_setup
    permission = forward_permission_request(
        actor=focal_point_tn, message=message, country="DZ", reason="Algerian link"
    )
    with pytest.raises(ServiceError):  # the requester cannot grant it to themselves
        forward_permission_decide(actor=focal_point_tn, permission=permission, grant=True)
    forward_permission_decide(actor=focal_point_ma, permission=permission, grant=True)
    copy = message_forward(actor=focal_point_tn, message=message, target=target)
    assert copy.thread == target
    assert copy.origin == message
    assert copy.handling_code == HandlingCode.H2
    assert copy.source_reliability == message.source_reliability
    assert copy.attachments.get().sha256 == message.attachments.get().sha256
    target.refresh_from_db()
    assert target.handling_code == HandlingCode.H2
    for event in [
        MessagingEvent.PERMISSION_REQUESTED,
        MessagingEvent.PERMISSION_GRANTED,
        MessagingEvent.MESSAGE_FORWARDED,
    ]:
        assert AuditEvent.objects.filter(event_type=event).exists(), event


def test_h2_forward_stays_refused_after_a_refusal(h2_setup, focal_point_ma, focal_point_tn):
    message, target = h2_setup
    permission = forward_permission_request(
        actor=focal_point_tn, message=message, country="DZ", reason="Algerian link"
    )
    forward_permission_decide(actor=focal_point_ma, permission=permission, grant=False)
    permission.refresh_from_db()
    assert permission.status == PermissionStatus.REFUSED
    assert AuditEvent.objects.filter(event_type=MessagingEvent.PERMISSION_REFUSED).exists()
    with pytest.raises(ServiceError):
        message_forward(actor=focal_point_tn, message=message, target=target)
    with pytest.raises(ServiceError):
        forward_permission_decide(actor=focal_point_ma, permission=permission, grant=True)


def test_originator_may_pass_their_own_h2_message(focal_point_ma, focal_point_tn, fp_dz):
    source = make_thread(focal_point_ma, focal_point_tn, handling_code=HandlingCode.H2)
    target = make_thread(focal_point_ma, fp_dz)
    copy = message_forward(actor=focal_point_ma, message=source.messages.get(), target=target)
    assert copy.handling_code == HandlingCode.H2


def test_h0_message_forwards_freely(focal_point_ma, focal_point_tn, fp_dz):
    source = make_thread(focal_point_ma, focal_point_tn)
    target = make_thread(focal_point_tn, fp_dz)
    assert message_forward(actor=focal_point_tn, message=source.messages.get(), target=target)


def test_adding_a_new_country_to_a_thread_with_h2_needs_permission(
    h2_setup, focal_point_ma, focal_point_tn, fp_dz
):
    message, _ = h2_setup
    with pytest.raises(ServiceError, match="H2"):
        participant_add(actor=focal_point_tn, thread=message.thread, user=fp_dz)
    permission = forward_permission_request(
        actor=focal_point_tn, message=message, country="DZ", reason="Algerian link"
    )
    forward_permission_decide(actor=focal_point_ma, permission=permission, grant=True)
    participant_add(actor=focal_point_tn, thread=message.thread, user=fp_dz)
    assert AuditEvent.objects.filter(event_type=MessagingEvent.PARTICIPANT_ADDED).exists()


def test_forward_through_the_pages(client, signed_in, h2_setup, focal_point_ma, focal_point_tn):
    message, target = h2_setup
    signed_in(focal_point_tn)
    url = reverse("messaging:message_forward", args=[message.pk])
    refused = client.post(url, {"target": target.pk})
    assert refused.status_code == 200
    assert "permission" in refused.content.decode()
    client.post(
        reverse("messaging:permission_request", args=[message.pk]),
        {"country": "DZ", "reason": "Algerian link"},
    )
    signed_in(focal_point_ma)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert "Algerian link" in inbox
    permission = message.forward_permissions.get()
    client.post(reverse("messaging:permission_decide", args=[permission.pk]), {"decision": "grant"})
    signed_in(focal_point_tn)
    assert client.post(url, {"target": target.pk}).status_code == 302
    assert target.messages.count() == 2


def test_h1_is_marked_on_every_view_and_export(client, signed_in, focal_point_ma, focal_point_tn):
    thread = make_thread(
        focal_point_ma, focal_point_tn, handling_code=HandlingCode.H1, body="Findable H1 text"
    )
    notice = str(H1_NOTICE)
    signed_in(focal_point_tn)
    message = thread.messages.get()
    pages = [
        reverse("messaging:thread", args=[thread.pk]),
        reverse("messaging:message_forward", args=[message.pk]),
        reverse("messaging:search") + "?q=Findable",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert notice.replace("'", "&#x27;") in body, url
    assert (
        notice in client.get(reverse("messaging:thread_export", args=[thread.pk])).content.decode()
    )
    poll = client.get(reverse("messaging:thread_poll", args=[thread.pk]))
    assert notice.replace("'", "&#x27;") in poll.content.decode()
    _, token = api_token_create(actor=focal_point_tn, name="t", days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api_thread = client.get(f"/api/v1/messaging/threads/{thread.pk}", **headers).json()
    assert api_thread["h1_notice"] == notice
    api_messages = client.get(f"/api/v1/messaging/threads/{thread.pk}/messages", **headers).json()
    assert api_messages[0]["h1_notice"] == notice


def test_export_is_audited_and_an_attachment(client, signed_in, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn, attachments=[incoming("a.pdf", PDF)])
    signed_in(focal_point_ma)
    response = client.get(reverse("messaging:thread_export", args=[thread.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert thread.messages.get().attachments.get().sha256 in response.content.decode()
    assert AuditEvent.objects.filter(event_type=MessagingEvent.THREAD_EXPORTED).exists()
