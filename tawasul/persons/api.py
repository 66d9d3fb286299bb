"""The JSON API of the person index: search (hit/no-hit), the own country's records, and the
hits to confirm or reject. Same gateways, services and allowlist serializer as the pages:
another country's record is answered with ``disclosure.FOREIGN_FIELDS`` only."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from tawasul.audit.services import audit_access_denied
from tawasul.core.access import Need
from tawasul.core.errors import ServiceError
from tawasul.persons import matching, ratelimit, selectors, services
from tawasul.persons.access import access_hit, access_person_record
from tawasul.persons.disclosure import disclose, disclose_scored
from tawasul.persons.forms import clean_countries
from tawasul.persons.models import Hit, HitStatus, PersonRecord, may_use_person_index
from tawasul.persons.screening import parse_partial_date

router = Router(tags=["persons"])


def _person_user(request: HttpRequest) -> Any:
    user = request.user
    if not may_use_person_index(user):
        audit_access_denied(actor=user, object_type="api", object_id="persons", need="person_index")
        raise Http404
    return user


def _date(text: str) -> tuple[int | None, int | None, int | None]:
    if not text.strip():
        return None, None, None
    try:
        return parse_partial_date(text)
    except ValueError:
        raise HttpError(422, _("Write the date as 1984, 1984-06 or 1984-06-21.")) from None


def _countries(codes: list[str]) -> list[str]:
    from django.core.exceptions import ValidationError

    try:
        return clean_countries(",".join(codes))
    except ValidationError as problem:
        raise HttpError(422, " ".join(problem.messages)) from None


class SearchIn(Schema):
    name: str = ""
    date_of_birth: str = ""
    nationality: str = ""
    document: str = ""
    sex: str = ""


class SearchResultOut(Schema):
    hit_id: int
    status: str
    record: dict[str, Any]


class SearchOut(Schema):
    hit: bool
    results: list[SearchResultOut]


class NameSchema(Schema):
    name: str
    type: str = "primary"


class DocumentSchema(Schema):
    type: str
    number: str
    issuing_country: str = ""


class RecordIn(Schema):
    category: str
    names: list[NameSchema]
    legal_basis: str
    date_of_birth: str = ""
    place_of_birth: str = ""
    nationalities: list[str] = []
    sex: str = "U"
    documents: list[DocumentSchema] = []
    interpol_notice: str = ""
    handling_code: str = "H0"
    restriction: str = ""
    source_reliability: str = "X"
    information_accuracy: str = "4"
    review_date: datetime.date | None = None
    share_more: bool = False


class ReviewIn(Schema):
    legal_basis: str
    review_date: datetime.date | None = None


class DeleteIn(Schema):
    reason: str


class DecisionIn(Schema):
    decision: str
    reason: str = ""


class HitOut(Schema):
    id: int
    status: str
    source: str
    score: float
    searcher_country: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    reason: str
    query: dict[str, Any] | None
    record: dict[str, Any]


def _record_out(user: Any, record: PersonRecord) -> dict[str, Any]:
    return disclose(user, record, 1.0, "")


def _hit_out(user: Any, hit: Hit) -> HitOut:
    own = hit.record.country == str(user.country)
    return HitOut(
        id=hit.pk,
        status=hit.status,
        source=hit.source,
        score=round(hit.score, 3),
        searcher_country=hit.searcher_country,
        created_at=hit.created_at,
        decided_at=hit.decided_at,
        reason=hit.reason,
        # The owner sees what was searched (to judge the match); the searcher knows it.
        query=hit.query if own or hit.searcher_id == user.pk else None,
        record=selectors.hit_answer(user, hit),
    )


def _data(body: RecordIn) -> services.RecordData:
    year, month, day = _date(body.date_of_birth)
    return services.RecordData(
        category=body.category,
        names=[services.NameIn(n.name, n.type) for n in body.names],
        legal_basis=body.legal_basis,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        place_of_birth=body.place_of_birth[:200],
        nationalities=_countries(body.nationalities),
        sex=body.sex,
        documents=[
            services.DocumentIn(d.type, d.number[:40], d.issuing_country) for d in body.documents
        ],
        interpol_notice=body.interpol_notice[:40],
        handling_code=body.handling_code,
        restriction=body.restriction[:500],
        source_reliability=body.source_reliability
        if body.source_reliability in ("A", "B", "C", "X")
        else "X",
        information_accuracy=body.information_accuracy
        if body.information_accuracy in ("1", "2", "3", "4")
        else "4",
        review_date=body.review_date,
        share_more=body.share_more,
    )


@router.post("/search", response=SearchOut)
def search(request: HttpRequest, body: SearchIn) -> SearchOut:
    """Hit/no-hit search. Another country's record answers only with its country, reference,
    category, score, the name-match explanation and the focal point to contact."""
    user = _person_user(request)
    if not ratelimit.search_allowed(user):
        services.search_rate_refused(actor=user)
        raise HttpError(429, _("Too many searches: wait a minute and try again."))
    year, month, day = _date(body.date_of_birth)
    query = matching.Query(
        name=" ".join(body.name.split())[:200],
        birth_year=year,
        birth_month=month,
        birth_day=day,
        nationality=body.nationality.upper()[:2],
        document=body.document.strip()[:40],
        sex=body.sex if body.sex in ("F", "M") else "",
    )
    try:
        found = services.person_search(actor=user, query=query)
    except ServiceError as error:
        raise HttpError(400, error.message) from None
    return SearchOut(
        hit=bool(found),
        results=[
            SearchResultOut(
                hit_id=r.hit.pk,
                status=r.hit.status,
                record=disclose_scored(user, r.record, r.scored),
            )
            for r in found
        ],
    )


@router.get("/records", response=list[dict[str, Any]])
def record_list(request: HttpRequest, q: str = "") -> list[dict[str, Any]]:
    user = _person_user(request)
    records = selectors.records_for(user, q=q[:100]).prefetch_related("documents")[:200]
    return [_record_out(user, r) for r in records]


@router.post("/records", response={201: dict[str, Any]})
def record_create(request: HttpRequest, body: RecordIn) -> Status:
    user = _person_user(request)
    try:
        record = services.person_record_create(actor=user, data=_data(body))
    except ServiceError as error:
        raise HttpError(400, error.message) from None
    return Status(201, _record_out(user, access_person_record(user, record.pk)))


@router.get("/records/{record_id}", response=dict[str, Any])
def record_detail(request: HttpRequest, record_id: int) -> dict[str, Any]:
    user = _person_user(request)
    return _record_out(user, access_person_record(user, record_id))


@router.put("/records/{record_id}", response=dict[str, Any])
def record_update(request: HttpRequest, record_id: int, body: RecordIn) -> dict[str, Any]:
    user = _person_user(request)
    record = access_person_record(user, record_id, need=Need.CHANGE)
    try:
        services.person_record_update(actor=user, record=record, data=_data(body))
    except ServiceError as error:
        raise HttpError(400, error.message) from None
    return _record_out(user, access_person_record(user, record.pk))


@router.post("/records/{record_id}/review", response=dict[str, Any])
def record_review(request: HttpRequest, record_id: int, body: ReviewIn) -> dict[str, Any]:
    user = _person_user(request)
    record = access_person_record(user, record_id, need=Need.CHANGE)
    try:
        services.person_record_review(
            actor=user, record=record, legal_basis=body.legal_basis, review_date=body.review_date
        )
    except ServiceError as error:
        raise HttpError(400, error.message) from None
    return _record_out(user, access_person_record(user, record.pk))


@router.delete("/records/{record_id}", response={204: None})
def record_delete(request: HttpRequest, record_id: int, body: DeleteIn) -> Status:
    user = _person_user(request)
    record = access_person_record(user, record_id, need=Need.CHANGE)
    try:
        services.person_record_delete(actor=user, record=record, reason=body.reason)
    except ServiceError as error:
        raise HttpError(400, error.message) from None
    return Status(204, None)


@router.get("/hits", response=list[HitOut])
def hit_list(request: HttpRequest, status: str = "") -> list[HitOut]:
    user = _person_user(request)
    hits = (
        Hit.objects.visible_to(user)
        .select_related("record", "record__originator", "record__originator__agency")
        .prefetch_related("record__names", "record__documents")
    )
    if status in HitStatus.values:
        hits = hits.filter(status=status)
    return [_hit_out(user, h) for h in hits[:200]]


@router.get("/hits/{hit_id}", response=HitOut)
def hit_detail(request: HttpRequest, hit_id: int) -> HitOut:
    user = _person_user(request)
    return _hit_out(user, access_hit(user, hit_id))


@router.post("/hits/{hit_id}/decision", response=HitOut)
def hit_decide(request: HttpRequest, hit_id: int, body: DecisionIn) -> HitOut:
    user = _person_user(request)
    hit = access_hit(user, hit_id, need=Need.CHANGE)
    if body.decision not in ("confirm", "reject"):
        raise HttpError(422, _("The decision is confirm or reject."))
    try:
        services.hit_decide(
            actor=user, hit=hit, confirm=body.decision == "confirm", reason=body.reason
        )
    except ServiceError as error:
        raise HttpError(400, error.message) from None
    return _hit_out(user, access_hit(user, hit_id))
