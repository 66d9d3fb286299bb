"""Gateways: the only way a view or API handler reaches an action-plans object.

Everything here is visible to every signed-in user; ``Need.CHANGE`` narrows it to who may
change it (coordinators for programmes, meetings and recommendations; the owning country's
users for a country's or an agency's action; coordinators for the network's actions).
"""

from __future__ import annotations

from typing import Any

from tawasul.actionplans.models import (
    FollowUpAction,
    Meeting,
    MeetingDocument,
    Programme,
    ProgressUpdate,
    Recommendation,
)
from tawasul.core.access import Need, fetch_or_404


def access_programme(user: Any, programme_id: object, *, need: Need = Need.VIEW) -> Programme:
    """A programme: every signed-in user may VIEW it; CHANGE is for coordinators only. Anyone
    else (anonymous, disabled, or a non-coordinator asking CHANGE) gets the audited 404."""
    return fetch_or_404(
        Programme.objects.all(), user, programme_id, need=need, object_type="programme"
    )


def access_meeting(user: Any, meeting_id: object, *, need: Need = Need.VIEW) -> Meeting:
    """A meeting: every signed-in user may VIEW it; CHANGE is for coordinators only. Anyone
    else (anonymous, disabled, or a non-coordinator asking CHANGE) gets the audited 404."""
    return fetch_or_404(
        Meeting.objects.select_related("programme"),
        user,
        meeting_id,
        need=need,
        object_type="meeting",
    )


def access_recommendation(
    user: Any, recommendation_id: object, *, need: Need = Need.VIEW
) -> Recommendation:
    """A recommendation: every signed-in user may VIEW it; CHANGE is for coordinators only.
    Anyone else (anonymous, disabled, or a non-coordinator asking CHANGE) gets the audited 404."""
    return fetch_or_404(
        Recommendation.objects.select_related("meeting__programme"),
        user,
        recommendation_id,
        need=need,
        object_type="recommendation",
    )


def access_action(user: Any, action_id: object, *, need: Need = Need.VIEW) -> FollowUpAction:
    """A follow-up action: every signed-in user may VIEW it. CHANGE: for a country's or an
    agency's action, that country's case-role users and national admin; for a network action, a
    coordinator. Anyone else gets the same audited 404 as for a missing action."""
    return fetch_or_404(
        FollowUpAction.objects.select_related("recommendation__meeting__programme", "agency"),
        user,
        action_id,
        need=need,
        object_type="followup_action",
    )


def access_progress_update(
    user: Any, update_id: object, *, need: Need = Need.VIEW
) -> ProgressUpdate:
    """A progress update (and its evidence file): readable by whoever may read its action."""
    return fetch_or_404(
        ProgressUpdate.objects.select_related("action"),
        user,
        update_id,
        need=need,
        object_type="progress_update",
    )


def access_meeting_document(
    user: Any, document_id: object, *, need: Need = Need.VIEW
) -> MeetingDocument:
    """A meeting document: every signed-in user may VIEW it; CHANGE is for coordinators only.
    Anyone else (anonymous, disabled, or a non-coordinator asking CHANGE) gets the audited 404."""
    return fetch_or_404(
        MeetingDocument.objects.all(), user, document_id, need=need, object_type="meeting_document"
    )
