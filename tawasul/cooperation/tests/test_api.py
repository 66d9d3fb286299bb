"""The cooperation API: the same rules as the pages, typed schemas in the OpenAPI document,
idempotent creation, filtered and paginated lists, clear refusals instead of server errors."""

from __future__ import annotations

from typing import Any

import pytest

from tawasul.accounts.services import api_token_create
from tawasul.cooperation import checks, documents
from tawasul.cooperation.lifecycle import Status
from tawasul.cooperation.models import CooperationRequest
from tawasul.cooperation.tests.factories import CooperationRequestFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/cooperation"


@pytest.fixture(autouse=True)
def fast_documents(monkeypatch: Any) -> None:
    monkeypatch.setattr(
        documents, "render", lambda request, *, language, fmt: b"%PDF-1.7 test " + fmt.encode()
    )


def _auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(actor=user, name='t', days=1)[1]}"}


def _post(client, path, body, user, **headers):
    return client.post(
        path, body, content_type="application/json", headers={**_auth(user), **headers}
    )


NEW = {"request_type": "mla", "requested_country": "ES", "offence_category": "terrorist_financing"}


def test_create_proposes_authority_basis_and_language_from_the_finder(client, drafter_ma, profiles):
    response = _post(client, f"{API}/requests", NEW, drafter_ma)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["reference"].startswith("MA-")
    assert body["legal_basis"]  # ICSFT 1999 binds Morocco and Spain
    assert body["requested_authority"]


