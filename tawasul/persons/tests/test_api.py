"""The person-index API: own-country records, search and hit decisions."""

from __future__ import annotations

import pytest

from tawasul.accounts.services import api_token_create
from tawasul.persons.models import HitStatus, PersonRecord

pytestmark = pytest.mark.django_db

BODY = {
    "category": "wanted",
    "names": [
        {"name": "Hamza Belkacem Demo", "type": "primary"},
        {"name": "حمزة بلقاسم", "type": "alias"},
    ],
    "legal_basis": "Arrest warrant 12/2026 (fictional)",
    "date_of_birth": "1991-11",
    "nationalities": ["DZ"],
    "sex": "M",
    "documents": [{"type": "passport", "number": "DZ7654321", "issuing_country": "DZ"}],
}


def _call(client, user, method, path, body=None):
    _, token = api_token_create(actor=user, name="t", days=5)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        return getattr(client, method)(
            f"/api/v1/persons{path}", body, content_type="application/json", **kwargs
        )
    return getattr(client, method)(f"/api/v1/persons{path}", **kwargs)


def test_create_read_update_own_record(client, focal_point_ma):
    created = _call(client, focal_point_ma, "post", "/records", BODY)
    assert created.status_code == 201
    record_id = created.json()["id"]
    assert created.json()["date_of_birth"] == "1991-11"
    read = _call(client, focal_point_ma, "get", f"/records/{record_id}").json()
    assert read["documents"][0]["number"] == "DZ7654321"
    updated = _call(client, focal_point_ma, "put", f"/records/{record_id}", {**BODY, "sex": "U"})
    assert updated.status_code == 200 and updated.json()["sex"] == "U"


@pytest.mark.parametrize(
    "change",
    [
        {"category": "nope"},
        {"names": []},
        {"date_of_birth": "yesterday"},
        {"nationalities": ["XX"]},
        {"documents": [{"type": "visa", "number": "1"}]},
        {"legal_basis": " "},
    ],
)
def test_bad_record_is_refused_and_nothing_created(change, client, focal_point_ma):
    response = _call(client, focal_point_ma, "post", "/records", {**BODY, **change})
    assert response.status_code in (400, 422)
    assert not PersonRecord.objects.exists()


def test_foreign_focal_point_gets_404_on_a_record(client, focal_point_tn, record_ma):
    assert _call(client, focal_point_tn, "get", f"/records/{record_ma.pk}").status_code == 404
    assert _call(client, focal_point_tn, "get", "/records").json() == []


def test_hit_decision_through_the_api(client, focal_point_ma, focal_point_tn, record_ma):
    found = _call(client, focal_point_tn, "post", "/search", {"name": "Mohamed Zahrani"}).json()
    hit_id = found["results"][0]["hit_id"]
    assert _call(client, focal_point_tn, "get", f"/hits/{hit_id}").json()["status"] == "possible"
    bad = _call(client, focal_point_ma, "post", f"/hits/{hit_id}/decision", {"decision": "maybe"})
    assert bad.status_code == 422
    decided = _call(
        client, focal_point_ma, "post", f"/hits/{hit_id}/decision", {"decision": "confirm"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == HitStatus.CONFIRMED
    seen = _call(client, focal_point_tn, "get", f"/hits/{hit_id}").json()
    assert seen["status"] == "confirmed"
    assert "legal_basis" not in seen["record"]


def test_search_with_bad_date_is_refused(client, focal_point_tn):
    response = _call(
        client, focal_point_tn, "post", "/search", {"name": "Ali", "date_of_birth": "13/13/13"}
    )
    assert response.status_code == 422
