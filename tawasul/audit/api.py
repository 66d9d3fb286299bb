from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from tawasul.audit.selectors import EventFilter, events_visible_to
from tawasul.audit.services import audit_access_denied
from tawasul.core.access import has_role
from tawasul.core.roles import Role

router = Router(tags=["audit"])


class EventOut(Schema):
    seq: int
    created_at: datetime
    actor_username: str
    actor_country: str
    actor_organisation: str
    actor_agency: str
    channel: str
    request_id: str
    ip_address: str
    event_type: str
    object_type: str
    object_id: str
    object_country: str
    changes: dict[str, Any]
    details: dict[str, Any]
    prev_hash: str
    hash: str


class EventQuery(Schema):
    event_type: str = ""
    actor: str = ""
    object_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    limit: int = 100
    before_seq: int | None = None


@router.get("/events", response=list[EventOut], summary="Audit events (oversight role)")
def list_events(request: HttpRequest, query: Query[EventQuery]) -> list[Any]:
    if not has_role(request.user, Role.OVERSIGHT):
        audit_access_denied(
            actor=request.user, object_type="api", object_id="audit.events", need="role:oversight"
        )
        raise Http404
    events = events_visible_to(
        request.user,
        EventFilter(
            event_type=query.event_type,
            actor=query.actor,
            object_type=query.object_type,
            date_from=query.date_from,
            date_to=query.date_to,
        ),
    )
    if query.before_seq is not None:
        events = events.filter(seq__lt=query.before_seq)
    return list(events[: max(1, min(query.limit, 500))])
