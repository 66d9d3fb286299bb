"""Reading the audit log: oversight users only, scoped to their country or organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import QuerySet

from tawasul.audit.models import AuditEvent


@dataclass(frozen=True)
class EventFilter:
    event_type: str = ""
    actor: str = ""
    object_type: str = ""
    date_from: date | None = None
    date_to: date | None = None


def events_visible_to(user: Any, filters: EventFilter | None = None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.visible_to(user)
    f = filters or EventFilter()
    if f.event_type:
        events = events.filter(event_type=f.event_type)
    if f.actor:
        events = events.filter(actor_username__icontains=f.actor)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.date_from:
        events = events.filter(created_at__gte=datetime.combine(f.date_from, time.min, tzinfo=UTC))
    if f.date_to:
        events = events.filter(created_at__lte=datetime.combine(f.date_to, time.max, tzinfo=UTC))
    return events.order_by("-seq")
