"""The audit event types of cooperation requests. Their details name fields and statuses, never
the content (facts, names), so oversight can read the log without reading the case."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CooperationEvent(models.TextChoices):
    CREATED = "cooperation.created", _("Cooperation request drafted")
    UPDATED = "cooperation.updated", _("Cooperation request changed")
    PART_ADDED = "cooperation.part_added", _("Part added to a cooperation request")
    PART_REMOVED = "cooperation.part_removed", _("Part removed from a cooperation request")
    ATTACHMENT_ADDED = "cooperation.attachment_added", _("Attachment added to a request")
    ATTACHMENT_REMOVED = "cooperation.attachment_removed", _("Attachment removed from a request")
    ATTACHMENT_READ = "cooperation.attachment_read", _("Request attachment downloaded")
    DOCUMENT_GENERATED = "cooperation.document_generated", _("Formal request generated")
    DOCUMENT_READ = "cooperation.document_read", _("Formal request downloaded")
    TRANSITION = "cooperation.transition", _("Cooperation request status changed")
    ASSIGNED = "cooperation.assigned", _("Focal point assigned to a request")
    REMINDER = "cooperation.reminder", _("Overdue request reminder sent")
    EXPORTED = "cooperation.exported", _("Request figures exported")
    NOTIFICATIONS_READ = "cooperation.notifications_read", _("Request notifications read")
