"""Reads for action plans, filtered by the same rules as the gateways."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from tawasul.actionplans.models import (
    ActionQuerySet,
    FollowUpAction,
    Meeting,
    OwnerKind,
    Participation,
    Priority,
    Programme,
    Recommendation,
)
from tawasul.core.access import Need

_PRIORITY_RANK = Case(
    When(priority=Priority.HIGH, then=Value(0)),
    When(priority=Priority.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user, Need.VIEW).order_by("name_en")


def meetings_visible_to(user: Any, *, programme: Programme | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.visible_to(user, Need.VIEW).select_related("programme")
    if programme is not None:
        meetings = meetings.filter(programme=programme)
    return meetings.order_by("-start_date", "pk")


def recommendations_visible_to(
    user: Any, *, meeting: Meeting | None = None
) -> QuerySet[Recommendation]:
    recs = Recommendation.objects.visible_to(user, Need.VIEW).select_related("meeting")
    if meeting is not None:
        recs = recs.filter(meeting=meeting)
    return recs.order_by("meeting_id", "number")


def actions_visible_to(
    user: Any,
    *,
    programme: Programme | None = None,
    meeting: Meeting | None = None,
    recommendation: Recommendation | None = None,
    country: str | None = None,
    status: str = "",
    overdue: bool = False,
    year: int | None = None,
) -> ActionQuerySet:
    """Actions the user may see, narrowed; ``country=""`` means the network's own actions."""
    actions: ActionQuerySet = FollowUpAction.objects.visible_to(user, Need.VIEW).select_related(
        "recommendation__meeting__programme", "agency"
    )
    if programme is not None:
        actions = actions.filter(recommendation__meeting__programme=programme)
    if meeting is not None:
        actions = actions.filter(recommendation__meeting=meeting)
    if recommendation is not None:
        actions = actions.filter(recommendation=recommendation)
    if country is not None:
        actions = actions.filter(country=country)
    if status:
        actions = actions.filter(status=status)
    if overdue:
        actions = actions.overdue()
    if year is not None:
        # An annual report covers what fell due, or was done, that year.
        actions = actions.filter(Q(due_date__year=year) | Q(completed_on__year=year))
    return actions.order_by("due_date", "pk")


def actions_owed_by(user: Any) -> ActionQuerySet:
    """What the user's side owes: their country's actions (its agencies' included), or for
    staff of an organisation, the network's."""
    country = str(getattr(user, "country", "") or "")
    actions = actions_visible_to(user)
    if country:
        return actions.filter(country=country).exclude(owner_kind=OwnerKind.NETWORK)
    return actions.filter(owner_kind=OwnerKind.NETWORK)


def by_priority(actions: ActionQuerySet) -> ActionQuerySet:
    return actions.annotate(priority_rank=_PRIORITY_RANK).order_by(
        "priority_rank", "due_date", "pk"
    )


def participation_of(
    user: Any,
    *,
    meeting: Meeting | None = None,
    programme: Programme | None = None,
    year: int | None = None,
) -> QuerySet[Participation]:
    rows = Participation.objects.visible_to(user, Need.VIEW).select_related("meeting")
    if meeting is not None:
        rows = rows.filter(meeting=meeting)
    if programme is not None:
        rows = rows.filter(meeting__programme=programme)
    if year is not None:
        rows = rows.filter(meeting__start_date__year=year)
    return rows


def today() -> datetime.date:
    return timezone.localdate()
