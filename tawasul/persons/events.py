"""The audit event types of the person index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonsEvent(models.TextChoices):
    RECORD_CREATED = "persons.record_created", _("Person record created")
    RECORD_UPDATED = "persons.record_updated", _("Person record updated")
    RECORD_DELETED = "persons.record_deleted", _("Person record deleted")
    RECORDS_EXPORTED = "persons.records_exported", _("Person records exported")
    RECORDS_IMPORTED = "persons.records_imported", _("Person records imported")
    RECORD_REVIEWED = "persons.record_reviewed", _("Person record reviewed")
    SEARCH = "persons.search", _("Person index searched")
    SEARCH_RATE_LIMITED = "persons.search_rate_limited", _("Person search refused: rate limit")
    HIT = "persons.hit", _("Possible hit on a person record")
    HIT_CONFIRMED = "persons.hit_confirmed", _("Hit confirmed")
    HIT_REJECTED = "persons.hit_rejected", _("Hit rejected")
    NOTIFICATIONS_READ = "persons.notifications_read", _("Person index notifications read")
    SCREENING_UPLOADED = "persons.screening_uploaded", _("Screening list uploaded")
    SCREENING_QUEUED = "persons.screening_queued", _("Screening list queued")
    SCREENING_COMPLETED = "persons.screening_completed", _("Screening completed")
    SCREENING_FAILED = "persons.screening_failed", _("Screening failed")
    SCREENING_EXPORTED = "persons.screening_exported", _("Screening results exported")
    VICTIM_CREATED = "persons.victim_created", _("Victim record created")
    VICTIM_READ = "persons.victim_read", _("Victim record read")
    REFERRAL_SENT = "persons.referral_sent", _("Victim referral sent")
    REFERRAL_READ = "persons.referral_read", _("Victim referral read")
    REFERRAL_STATUS = "persons.referral_status", _("Victim referral status changed")
    VICTIM_IDENTIFICATION = (
        "persons.victim_identification",
        _("Cross-country victim identification searched"),
    )
