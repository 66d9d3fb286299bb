"""Human confirmation: a hit stays possible until the owner's focal point decides."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.persons.matching import Query
from tawasul.persons.models import HitStatus
from tawasul.persons.services import hit_decide, person_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def hit(focal_point_tn, record_ma):
    return person_search(actor=focal_point_tn, query=Query(name="Mohamed Zahrani"))[0].hit


def test_owner_focal_point_confirms(client, signed_in, focal_point_ma, hit):
    signed_in(focal_point_ma)
    response = client.post(reverse("persons:hit_decide", args=[hit.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.status == HitStatus.CONFIRMED and hit.decided_by == focal_point_ma
    assert AuditEvent.objects.filter(event_type="persons.hit_confirmed").exists()


def test_rejection_needs_a_reason(client, signed_in, focal_point_ma, hit):
    signed_in(focal_point_ma)
    url = reverse("persons:hit_decide", args=[hit.pk])
    assert client.post(url, {"decision": "reject", "reason": ""}).status_code == 400
    hit.refresh_from_db()
    assert hit.status == HitStatus.POSSIBLE
    assert client.post(url, {"decision": "reject", "reason": "Other DOB"}).status_code == 302
    hit.refresh_from_db()
    assert hit.status == HitStatus.REJECTED and hit.reason == "Other DOB"


def test_searcher_cannot_decide_on_a_foreign_record(client, signed_in, focal_point_tn, hit):
    signed_in(focal_point_tn)
    response = client.post(reverse("persons:hit_decide", args=[hit.pk]), {"decision": "confirm"})
    assert response.status_code == 404
    hit.refresh_from_db()
    assert hit.status == HitStatus.POSSIBLE


def test_a_decided_hit_is_not_decided_again(focal_point_ma, hit):
    hit_decide(actor=focal_point_ma, hit=hit, confirm=True, reason="")
    with pytest.raises(ServiceError):
        hit_decide(actor=focal_point_ma, hit=hit, confirm=False, reason="changed my mind")


def test_searcher_sees_the_status_but_only_the_allowlist(client, signed_in, focal_point_tn, hit):
    signed_in(focal_point_tn)
    response = client.get(reverse("persons:hit", args=[hit.pk]))
    assert response.status_code == 200
    assert "legal_basis" not in response.context["answer"]
    assert "AB1234567" not in response.content.decode()
    assert not response.context["may_decide"]


def test_hit_list_shows_the_owner_what_to_decide(client, signed_in, focal_point_ma, hit):
    signed_in(focal_point_ma)
    response = client.get(reverse("persons:hits"))
    assert list(response.context["to_decide"]) == [hit]


def test_notifications_are_marked_read(client, signed_in, focal_point_ma, hit):
    signed_in(focal_point_ma)
    assert client.get(reverse("persons:index")).context["unread"] == 1
    client.post(reverse("persons:notifications_read"))
    assert client.get(reverse("persons:index")).context["unread"] == 0