def test_a_retried_create_with_the_same_idempotency_key_creates_one_draft(client, drafter_ma):
    first = _post(client, f"{API}/requests", NEW, drafter_ma, **{"Idempotency-Key": "abc-1"})
    again = _post(client, f"{API}/requests", NEW, drafter_ma, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert CooperationRequest.objects.count() == 1
    other = _post(client, f"{API}/requests", NEW, drafter_ma, **{"Idempotency-Key": "abc-2"})
    assert other.json()["id"] != first.json()["id"]


@pytest.mark.parametrize(
    "body",
    [
        {**NEW, "requested_country": "MA"},  # own country
        {**NEW, "request_type": "bogus"},
        {**NEW, "deadline": "2026-13-45"},
        {**NEW, "handling_code": "H9"},
        {"request_type": "mla"},
        {**NEW, "requested_agency": 999999},
        {**NEW, "summary_of_facts": "x" * 20001},
        {**NEW, "transit_countries": ["MA"]},  # a side is no transit
        {**NEW, "transit_countries": ["ES"]},
        {**NEW, "transit_countries": ["XX"]},
        {**NEW, "transit_countries": "FR"},
    ],
)
def test_bad_input_is_refused_with_a_message_and_creates_nothing(client, drafter_ma, body):
    response = _post(client, f"{API}/requests", body, drafter_ma)
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert not CooperationRequest.objects.exists()


def test_countries_of_transit_are_kept_once_each_and_cleared(client, drafter_ma):
    body = {**NEW, "request_type": "extradition", "transit_countries": ["fr", "DZ", "FR"]}
    created = _post(client, f"{API}/requests", body, drafter_ma)
    assert created.status_code == 201, created.content
    assert created.json()["transit_countries"] == ["FR", "DZ"]
    request_id = created.json()["id"]
    cleared = client.patch(
        f"{API}/requests/{request_id}",
        {"transit_countries": []},
        content_type="application/json",
        headers=_auth(drafter_ma),
    )
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["transit_countries"] == []
    assert CooperationRequest.objects.get(pk=request_id).transit_countries == []


def test_parts_checks_documents_and_transitions_through_the_api(
    client, drafter_ma, checker_ma, central_es, monkeypatch, draft
):
    monkeypatch.setattr(checks, "evaluate", lambda request: checks.Report())
    path = f"{API}/requests/{draft.pk}"
    assert (
        _post(
            client, f"{path}/persons", {"role": "suspect", "name_latin": "Ali Demo"}, drafter_ma
        ).status_code
        == 201
    )
    bad_person = _post(
        client, f"{path}/persons", {"role": "suspect", "name_arabic": "Ali"}, drafter_ma
    )
    assert bad_person.status_code == 400
    measure = _post(
        client,
        f"{path}/measures",
        {
            "kind": "bank_records",
            "details": {"bank": "B", "period_start": "2025-05-01", "period_end": "2025-01-01"},
        },
        drafter_ma,
    )
    assert measure.status_code == 400 and "period" in measure.json()["detail"]
    doc = _post(client, f"{path}/documents", {"language": "ar", "format": "pdf"}, drafter_ma)
    assert doc.status_code == 201
    content = client.get(f"{API}/documents/{doc.json()['id']}/content", headers=_auth(drafter_ma))
    assert content.status_code == 200
    assert content["Content-Disposition"].startswith("attachment;")
    assert client.get(f"{path}/checks", headers=_auth(drafter_ma)).json()["ready"] is True

    assert _post(client, f"{path}/transitions", {"action": "submit"}, drafter_ma).status_code == 201
    alone = _post(client, f"{path}/transitions", {"action": "approve"}, drafter_ma)
    assert alone.status_code == 400
    approved = _post(client, f"{path}/transitions", {"action": "approve"}, checker_ma)
    assert approved.status_code == 201, approved.content
    assert approved.json()["receipt"]["status"] == Status.TRANSMITTED
    ack = _post(client, f"{path}/transitions", {"action": "acknowledge"}, central_es)
    assert ack.status_code == 201
    history = client.get(f"{path}/transitions", headers=_auth(central_es)).json()
    assert [t["action"] for t in history] == ["submit", "approve", "acknowledge"]


def test_list_is_filtered_and_paginated_and_shows_only_what_the_caller_sees(
    client, drafter_ma, central_es, es_agency
):
    for _ in range(3):
        CooperationRequestFactory(
            created_by=drafter_ma, requesting_agency=drafter_ma.agency, requested_agency=es_agency
        )
    CooperationRequestFactory(
        created_by=drafter_ma,
        requesting_agency=drafter_ma.agency,
        requested_agency=es_agency,
        status=Status.TRANSMITTED,
    )
    page = client.get(f"{API}/requests?limit=2&offset=0", headers=_auth(drafter_ma)).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    drafts = client.get(f"{API}/requests?status=draft", headers=_auth(drafter_ma)).json()
    assert drafts["count"] == 3
    incoming = client.get(f"{API}/requests?direction=incoming", headers=_auth(central_es)).json()
    assert incoming["count"] == 1  # the transmitted one; drafts never cross the border
    assert client.get(f"{API}/requests?limit=0", headers=_auth(drafter_ma)).status_code == 422


def test_coordinators_get_404_on_every_request_operation(client, coordinator, draft):
    headers = _auth(coordinator)
    assert client.get(f"{API}/requests", headers=headers).status_code == 404
    assert client.get(f"{API}/requests/{draft.pk}", headers=headers).status_code == 404
    assert client.get(f"{API}/requests/{draft.pk}/checks", headers=headers).status_code == 404


def test_openapi_lists_every_cooperation_operation_with_schemas(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    ours = {p: ops for p, ops in paths.items() if p.startswith(API)}
    assert len([op for ops in ours.values() for op in ops]) == 15
    for path, ops in ours.items():
        for method, op in ops.items():
            assert (
                "200" in op["responses"] or "201" in op["responses"] or "204" in op["responses"]
            ), (path, method)
            if method in ("post", "put", "patch"):
                assert "requestBody" in op, (path, method)
            ok = op["responses"].get("200") or op["responses"].get("201")
            if ok and path != f"{API}/documents/{{document_id}}/content":
                assert ok["content"]["application/json"]["schema"], (path, method)
