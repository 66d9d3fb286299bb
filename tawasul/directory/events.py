from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectoryEvent(models.TextChoices):
    AGENCY_UPDATED = "directory.agency_updated", _("Agency updated")
    FOCAL_POINT_CREATED = "directory.focal_point_created", _("Directory entry created")
    FOCAL_POINT_UPDATED = "directory.focal_point_updated", _("Directory entry updated")
    FOCAL_POINT_VERIFIED = "directory.focal_point_verified", _("Directory entry verified")
    STALE_REMINDERS_SENT = "directory.stale_reminders_sent", _("Stale-entry reminders sent")
    NETWORK_CREATED = "directory.network_created", _("Network created")
    NETWORK_MEMBER_ADDED = "directory.network_member_added", _("Network member added")
    NETWORK_MEMBER_REMOVED = "directory.network_member_removed", _("Network member removed")
    HANDOVER = "directory.handover", _("Focal point handover")
    PROFILE_LOADED = "directory.profile_loaded", _("Country profile loaded")
