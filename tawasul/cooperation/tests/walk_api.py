"""The cooperation API's operations in the URL walk (merged into walk_table.API_OPERATIONS).

A draft of fp_ma's (Morocco → Tunisia) is the requesting agency's alone; once transmitted to
fp_tn's agency it is also Morocco's central authority's (ca_ma) and the requested agency's
(fp_tn). Border officers, victim protection, coordinators, admins and oversight get 404."""

from __future__ import annotations

from tawasul.core.tests.walk import ANON, ApiOperation

API = "/api/v1/cooperation"
REFUSED = {"bo_ma": 404, "vp_ma": 404, "coord": 404, "admin_ma": 404, "dpo_ma": 404}


def _draft(p):
    from tawasul.cooperation.tests.factories import (
        CooperationRequestFactory,
        RequestMeasureFactory,
    )

    request = CooperationRequestFactory(
        created_by=p["fp_ma"],
        requesting_agency=p["fp_ma"].agency,
        requested_country="TN",
        requested_agency=p["fp_tn"].agency,
    )
    measure = RequestMeasureFactory(request=request)
    return {"request_id": request.pk, "measure_id": measure.pk, "part_id": measure.pk}


def _transmitted(p):
    from django.utils import timezone

    from tawasul.cooperation.lifecycle import Status
    from tawasul.cooperation.models import CooperationRequest

    kwargs = _draft(p)
    CooperationRequest.objects.filter(pk=kwargs["request_id"]).update(
        status=Status.TRANSMITTED, transmitted_at=timezone.now()
    )
    return kwargs


def _document(p):
    from tawasul.cooperation.models import CooperationRequest
    from tawasul.cooperation.services import request_document_generate

    kwargs = _draft(p)
    request = CooperationRequest.objects.get(pk=kwargs["request_id"])
    document = request_document_generate(
        actor=p["fp_ma"], request=request, language="fr", fmt="pdf"
    )
    return {"document_id": document.pk}


WORKERS = {"fp_ma": 200, "ca_ma": 200, "fp_tn": 200, "ca_tn": 200}
DRAFT_ONLY = {"ca_ma": 404, "fp_tn": 404, **REFUSED}

API_OPERATIONS = {
    ("get", f"{API}/requests"): ApiOperation({ANON: 401, **WORKERS, **REFUSED}),
    ("post", f"{API}/requests"): ApiOperation(
        {ANON: 401, "fp_ma": 201, "ca_ma": 201, "fp_tn": 201, "ca_tn": 201, **REFUSED},
        body={
            "request_type": "police_information",
            "requested_country": "ES",
            "offence_category": "som",
        },
    ),
    ("post", f"{API}/requests/from-hit"): ApiOperation(
        {ANON: 401, "fp_ma": 404, "fp_tn": 404, **REFUSED}, body={"hit_id": 987654}
    ),
    ("get", f"{API}/requests/{{request_id}}"): ApiOperation(
        {ANON: 401, "fp_ma": 200, **DRAFT_ONLY}, path_params=_draft
    ),
    ("patch", f"{API}/requests/{{request_id}}"): ApiOperation(
        {ANON: 401, "fp_ma": 200, **DRAFT_ONLY},
        path_params=_draft,
        body={"purpose": "To identify the network's organisers."},
    ),
    ("post", f"{API}/requests/{{request_id}}/offences"): ApiOperation(
        {ANON: 401, "fp_ma": 201, **DRAFT_ONLY},
        path_params=_draft,
        body={"description": "Smuggling of migrants", "legal_provision": "Art. 1 (fictional)"},
    ),
    ("post", f"{API}/requests/{{request_id}}/persons"): ApiOperation(
        {ANON: 401, "fp_ma": 201, **DRAFT_ONLY},
        path_params=_draft,
        body={"role": "suspect", "name_latin": "Walk Person Demo"},
    ),
    ("post", f"{API}/requests/{{request_id}}/measures"): ApiOperation(
        {ANON: 401, "fp_ma": 201, **DRAFT_ONLY},
        path_params=_draft,
        body={"kind": "subscriber_data", "details": {"provider": "Demo Telecom"}},
    ),
    ("put", f"{API}/requests/{{request_id}}/measures/{{measure_id}}"): ApiOperation(
        {ANON: 401, "fp_ma": 200, **DRAFT_ONLY},
        path_params=_draft,
        body={"details": {"bank": "Demo Bank", "account": "DEMO-1"}},
    ),
    ("delete", f"{API}/requests/{{request_id}}/parts/{{part}}/{{part_id}}"): ApiOperation(
        {ANON: 401, "fp_ma": 204, **DRAFT_ONLY},
        path_params=lambda p: {**_draft(p), "part": "measures"},
    ),
    ("get", f"{API}/requests/{{request_id}}/checks"): ApiOperation(
        {ANON: 401, "fp_ma": 200, **DRAFT_ONLY}, path_params=_draft
    ),
    ("post", f"{API}/requests/{{request_id}}/documents"): ApiOperation(
        {ANON: 401, "fp_ma": 201, **DRAFT_ONLY},
        path_params=_draft,
        body={"language": "ar", "format": "docx"},
    ),
    ("get", f"{API}/documents/{{document_id}}/content"): ApiOperation(
        {ANON: 401, "fp_ma": 200, **DRAFT_ONLY}, path_params=_document
    ),
    ("get", f"{API}/requests/{{request_id}}/transitions"): ApiOperation(
        {ANON: 401, **WORKERS, **REFUSED}, path_params=_transmitted
    ),
    # Acknowledging is the requested side's: the requesting side is refused (400, it sees the
    # request), everyone else does not see it (404).
    ("post", f"{API}/requests/{{request_id}}/transitions"): ApiOperation(
        {ANON: 401, "fp_tn": 201, "ca_tn": 201, "fp_ma": 400, "ca_ma": 400, **REFUSED},
        path_params=_transmitted,
        body={"action": "acknowledge"},
    ),
}
