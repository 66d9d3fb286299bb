"""JSON API for action plans: read meetings, recommendations and actions; owners report
progress on their own actions. Everything goes through the gateways and services."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from tawasul.actionplans import selectors, services
from tawasul.actionplans.access import access_action, access_meeting, access_recommendation
from tawasul.actionplans.models import FollowUpAction, Meeting, Programme, Recommendation
from tawasul.core.access import Need
from tawasul.core.errors import ServiceError

router = Router(tags=["actionplans"])
MAX_LIMIT = 500


class ProgrammeOut(Schema):
    id: int
    code: str
    name_en: str
    name_fr: str
    name_ar: str


class MeetingOut(Schema):
    id: int
    programme: str
    kind: str
    title_en: str
    title_fr: str
    title_ar: str
    start_date: datetime.date
    end_date: datetime.date
    place: str
    place_country: str
    organisers: str
    funding_partners: str
    participants_women: int
    participants_men: int
    participants_unspecified: int


class RecommendationOut(Schema):
    id: int
    meeting_id: int
    number: int
    text_en: str
    text_fr: str
    text_ar: str


class ActionOut(Schema):
    id: int
    recommendation_id: int
    meeting_id: int
    description: str
    owner_kind: str
    country: str
    agency_id: int | None
    due_date: datetime.date
    priority: str
    status: str
    indicator: str
    completed_on: datetime.date | None
    overdue: bool


class ProgressIn(Schema):
    status: str
    text: str
    evidence: str = ""


class ActionQuery(Schema):
    country: str | None = None
    status: str = ""
    overdue: bool = False
    mine: bool = False
    meeting_id: int | None = None
    limit: int = 100
    offset: int = 0


def _programme(p: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=p.pk, code=p.code, name_en=p.name_en, name_fr=p.name_fr, name_ar=p.name_ar
    )


def _meeting(m: Meeting) -> MeetingOut:
    rows = list(m.participations.all())
    return MeetingOut(
        id=m.pk,
        programme=m.programme.code,
        kind=m.kind,
        title_en=m.title_en,
        title_fr=m.title_fr,
        title_ar=m.title_ar,
        start_date=m.start_date,
        end_date=m.end_date,
        place=m.place,
        place_country=str(m.place_country or ""),
        organisers=m.organisers,
        funding_partners=m.funding_partners,
        participants_women=sum(r.women for r in rows),
        participants_men=sum(r.men for r in rows),
        participants_unspecified=sum(r.unspecified for r in rows),
    )


def _recommendation(r: Recommendation) -> RecommendationOut:
    return RecommendationOut(
        id=r.pk,
        meeting_id=r.meeting_id,
        number=r.number,
        text_en=r.text_en,
        text_fr=r.text_fr,
        text_ar=r.text_ar,
    )


def _action(a: FollowUpAction, today: datetime.date) -> ActionOut:
    return ActionOut(
        id=a.pk,
        recommendation_id=a.recommendation_id,
        meeting_id=a.recommendation.meeting_id,
        description=a.description,
        owner_kind=a.owner_kind,
        country=str(a.country or ""),
        agency_id=a.agency_id,
        due_date=a.due_date,
        priority=a.priority,
        status=a.status,
        indicator=a.indicator,
        completed_on=a.completed_on,
        overdue=a.is_overdue(today),
    )


def _page(limit: int, offset: int) -> slice:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, 1_000_000))
    return slice(offset, offset + limit)


@router.get("/programmes", response=list[ProgrammeOut], summary="Programmes")
def list_programmes(request: HttpRequest) -> list[ProgrammeOut]:
    return [_programme(p) for p in selectors.programmes_visible_to(request.user)]


@router.get("/meetings", response=list[MeetingOut], summary="Meetings, newest first")
def list_meetings(request: HttpRequest, limit: int = 100, offset: int = 0) -> list[MeetingOut]:
    meetings = selectors.meetings_visible_to(request.user).prefetch_related("participations")
    return [_meeting(m) for m in meetings[_page(limit, offset)]]


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="One meeting")
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingOut:
    return _meeting(access_meeting(request.user, meeting_id))


@router.get("/recommendations", response=list[RecommendationOut], summary="Recommendations")
def list_recommendations(
    request: HttpRequest, meeting_id: int | None = None, limit: int = 100, offset: int = 0
) -> list[RecommendationOut]:
    meeting = access_meeting(request.user, meeting_id) if meeting_id is not None else None
    recs = selectors.recommendations_visible_to(request.user, meeting=meeting)
    return [_recommendation(r) for r in recs[_page(limit, offset)]]


@router.get(
    "/recommendations/{recommendation_id}", response=RecommendationOut, summary="One recommendation"
)
def get_recommendation(request: HttpRequest, recommendation_id: int) -> RecommendationOut:
    return _recommendation(access_recommendation(request.user, recommendation_id))


@router.get("/actions", response=list[ActionOut], summary="Follow-up actions")
def list_actions(request: HttpRequest, query: Query[ActionQuery]) -> list[ActionOut]:
    """``mine=true``: what the caller's country (or, for an organisation, the network) owes;
    ``country=`` an ISO code, or empty for the network's own actions."""
    meeting = access_meeting(request.user, query.meeting_id) if query.meeting_id else None
    if query.mine:
        actions: Any = selectors.actions_owed_by(request.user)
        if query.status:
            actions = actions.filter(status=query.status)
        if query.overdue:
            actions = actions.overdue()
        if meeting is not None:
            actions = actions.filter(recommendation__meeting=meeting)
    else:
        actions = selectors.actions_visible_to(
            request.user,
            meeting=meeting,
            country=query.country.upper() if query.country is not None else None,
            status=query.status,
            overdue=query.overdue,
        )
    today = timezone.localdate()
    return [_action(a, today) for a in actions[_page(query.limit, query.offset)]]


@router.get("/actions/{action_id}", response=ActionOut, summary="One follow-up action")
def get_action(request: HttpRequest, action_id: int) -> ActionOut:
    return _action(access_action(request.user, action_id), timezone.localdate())


@router.post(
    "/actions/{action_id}/progress",
    response=ActionOut,
    summary="Report progress and set the status of one of your own actions",
)
def report_progress(request: HttpRequest, action_id: int, payload: ProgressIn) -> ActionOut:
    action = access_action(request.user, action_id, need=Need.CHANGE)
    try:
        services.action_report_progress(
            actor=request.user,  # type: ignore[arg-type]
            action=action,
            status=payload.status,
            text=payload.text,
            evidence=payload.evidence,
        )
    except ServiceError as error:
        raise HttpError(400, error.message) from None
    return _action(action, timezone.localdate())
