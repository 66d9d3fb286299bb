"""The JSON API of cooperation requests: drafts and their parts, checks, documents, transitions
with their signed receipts, and filtered, paginated lists. Same gateways, services and rules as
the pages: a request the caller may not see is a 404, whoever asks."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from tawasul.audit.services import audit_access_denied
from tawasul.cooperation import checks, selectors, services
from tawasul.cooperation.access import access_request, access_request_document
from tawasul.cooperation.models import CooperationRequest, may_work_on_requests
from tawasul.core.access import Need
from tawasul.core.errors import ServiceError
from tawasul.messaging.files import IntegrityError as StoredFileError

router = Router(tags=["cooperation"])


def _worker(request: HttpRequest) -> Any:
    user = request.user
    if not may_work_on_requests(user):
        audit_access_denied(
            actor=user, object_type="api", object_id="cooperation", need="cooperation"
        )
        raise Http404
    return user


def _service(call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except ServiceError as error:
        raise HttpError(400, error.message) from None


# --- schemas -------------------------------------------------------------------------------


class OffenceOut(Schema):
    id: int
    description: str
    legal_provision: str
    penalty: str


class RequestPersonOut(Schema):
    id: int
    role: str
    name_arabic: str
    name_latin: str
    date_of_birth: datetime.date | None
    place_of_birth: str
    nationality: str
    document_type: str
    document_number: str
    notes: str


class MeasureOut(Schema):
    id: int
    kind: str
    details: dict[str, str]


class RequestAttachmentOut(Schema):
    id: int
    filename: str
    size: int
    sha256: str
    handling_code: str
    uploaded_at: datetime.datetime


class RequestDocumentOut(Schema):
    id: int
    content_version: int
    language: str
    format: str
    sha256: str
    size: int
    created_at: datetime.datetime


class RequestSummaryOut(Schema):
    id: int
    reference: str
    request_type: str
    status: str
    offence_category: str
    requesting_country: str
    requested_country: str
    urgent: bool
    due_on: datetime.date | None
    overdue: bool
    updated_at: datetime.datetime


class RequestOut(RequestSummaryOut):
    requesting_agency: str
    requesting_reference: str
    requested_agency_id: int | None
    requested_authority: str
    requested_reference: str
    summary_of_facts: str
    purpose: str
    urgency_reason: str
    deadline: datetime.date | None
    confidential: bool
    confidentiality_note: str
    legal_basis: str
    legal_basis_text: str
    dual_criminality_statement: str
    non_political_statement: str
    assurance_death_penalty: bool
    transit_countries: list[str]
    assurance_speciality: bool
    assurance_fair_trial: bool
    assurances_text: str
    document_language: str
    handling_code: str
    restriction: str
    content_version: int
    transmitted_at: datetime.datetime | None
    acknowledged_at: datetime.datetime | None
    executed_at: datetime.datetime | None
    refusal_grounds: str
    offences: list[OffenceOut]
    persons: list[RequestPersonOut]
    measures: list[MeasureOut]
    attachments: list[RequestAttachmentOut]
    documents: list[RequestDocumentOut]


class RequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RequestSummaryOut]


class RequestIn(Schema):
    """The fields of a draft, all optional on a change; a new draft needs the first three."""

    request_type: str | None = None
    requested_country: str | None = Field(None, max_length=2)
    offence_category: str | None = None
    requesting_reference: str | None = Field(None, max_length=100)
    urgent: bool | None = None
    urgency_reason: str | None = None
    deadline: datetime.date | None = None
    requested_agency: int | None = None
    requested_authority: str | None = Field(None, max_length=300)
    legal_basis: str | None = Field(None, max_length=40)
    legal_basis_text: str | None = Field(None, max_length=500)
    summary_of_facts: str | None = None
    purpose: str | None = None
    dual_criminality_statement: str | None = None
    non_political_statement: str | None = None
    assurance_death_penalty: bool | None = None
    transit_countries: list[str] | None = Field(None, max_length=20)
    assurance_speciality: bool | None = None
    assurance_fair_trial: bool | None = None
    assurances_text: str | None = None
    confidential: bool | None = None
    confidentiality_note: str | None = Field(None, max_length=500)
    handling_code: Literal["H0", "H1", "H2", "H3"] | None = None
    restriction: str | None = Field(None, max_length=500)
    document_language: Literal["ar", "fr", "en"] | None = None


class OffenceIn(Schema):
    description: str = Field(max_length=300)
    legal_provision: str
    penalty: str = Field("", max_length=200)


class RequestPersonIn(Schema):
    role: str
    name_arabic: str = Field("", max_length=200)
    name_latin: str = Field("", max_length=200)
    date_of_birth: datetime.date | None = None
    place_of_birth: str = Field("", max_length=200)
    nationality: str = Field("", max_length=2)
    document_type: str = Field("", max_length=60)
    document_number: str = Field("", max_length=60)
    notes: str = ""


class MeasureIn(Schema):
    kind: str
    details: dict[str, str | None] = {}


class MeasureDetailsIn(Schema):
    details: dict[str, str | None]


class RiskOut(Schema):
    code: str
    severity: str
    message: str
    explanation: str
    source: str
    step: str


class ChecklistItemOut(Schema):
    code: str
    label: str
    done: bool
    step: str
    essential: bool


class ChecksOut(Schema):
    score: int
    ready: bool
    risks: list[RiskOut]
    checklist: list[ChecklistItemOut]


class RequestDocumentIn(Schema):
    language: Literal["ar", "fr", "en"]
    format: Literal["pdf", "docx"]


class TransitionIn(Schema):
    action: str
    note: str = ""


class TransitionOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: str
    side: str
    actor_country: str
    note: str
    at: datetime.datetime
    content_version: int
    document_sha256: str
    receipt: dict[str, Any]


class FromHitIn(Schema):
    hit_id: int
    request_type: Literal["police_information", "mla"] = "police_information"


# --- serialisers ---------------------------------------------------------------------------


def _summary(r: CooperationRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "reference": r.reference,
        "request_type": r.request_type,
        "status": r.status,
        "offence_category": r.offence_category,
        "requesting_country": str(r.requesting_country),
        "requested_country": str(r.requested_country),
        "urgent": r.urgent,
        "due_on": r.due_on,
        "overdue": r.is_overdue,
        "updated_at": r.updated_at,
    }


_DETAIL_FIELDS = (
    "requesting_reference",
    "requested_agency_id",
    "requested_authority",
    "requested_reference",
    "summary_of_facts",
    "purpose",
    "urgency_reason",
    "deadline",
    "confidential",
    "confidentiality_note",
    "legal_basis",
    "legal_basis_text",
    "dual_criminality_statement",
    "non_political_statement",
    "assurance_death_penalty",
    "assurance_speciality",
    "assurance_fair_trial",
    "assurances_text",
    "document_language",
    "handling_code",
    "restriction",
    "content_version",
    "transmitted_at",
    "acknowledged_at",
    "executed_at",
    "refusal_grounds",
)


def _detail(r: CooperationRequest) -> dict[str, Any]:
    out = _summary(r)
    out.update({name: getattr(r, name) for name in _DETAIL_FIELDS})
    out["requesting_agency"] = str(r.requesting_agency)
    out["transit_countries"] = [country.code for country in r.transit_countries]
    out["offences"] = list(r.offences.values("id", "description", "legal_provision", "penalty"))
    out["persons"] = [
        {
            "id": p.pk,
            "role": p.role,
            "name_arabic": p.name_arabic,
            "name_latin": p.name_latin,
            "date_of_birth": p.date_of_birth,
            "place_of_birth": p.place_of_birth,
            "nationality": str(p.nationality or ""),
            "document_type": p.document_type,
            "document_number": p.document_number,
            "notes": p.notes,
        }
        for p in r.persons.all()
    ]
    out["measures"] = list(r.measures.values("id", "kind", "details"))
    out["attachments"] = list(
        r.attachments.values("id", "filename", "size", "sha256", "handling_code", "uploaded_at")
    )
    out["documents"] = list(
        r.documents.values(
            "id", "content_version", "language", "format", "sha256", "size", "created_at"
        )
    )
    return out


def _transition_out(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "action": t.action,
        "from_status": t.from_status,
        "to_status": t.to_status,
        "side": t.side,
        "actor_country": str(t.actor.country or ""),
        "note": t.note,
        "at": t.at,
        "content_version": t.content_version,
        "document_sha256": t.document_sha256,
        "receipt": t.receipt,
    }


def _values(body: RequestIn) -> dict[str, Any]:
    return {k: v for k, v in body.dict(exclude_unset=True).items() if v is not None}


# --- operations ----------------------------------------------------------------------------


class RequestListQuery(Schema):
    direction: Literal["", "outgoing", "incoming"] = ""
    status: str = Field("", max_length=20)
    request_type: str = Field("", max_length=30)
    country: str = Field("", max_length=2)
    overdue: bool = False
    q: str = Field("", max_length=100)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/requests", response=RequestPage)
def request_list(request: HttpRequest, filters: Query[RequestListQuery]) -> dict[str, Any]:
    """The requests the caller may see, newest change first, filtered and paginated."""
    user = _worker(request)
    rows = selectors.requests_visible(
        user,
        selectors.RequestFilters(
            direction=filters.direction,
            status=filters.status,
            request_type=filters.request_type,
            country=filters.country.upper(),
            overdue=filters.overdue,
            text=filters.q,
        ),
    )
    start = filters.offset
    return {
        "count": rows.count(),
        "limit": filters.limit,
        "offset": start,
        "items": [_summary(r) for r in rows[start : start + filters.limit]],
    }


@router.post("/requests", response={201: RequestOut})
def request_create(
    request: HttpRequest,
    body: RequestIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
) -> Status:
    """Start a draft. With an ``Idempotency-Key`` header, a retried call returns the draft the
    first call created instead of creating a second one."""
    user = _worker(request)
    created = _service(
        services.request_create, actor=user, values=_values(body), idempotency_key=idempotency_key
    )
    return Status(201, _detail(access_request(user, created.pk)))


@router.post("/requests/from-hit", response={201: RequestOut})
def request_from_hit(request: HttpRequest, body: FromHitIn) -> Status:
    """A draft request to the record's country, prefilled from a confirmed hit of the caller's
    country (the hit goes through the person index's gateway)."""
    from tawasul.persons.access import access_hit

    user = _worker(request)
    hit = access_hit(user, body.hit_id)
    created = _service(
        services.request_create_from_hit, actor=user, hit=hit, request_type=body.request_type
    )
    return Status(201, _detail(access_request(user, created.pk)))


@router.get("/requests/{request_id}", response=RequestOut)
def request_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    user = _worker(request)
    return _detail(access_request(user, request_id))


@router.patch("/requests/{request_id}", response=RequestOut)
def request_update(request: HttpRequest, request_id: int, body: RequestIn) -> dict[str, Any]:
    """Change fields of a draft (requesting side only)."""
    user = _worker(request)
    found = access_request(user, request_id, need=Need.CHANGE)
    _service(services.request_update, actor=user, request=found, values=_values(body))
    return _detail(access_request(user, request_id))


@router.post("/requests/{request_id}/offences", response={201: OffenceOut})
def offence_add(request: HttpRequest, request_id: int, body: OffenceIn) -> Status:
    user = _worker(request)
    found = access_request(user, request_id, need=Need.CHANGE)
    offence = _service(services.request_offence_add, actor=user, request=found, **body.dict())
    return Status(201, offence)


@router.post("/requests/{request_id}/persons", response={201: RequestPersonOut})
def person_add(request: HttpRequest, request_id: int, body: RequestPersonIn) -> Status:
    user = _worker(request)
    found = access_request(user, request_id, need=Need.CHANGE)
    person = _service(services.request_person_add, actor=user, request=found, values=body.dict())
    return Status(
        201,
        {
            **{f: getattr(person, f) for f in RequestPersonOut.model_fields if f != "nationality"},
            "nationality": str(person.nationality or ""),
        },
    )


@router.post("/requests/{request_id}/measures", response={201: MeasureOut})
def measure_add(request: HttpRequest, request_id: int, body: MeasureIn) -> Status:
    user = _worker(request)
    found = access_request(user, request_id, need=Need.CHANGE)
    measure = _service(
        services.request_measure_add,
        actor=user,
        request=found,
        kind=body.kind,
        details=body.details,
    )
    return Status(201, {"id": measure.pk, "kind": measure.kind, "details": measure.details})


@router.put("/requests/{request_id}/measures/{measure_id}", response=MeasureOut)
def measure_update(
    request: HttpRequest, request_id: int, measure_id: int, body: MeasureDetailsIn
) -> dict[str, Any]:
    user = _worker(request)
    found = access_request(user, request_id, need=Need.CHANGE)
    measure = _service(
        services.request_measure_update,
        actor=user,
        request=found,
        measure_id=measure_id,
        details=body.details,
    )
    return {"id": measure.pk, "kind": measure.kind, "details": measure.details}


@router.delete("/requests/{request_id}/parts/{part}/{part_id}", response={204: None})
def part_remove(
    request: HttpRequest,
    request_id: int,
    part: Literal["offences", "persons", "measures"],
    part_id: int,
) -> Status:
    """Remove an offence, a person or a measure from a draft."""
    user = _worker(request)
    found = access_request(user, request_id, need=Need.CHANGE)
    _service(
        services.request_part_remove,
        actor=user,
        request=found,
        part=part.removesuffix("s"),
        part_id=part_id,
    )
    return Status(204, None)


@router.get("/requests/{request_id}/checks", response=ChecksOut)
def request_checks(request: HttpRequest, request_id: int) -> dict[str, Any]:
    """Completeness checklist, score and refusal risks (each with explanation and source)."""
    user = _worker(request)
    report = checks.evaluate(access_request(user, request_id))
    return {
        "score": report.score,
        "ready": report.ready,
        "risks": [
            {
                "code": r.code,
                "severity": r.severity,
                "message": str(r.message),
                "explanation": str(r.explanation),
                "source": str(r.source),
                "step": r.step,
            }
            for r in report.risks
        ],
        "checklist": [
            {
                "code": i.code,
                "label": str(i.label),
                "done": i.done,
                "step": i.step,
                "essential": i.essential,
            }
            for i in report.checklist
        ],
    }


@router.post("/requests/{request_id}/documents", response={201: RequestDocumentOut})
def document_generate(request: HttpRequest, request_id: int, body: RequestDocumentIn) -> Status:
    """The formal request for the current content version (generated the first time)."""
    user = _worker(request)
    found = access_request(user, request_id)
    document = _service(
        services.request_document_generate,
        actor=user,
        request=found,
        language=body.language,
        fmt=body.format,
    )
    return Status(201, document)


@router.get(
    "/documents/{document_id}/content",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The document (PDF or DOCX), as an attachment",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def document_content(request: HttpRequest, document_id: int) -> HttpResponse:
    user = _worker(request)
    document = access_request_document(user, document_id)
    try:
        data = services.request_document_read(actor=user, document=document)
    except StoredFileError:
        raise HttpError(409, _("The stored document is damaged: generate it again.")) from None
    content_type = (
        "application/pdf"
        if document.format == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(data, content_type=content_type)
    name = f"{document.request.reference}-v{document.content_version}-{document.language}.{document.format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/requests/{request_id}/transitions", response=list[TransitionOut])
def transition_list(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    """The request's history, each step with its signed receipt."""
    user = _worker(request)
    found = access_request(user, request_id)
    return [_transition_out(t) for t in selectors.request_history(found)]


@router.post("/requests/{request_id}/transitions", response={201: TransitionOut})
def transition_create(request: HttpRequest, request_id: int, body: TransitionIn) -> Status:
    """Take a lifecycle action (submit, approve, acknowledge, …); the side, role and status it
    needs are enforced, approval needs a second person."""
    user = _worker(request)
    found = access_request(user, request_id, need=Need.CHANGE)
    transition = _service(
        services.request_transition,
        actor=user,
        request=found,
        action=body.action[:30],
        note=body.note,
    )
    return Status(201, _transition_out(transition))
