"""The audit event types of secure messaging."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessagingEvent(models.TextChoices):
    THREAD_CREATED = "messaging.thread_created", _("Message thread created")
    MESSAGE_POSTED = "messaging.message_posted", _("Message posted")
    MESSAGE_FORWARDED = "messaging.message_forwarded", _("Message forwarded")
    PARTICIPANT_ADDED = "messaging.participant_added", _("Participant added to a thread")
    THREAD_READ = "messaging.thread_read", _("Messages read")
    ATTACHMENT_STORED = "messaging.attachment_stored", _("Attachment stored")
    ATTACHMENT_DOWNLOADED = "messaging.attachment_downloaded", _("Attachment downloaded")
    ATTACHMENT_INTEGRITY_FAILED = (
        "messaging.attachment_integrity_failed",
        _("Attachment failed its integrity check"),
    )
    THREAD_EXPORTED = "messaging.thread_exported", _("Message thread exported")
    PERMISSION_REQUESTED = "messaging.permission_requested", _("Forwarding permission requested")
    PERMISSION_GRANTED = "messaging.permission_granted", _("Forwarding permission granted")
    PERMISSION_REFUSED = "messaging.permission_refused", _("Forwarding permission refused")
    PREFERENCES_CHANGED = (
        "messaging.preferences_changed",
        _("Message notification settings changed"),
    )
    DIGEST_SENT = "messaging.digest_sent", _("Daily message digest sent")
    THREAD_ARCHIVED = "messaging.thread_archived", _("Message thread archived")
    THREAD_DELETED = (
        "messaging.thread_deleted",
        _("Message thread deleted under the retention policy"),
    )
