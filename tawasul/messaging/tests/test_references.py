"""A thread may be about a meeting: the reference is checked through the action-plans
gateway when the thread is opened."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tawasul.accounts.services import api_token_create
from tawasul.core.errors import ServiceError
from tawasul.messaging.references import ReferenceKind
from tawasul.messaging.services import thread_create

factories = pytest.importorskip("tawasul.actionplans.tests.factories")
pytestmark = pytest.mark.django_db


def _open(actor, other, **reference):
    return thread_create(
        actor=actor, subject="About the workshop", participants=[other], body="Hi", **reference
    )


def test_thread_about_a_meeting_links_to_it(client, signed_in, focal_point_ma, focal_point_tn):
    meeting = factories.MeetingFactory()
    thread = _open(
        focal_point_ma,
        focal_point_tn,
        reference_kind=ReferenceKind.MEETING,
        reference_id=meeting.pk,
    )
    signed_in(focal_point_tn)
    page = client.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert reverse("actionplans:meeting_detail", args=[meeting.pk]) in page


@pytest.mark.parametrize(
    "reference",
    [
        {"reference_kind": ReferenceKind.MEETING, "reference_id": 999_999},
        {"reference_kind": "request", "reference_id": 1},
        {"reference_kind": ReferenceKind.MEETING},
        {"reference_id": 1},
    ],
)
def test_unknown_or_malformed_reference_is_refused(focal_point_ma, focal_point_tn, reference):
    with pytest.raises(ServiceError):
        _open(focal_point_ma, focal_point_tn, **reference)


def test_new_thread_page_offers_meetings_and_api_accepts_one(
    client, signed_in, focal_point_ma, focal_point_tn
):
    meeting = factories.MeetingFactory()
    signed_in(focal_point_ma)
    page = client.get(reverse("messaging:thread_new"), {"meeting": meeting.pk}).content.decode()
    assert f'value="{meeting.pk}" selected' in page
    _, token = api_token_create(actor=focal_point_ma, name="t", days=1)
    response = client.post(
        "/api/v1/messaging/threads",
        {
            "subject": "About it",
            "participant_ids": [focal_point_tn.pk],
            "body": "Hi",
            "meeting_id": meeting.pk,
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    assert response.json()["about"] == {"kind": "meeting", "id": meeting.pk}
