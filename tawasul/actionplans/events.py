"""Audit event types written by the action-plans app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionPlanEvent(models.TextChoices):
    PROGRAMME_CREATED = "actionplans.programme_created", _("Programme created")
    MEETING_CREATED = "actionplans.meeting_created", _("Meeting created")
    PARTICIPATION_RECORDED = (
        "actionplans.participation_recorded",
        _("Meeting participation recorded"),
    )
    DOCUMENT_ADDED = "actionplans.document_added", _("Meeting document added")
    RECOMMENDATION_CREATED = "actionplans.recommendation_created", _("Recommendation adopted")
    ACTION_CREATED = "actionplans.action_created", _("Follow-up action created")
    ACTION_UPDATED = "actionplans.action_updated", _("Follow-up action progress reported")
    ACTION_REMINDED = "actionplans.action_reminded", _("Follow-up action reminder sent")
