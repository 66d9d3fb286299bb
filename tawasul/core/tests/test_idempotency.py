"""An API POST retried with the same Idempotency-Key writes once and answers the same; the
same key for another request is refused; concurrent duplicates wait for the first."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from tawasul.accounts.services import api_token_create
from tawasul.audit.models import AuditEvent
from tawasul.core.idempotency import REPLAYED_HEADER
from tawasul.core.models import IdempotentResponse
from tawasul.messaging.events import MessagingEvent
from tawasul.messaging.models import Attachment, Message, Thread
from tawasul.messaging.tests.factories import PDF, make_thread
from tawasul.persons.models import PersonName, PersonRecord

pytestmark = pytest.mark.django_db

RECORD = {
    "category": "wanted",
    "names": [
        {"name": "Hamza Belkacem Demo", "type": "primary"},
        {"name": "حمزة بلقاسم", "type": "alias"},
    ],
    "legal_basis": "Arrest warrant 12/2026 (fictional)",
    "documents": [{"type": "passport", "number": "DZ7654321", "issuing_country": "DZ"}],
}


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _headers(user, key=None):
    headers = {"Authorization": f"Bearer {api_token_create(actor=user, name='t', days=1)[1]}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


def _post(client, path, body, headers):
    return client.post(path, body, content_type="application/json", headers=headers)


def _thread_body(to):
    return {"subject": "Retried thread", "participant_ids": [to.pk], "body": "Hello once"}


def test_a_retried_thread_create_makes_one_thread_and_answers_the_same(
    client, focal_point_ma, focal_point_tn
):
    headers = _headers(focal_point_ma, "thread-1")
    body = _thread_body(focal_point_tn)

    first = _post(client, "/api/v1/messaging/threads", body, headers)
    again = _post(client, "/api/v1/messaging/threads", body, headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again[REPLAYED_HEADER] == "true"
    assert REPLAYED_HEADER not in first
    assert Thread.objects.count() == 1
    assert Message.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=MessagingEvent.THREAD_CREATED).count() == 1


def test_without_a_key_a_retry_writes_twice(client, focal_point_ma, focal_point_tn):
    headers = _headers(focal_point_ma)
    body = _thread_body(focal_point_tn)

    _post(client, "/api/v1/messaging/threads", body, headers)
    _post(client, "/api/v1/messaging/threads", body, headers)

    assert Thread.objects.count() == 2


def test_a_retried_person_record_create_makes_one_record(client, focal_point_ma):
    headers = _headers(focal_point_ma, "record-1")

    first = _post(client, "/api/v1/persons/records", RECORD, headers)
    again = _post(client, "/api/v1/persons/records", RECORD, headers)

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert PersonRecord.objects.count() == 1
    assert PersonName.objects.count() == 2


def test_the_same_key_with_another_body_gets_422_and_writes_nothing(client, focal_point_ma):
    headers = _headers(focal_point_ma, "record-2")
    _post(client, "/api/v1/persons/records", RECORD, headers)

    other = _post(client, "/api/v1/persons/records", {**RECORD, "legal_basis": "Other"}, headers)

    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert PersonRecord.objects.count() == 1


def test_the_same_key_on_another_operation_gets_422(client, focal_point_ma, focal_point_tn):
    headers = _headers(focal_point_ma, "shared")
    _post(client, "/api/v1/persons/records", RECORD, headers)

    other = _post(client, "/api/v1/messaging/threads", _thread_body(focal_point_tn), headers)

    assert other.status_code == 422
    assert not Thread.objects.exists()


def test_keys_belong_to_one_user(client, focal_point_ma, make_user):
    from tawasul.core.roles import Role

    colleague = make_user(username="fp2.ma", country="MA", roles=[Role.FOCAL_POINT])
    mine = _post(client, "/api/v1/persons/records", RECORD, _headers(focal_point_ma, "same"))
    theirs = _post(client, "/api/v1/persons/records", RECORD, _headers(colleague, "same"))

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert REPLAYED_HEADER not in theirs


def test_a_refused_request_releases_its_key(client, focal_point_ma):
    headers = _headers(focal_point_ma, "record-3")

    refused = _post(client, "/api/v1/persons/records", {**RECORD, "category": "nope"}, headers)
    fixed = _post(client, "/api/v1/persons/records", RECORD, headers)

    assert refused.status_code == 400
    assert fixed.status_code == 201
    assert REPLAYED_HEADER not in fixed
    assert PersonRecord.objects.count() == 1


def test_a_key_expires_after_24_hours(client, focal_point_ma):
    headers = _headers(focal_point_ma, "record-4")
    start = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        _post(client, "/api/v1/persons/records", RECORD, headers)
    with time_machine.travel(start + datetime.timedelta(hours=23), tick=False):
        assert _post(client, "/api/v1/persons/records", RECORD, headers)[REPLAYED_HEADER]
    with time_machine.travel(start + datetime.timedelta(hours=25), tick=False):
        later = _post(client, "/api/v1/persons/records", {**RECORD, "legal_basis": "New"}, headers)

    assert later.status_code == 201
    assert PersonRecord.objects.count() == 2
    assert IdempotentResponse.objects.count() == 1  # the expired one was purged


def test_a_retried_upload_stores_one_attachment(client, focal_point_ma, focal_point_tn):
    thread = make_thread(focal_point_ma, focal_point_tn)
    headers = _headers(focal_point_ma, "upload-1")

    def upload():
        return client.post(
            f"/api/v1/messaging/threads/{thread.pk}/uploads",
            {"body": "See attached", "files": [SimpleUploadedFile("report.pdf", PDF)]},
            headers=headers,
        )

    first, again = upload(), upload()

    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert Attachment.objects.count() == 1
    other = client.post(
        f"/api/v1/messaging/threads/{thread.pk}/uploads",
        {"body": "See attached", "files": [SimpleUploadedFile("report.pdf", PDF + b"\n")]},
        headers=headers,
    )
    assert other.status_code == 422


def test_the_stored_answer_is_encrypted(client, focal_point_ma, focal_point_tn):
    _post(
        client,
        "/api/v1/messaging/threads",
        {**_thread_body(focal_point_tn), "subject": "Operation Nightjar"},
        _headers(focal_point_ma, "thread-2"),
    )

    stored = IdempotentResponse.objects.get()
    assert stored.status == 201
    assert b"Nightjar" not in bytes(stored.response_body)


def test_a_key_longer_than_255_characters_is_refused(client, focal_point_ma):
    response = _post(client, "/api/v1/persons/records", RECORD, _headers(focal_point_ma, "k" * 256))

    assert response.status_code == 422
    assert not PersonRecord.objects.exists()


def test_one_row_per_user_and_key(focal_point_ma):
    IdempotentResponse.objects.create(
        user=focal_point_ma, key="k", method="POST", path="/a", body_sha256="0"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotentResponse.objects.create(
            user=focal_point_ma, key="k", method="POST", path="/b", body_sha256="1"
        )


def test_reads_and_keyless_posts_are_untouched(client, focal_point_ma):
    headers = _headers(focal_point_ma, "read-1")

    listed = client.get("/api/v1/persons/records", headers=headers)

    assert listed.status_code == 200
    assert not IdempotentResponse.objects.exists()


# --- Concurrent duplicates, in real processes -----------------------------------------------


@pytest.mark.django_db(databases=[])
def test_concurrent_duplicates_wait_and_replay(tmp_path):
    """Two processes post the same key at once; the view is slowed so they overlap. The
    second waits on the key's row, then answers with the first one's thread."""
    from tawasul.core.tests.scratch import new_site, suite_engine

    site = new_site(suite_engine(), tmp_path)
    try:
        token, other_id = site.call("api_user")
        go = tmp_path / "go"
        racers = [site.popen("api_post_slow", token, other_id, str(go), 2.0) for _ in range(2)]
        time.sleep(2.5)  # both processes are up and waiting for the signal
        go.write_text("go")
        results = [racer.communicate(timeout=120) for racer in racers]
        answers = [r[0].strip().splitlines()[-1] for r in results]
        assert all(racer.returncode == 0 for racer in racers), results
        import json

        parsed = [json.loads(a) for a in answers]
        assert [p["status"] for p in parsed] == [201, 201], parsed
        assert parsed[0]["body"] == parsed[1]["body"]
        assert sorted(p["replayed"] for p in parsed) == [False, True]
        assert site.call("thread_count") == 1
    finally:
        site.drop()
