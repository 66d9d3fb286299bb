"""A confirmed person-index hit leads, in one click, to a prefilled draft request to the
country that holds the record (issue 6)."""

from __future__ import annotations

import pytest

from tawasul.accounts.services import api_token_create
from tawasul.cooperation.lifecycle import RequestType, Status
from tawasul.cooperation.models import CooperationRequest
from tawasul.cooperation.services import request_create_from_hit
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Role
from tawasul.persons.matching import Query
from tawasul.persons.services import hit_decide, person_search
from tawasul.persons.tests.factories import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def hit(focal_point_ma, make_user):
    searcher = make_user(username="searcher.tn", country="TN", roles=[Role.FOCAL_POINT])
    record = make_record(focal_point_ma)
    found = person_search(
        actor=searcher,
        query=Query(name="Mohamed Abderrahmane Zahrani", birth_year=1988, nationality="MA"),
    )
    assert found and found[0].record.pk == record.pk
    return found[0].hit


def test_only_a_confirmed_hit_leads_to_a_request(hit):
    with pytest.raises(ServiceError, match="confirmed"):
        request_create_from_hit(actor=hit.searcher, hit=hit)
    assert not CooperationRequest.objects.exists()


def test_confirmed_hit_gives_a_prefilled_draft_to_the_records_country(hit, focal_point_ma):
    hit_decide(actor=focal_point_ma, hit=hit, confirm=True, reason="")
    draft = request_create_from_hit(actor=hit.searcher, hit=hit)
    assert draft.status == Status.DRAFT
    assert draft.request_type == RequestType.POLICE
    assert str(draft.requesting_country) == "TN" and str(draft.requested_country) == "MA"
    assert draft.source_hit == hit
    assert draft.requested_reference == hit.record.reference
    person = draft.persons.get()
    assert person.name_latin == "Mohamed Abderrahmane Zahrani"
    assert str(person.nationality) == "MA"
    assert "1988" in person.notes
    # the draft is the searcher's; the record's country does not see it before transmission
    assert not CooperationRequest.objects.visible_to(focal_point_ma).filter(pk=draft.pk).exists()


def test_the_records_owner_cannot_draft_from_the_hit(hit, focal_point_ma):
    hit_decide(actor=focal_point_ma, hit=hit, confirm=True, reason="")
    with pytest.raises(ServiceError):
        request_create_from_hit(actor=focal_point_ma, hit=hit)


def test_hit_page_button_creates_the_draft_and_opens_the_builder(
    hit, focal_point_ma, client, signed_in
):
    hit_decide(actor=focal_point_ma, hit=hit, confirm=True, reason="")
    signed_in(hit.searcher)
    page = client.get(f"/persons/hits/{hit.pk}/")
    assert b"Draft a police information request" in page.content
    response = client.post(f"/persons/hits/{hit.pk}/request/", {"request_type": "mla"})
    draft = CooperationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/requests/{draft.pk}/step/basis/")
    assert draft.request_type == RequestType.MLA


def test_from_hit_api_operation(hit, focal_point_ma, client):
    hit_decide(actor=focal_point_ma, hit=hit, confirm=True, reason="")
    _token, raw = api_token_create(actor=hit.searcher, name="t", days=1)
    response = client.post(
        "/api/v1/cooperation/requests/from-hit",
        {"hit_id": hit.pk},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["requested_country"] == "MA"
    other = api_token_create(actor=focal_point_ma, name="t", days=1)[1]
    refused = client.post(
        "/api/v1/cooperation/requests/from-hit",
        {"hit_id": hit.pk},
        content_type="application/json",
        headers={"Authorization": f"Bearer {other}"},
    )
    assert refused.status_code == 400
