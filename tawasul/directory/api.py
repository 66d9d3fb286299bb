"""Directory API: read-only operations for every token holder (directory data is network-level,
not case content), through the same gateways and selectors as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from tawasul.directory import finder, selectors
from tawasul.directory.access import access_country_profile, access_focal_point
from tawasul.directory.forms import CompareForm, FinderForm
from tawasul.directory.models import FocalPoint

router = Router(tags=["directory"])


class FocalPointOut(Schema):
    id: int
    name: str
    name_ar: str
    country: str
    agency: str
    agency_kind: str
    position: str
    competences: list[str]
    languages: list[str]
    phone: str
    mobile: str
    email: str
    reachable_24_7: bool
    substitute_id: int | None
    term_end: date | None
    last_verified: date | None
    stale: bool


def _out(entry: FocalPoint) -> FocalPointOut:
    return FocalPointOut(
        id=entry.pk,
        name=entry.user.full_name or entry.user.username,
        name_ar=entry.user.full_name_ar,
        country=entry.country,
        agency=entry.agency.name_en,
        agency_kind=entry.agency.kind,
        position=entry.position,
        competences=entry.competence_list,
        languages=entry.language_list,
        phone=entry.phone,
        mobile=entry.mobile,
        email=entry.email,
        reachable_24_7=entry.reachable_24_7,
        substitute_id=entry.substitute_id,
        term_end=entry.term_end,
        last_verified=entry.last_verified,
        stale=entry.is_stale(),
    )


class DirectoryQuery(Schema):
    q: str = ""
    country: str = ""
    competence: str = ""
    language: str = ""
    network: int | None = None
    kind: str = ""
    stale: bool = False


@router.get("/focal-points", response=list[FocalPointOut], summary="Search the directory")
def focal_point_list(request: HttpRequest, filters: Query[DirectoryQuery]) -> list[FocalPointOut]:
    entries = selectors.focal_points_for(
        request.user,
        selectors.DirectoryFilters(
            q=filters.q[:100],
            country=filters.country.upper()[:2],
            competence=filters.competence,
            language=filters.language,
            network=filters.network,
            kind=filters.kind,
            stale=filters.stale,
        ),
    )[:500]
    return [_out(e) for e in entries]


@router.get("/focal-points/{entry_id}", response=FocalPointOut, summary="One directory entry")
def focal_point_get(request: HttpRequest, entry_id: int) -> FocalPointOut:
    return _out(access_focal_point(request.user, entry_id))


class ProfileOut(Schema):
    country: str
    version: int
    sha256: str
    content: dict[str, Any]


@router.get("/profiles/{country}", response=ProfileOut, summary="A country's current profile")
def profile_get(request: HttpRequest, country: str) -> ProfileOut:
    row = access_country_profile(request.user, country)
    return ProfileOut(
        country=str(row.country), version=row.version, sha256=row.sha256, content=row.content
    )


class FinderQuery(Schema):
    requesting: str
    requested: str
    request_type: str
    offence: str
    measure: str = ""
    urgent: bool = False


class BasisOut(Schema):
    kind: str
    code: str
    label: str
    since: str | None
    verified: bool


class FinderOut(Schema):
    authority: dict[str, Any] | None
    channels: list[str]
    urgent_channel: str
    languages: list[str]
    legal_bases: list[BasisOut]
    reciprocity_only: bool
    measure: dict[str, Any] | None
    content_requirements: list[str]
    focal_points: list[FocalPointOut]
    warnings: list[str]


def _form_errors(form: Any) -> str:
    return "; ".join(f"{field}: {errors[0]}" for field, errors in form.errors.items())


@router.post("/finder", response=FinderOut, summary="Where to send a request (reads only)")
def finder_post(request: HttpRequest, query: FinderQuery) -> FinderOut:
    form = FinderForm(query.dict() | {"urgent": query.urgent or ""})
    if not form.is_valid():
        raise HttpError(422, _form_errors(form))
    data = form.cleaned_data
    result = finder.find(
        requesting=data["requesting"],
        requested=data["requested"],
        request_type=data["request_type"],
        measure=data["measure"],
        offence=data["offence"],
        urgent=data["urgent"],
    )
    return FinderOut(
        authority=result.authority,
        channels=result.channels,
        urgent_channel=result.urgent_channel,
        languages=result.languages,
        legal_bases=[
            BasisOut(kind=b.kind, code=b.code, label=b.label, since=b.since, verified=b.verified)
            for b in result.bases
        ],
        reciprocity_only=result.reciprocity_only,
        measure=result.measure_info,
        content_requirements=result.content_requirements,
        focal_points=[_out(e) for e in result.focal_points],
        warnings=[str(w) for w in result.warnings],
    )


class CompareQuery(Schema):
    first: str
    second: str
    measure: str
    request_type: str = "mla"


@router.post(
    "/compare", response=list[dict[str, Any]], summary="Two countries side by side (reads only)"
)
def compare_post(request: HttpRequest, query: CompareQuery) -> list[dict[str, Any]]:
    form = CompareForm(query.dict())
    if not form.is_valid():
        raise HttpError(422, _form_errors(form))
    data = form.cleaned_data
    return finder.compare(
        countries=[data["first"], data["second"]],
        measure=data["measure"],
        request_type=data["request_type"],
    )


class NetworkOut(Schema):
    id: int
    code: str
    name_en: str
    name_fr: str
    name_ar: str
    members: list[int]


@router.get("/networks", response=list[NetworkOut], summary="Networks and their members")
def network_list(request: HttpRequest) -> list[NetworkOut]:
    return [
        NetworkOut(
            id=n.pk,
            code=n.code,
            name_en=n.name_en,
            name_fr=n.name_fr,
            name_ar=n.name_ar,
            members=[m.focal_point_id for m in selectors.members_of(request.user, n)],
        )
        for n in selectors.networks_for(request.user)
    ]
