"""The JSON API: threads, messages and attachments, with the same rules as the pages."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tawasul.accounts.services import api_token_create
from tawasul.audit.models import AuditEvent
from tawasul.messaging.events import MessagingEvent
from tawasul.messaging.models import Thread
from tawasul.messaging.tests.factories import PDF, make_thread

pytestmark = pytest.mark.django_db
API = "/api/v1/messaging"


def _auth(user):
    _, token = api_token_create(actor=user, name="t", days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_create_list_and_reply(client, focal_point_ma, focal_point_tn):
    headers = _auth(focal_point_ma)
    created = client.post(
        f"{API}/threads",
        {
            "subject": "API thread",
            "participant_ids": [focal_point_tn.pk],
            "body": "Hello",
            "handling_code": "H2",
            "source_reliability": "A",
            "information_accuracy": "1",
        },
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    thread_id = created.json()["id"]
    assert created.json()["handling_code"] == "H2"
    tn = _auth(focal_point_tn)
    listed = client.get(f"{API}/threads", **tn).json()
    assert [t["id"] for t in listed] == [thread_id]
    assert listed[0]["unread"] == 1
    reply = client.post(
        f"{API}/threads/{thread_id}/messages",
        {"body": "Reply", "handling_code": "H3", "restriction": "Police only"},
        content_type="application/json",
        **tn,
    )
    assert reply.status_code == 201
    first_id = listed and client.get(f"{API}/threads/{thread_id}/messages", **tn).json()[0]["id"]
    newer = client.get(f"{API}/threads/{thread_id}/messages", {"after": first_id}, **tn).json()
    assert [m["body"] for m in newer] == ["Reply"]
    detail = client.get(f"{API}/threads/{thread_id}", **headers).json()
    assert detail["handling_code"] == "H3"
    assert detail["restrictions"] == ["Police only"]


def test_refused_writes_answer_400_with_the_reason(client, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    response = client.post(
        f"{API}/threads/{thread.pk}/messages",
        {"body": "x", "handling_code": "H3"},
        content_type="application/json",
        **_auth(focal_point_ma),
    )
    assert response.status_code == 400
    assert "H3" in response.json()["detail"]
    assert thread.messages.count() == 1


def test_unknown_participant_id_is_refused(client, focal_point_ma, coordinator):
    response = client.post(
        f"{API}/threads",
        {"subject": "x", "participant_ids": [coordinator.pk], "body": "x"},
        content_type="application/json",
        **_auth(focal_point_ma),
    )
    assert response.status_code == 400
    assert not Thread.objects.exists()


def test_upload_and_download_through_the_api(client, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    response = client.post(
        f"{API}/threads/{thread.pk}/uploads",
        {"body": "file", "files": [SimpleUploadedFile("report.pdf", PDF)]},
        **_auth(focal_point_ma),
    )
    assert response.status_code == 201
    attachment = response.json()["attachments"][0]
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    tn = _auth(focal_point_tn)
    download = client.get(attachment["download_url"], **tn)
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(event_type=MessagingEvent.ATTACHMENT_DOWNLOADED).exists()


def test_api_upload_refuses_html_renamed_pdf(client, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    response = client.post(
        f"{API}/threads/{thread.pk}/uploads",
        {"body": "file", "files": [SimpleUploadedFile("report.pdf", b"<html><script>x</script>")]},
        **_auth(focal_point_ma),
    )
    assert response.status_code == 400
    assert thread.messages.count() == 1


def test_thread_list_marks_each_thread_in_a_fixed_number_of_queries(
    client, focal_point_ma, focal_point_tn, django_assert_max_num_queries
):
    """H1 notice, H3 restrictions and participants per thread, without three queries per
    thread (a user with 200 threads made 600)."""
    from tawasul.core.handling import HandlingCode

    plain = make_thread(focal_point_ma, focal_point_tn, subject="plain")
    h1 = make_thread(focal_point_ma, focal_point_tn, subject="h1", handling_code=HandlingCode.H1)
    h3 = make_thread(
        focal_point_ma,
        focal_point_tn,
        subject="h3",
        handling_code=HandlingCode.H3,
        restriction="Police only",
    )
    headers = _auth(focal_point_tn)
    with django_assert_max_num_queries(12) as few:
        listed = {t["id"]: t for t in client.get(f"{API}/threads", **headers).json()}
    for _ in range(6):
        make_thread(focal_point_ma, focal_point_tn, handling_code=HandlingCode.H3, restriction="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{API}/threads", **headers).json()) == 9
    assert listed[plain.pk]["h1_notice"] is None and listed[plain.pk]["restrictions"] == []
    assert listed[h1.pk]["h1_notice"]
    assert listed[h3.pk]["restrictions"] == ["Police only"]
    assert {p["user_id"] for p in listed[h3.pk]["participants"]} == {
        focal_point_ma.pk,
        focal_point_tn.pk,
    }
