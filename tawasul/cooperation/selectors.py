"""Reads of cooperation requests for pages, the API and exports: always through
``CooperationRequest.objects.visible_to``, so a list shows exactly what the gateway would open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tawasul.cooperation.lifecycle import OPEN_ABROAD
from tawasul.cooperation.models import CooperationRequest, RequestNotification, RequestTransition


@dataclass(frozen=True)
class RequestFilters:
    direction: str = ""  # "outgoing" | "incoming" | "" (both)
    status: str = ""
    request_type: str = ""
    country: str = ""  # the other side's country
    overdue: bool = False
    text: str = ""  # reference or either side's reference number


def requests_visible(
    user: Any, filters: RequestFilters | None = None
) -> QuerySet[CooperationRequest]:
    """The requests ``user`` may see, narrowed by ``filters``, newest change first."""
    filters = filters or RequestFilters()
    country = str(getattr(user, "country", "") or "")
    rows = CooperationRequest.objects.visible_to(user).select_related(
        "requesting_agency", "requested_agency"
    )
    if filters.direction == "outgoing":
        rows = rows.filter(requesting_country=country)
    elif filters.direction == "incoming":
        rows = rows.filter(requested_country=country)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.request_type:
        rows = rows.filter(request_type=filters.request_type)
    if filters.country:
        rows = rows.filter(
            Q(requesting_country=filters.country) | Q(requested_country=filters.country)
        )
    if filters.overdue:
        rows = rows.filter(status__in=OPEN_ABROAD, due_on__lt=timezone.localdate())
    text = filters.text.strip()
    if text:
        rows = rows.filter(
            Q(reference__icontains=text)
            | Q(requesting_reference__icontains=text)
            | Q(requested_reference__icontains=text)
        )
    return rows.order_by("-updated_at", "-pk")


def request_history(request: CooperationRequest) -> QuerySet[RequestTransition]:
    """The transitions of a request the caller already opened through the gateway."""
    return request.transitions.select_related("actor", "actor__agency").order_by("at", "pk")


def unread_notifications(user: Any) -> QuerySet[RequestNotification]:
    """The user's own unread request notifications, for requests they still see."""
    return (
        RequestNotification.objects.filter(user=user, read_at__isnull=True)
        .filter(request__in=CooperationRequest.objects.visible_to(user))
        .select_related("request", "transition")
    )
