"""Secure messaging: case-based threads between counterparts of several countries.

A thread is case content. Only its active participants see it (a successor replaces a
predecessor after a handover); coordinators, national administrators and oversight users never
do. Every message carries a handling code and evaluation codes; the thread shows the most
restrictive code of its messages. Attachments are stored encrypted, with their SHA-256.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tawasul.core.access import Need, ScopedQuerySet, can_read_case_content
from tawasul.core.handling import (
    HandledItem,
    HandlingCode,
)
from tawasul.messaging.references import ReferenceKind


class ThreadQuerySet(ScopedQuerySet["Thread"]):
    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> ThreadQuerySet:
        """The threads the user actively takes part in; nothing for anyone who may not read
        case content (coordinators, national administrators, oversight)."""
        if not can_read_case_content(user):
            return self.none()
        active = Participant.objects.filter(
            thread=models.OuterRef("pk"), user=user, left_at__isnull=True
        )
        return self.filter(models.Exists(active))


class Thread(models.Model):
    subject = models.CharField(_("subject"), max_length=200)
    # The country of the participant who opened it (audit scoping; ownership is shared).
    country = models.CharField(_("opened by country"), max_length=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The most restrictive handling code of its messages, kept up to date on each message.
    handling_code = models.CharField(
        _("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # What the thread is about, if anything: a typed reference validated through the other
    # app's gateway when the thread is opened (see references.py).
    reference_kind = models.CharField(
        _("about"), max_length=20, choices=ReferenceKind.choices, blank=True
    )
    reference_id = models.PositiveBigIntegerField(null=True, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(reference_kind="") & models.Q(reference_id__isnull=True))
                | (~models.Q(reference_kind="") & models.Q(reference_id__isnull=False)),
                name="messaging_reference_kind_and_id",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Participant(models.Model):
    """A user taking part in a thread, with their delivery and read position."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="thread_participations"
    )
    country = models.CharField(_("country"), max_length=2)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # Message ids are increasing: everything up to these ids was delivered / read.
    last_delivered_message_id = models.BigIntegerField(default=0)
    last_read_message_id = models.BigIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["country", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"],
                condition=models.Q(left_at__isnull=True),
                name="messaging_one_active_participation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}:{self.user_id}"


class MessageQuerySet(ScopedQuerySet["Message"]):
    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> MessageQuerySet:
        return self.filter(thread__in=Thread.objects.visible_to(user, need))


class Message(HandledItem):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender_country = models.CharField(max_length=2)
    body = models.TextField(_("message"))
    # The message as first written, when this one is a forwarded copy: its originator keeps
    # the say on passing it on.
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forwards"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(handling_code="H3") | ~models.Q(restriction=""),
                name="messaging_h3_states_restriction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.pk}"

    @property
    def root(self) -> Message:
        return self.origin or self

    @property
    def is_h1(self) -> bool:
        return self.handling_code == HandlingCode.H1


class AttachmentQuerySet(ScopedQuerySet["Attachment"]):
    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> AttachmentQuerySet:
        return self.filter(message__thread__in=Thread.objects.visible_to(user, need))


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    # A random name under MEDIA_ROOT/messaging/; never derived from the user's file name.
    storage_name = models.CharField(max_length=80, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class PermissionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the originator")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ForwardPermissionQuerySet(ScopedQuerySet["ForwardPermission"]):
    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> ForwardPermissionQuerySet:
        """Visible to whoever sees the message it is about (the originator's side), and to
        the requester (who may hold only a forwarded copy)."""
        if not can_read_case_content(user):
            return self.none()
        return self.filter(
            models.Q(message__thread__in=Thread.objects.visible_to(user, need))
            | models.Q(requested_by=user)
        )


class ForwardPermission(models.Model):
    """The originator's permission to pass an H2 message (and its attachments) to a country
    that was not party to the thread."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="forward_permissions"
    )
    country = models.CharField(_("country"), max_length=2)
    reason = models.CharField(_("reason"), max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=PermissionStatus.choices, default=PermissionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ForwardPermissionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("forwarding permission")
        verbose_name_plural = _("forwarding permissions")

    def __str__(self) -> str:
        return f"{self.message_id}→{self.country} ({self.status})"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("An e-mail for each new message")
    DAILY = "daily", _("One daily digest")
    NONE = "none", _("No e-mail (in-app notifications only)")


class MessagingPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_preference"
    )
    email_mode = models.CharField(
        _("e-mail notifications"),
        max_length=10,
        choices=EmailMode.choices,
        default=EmailMode.IMMEDIATE,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("messaging preference")
        verbose_name_plural = _("messaging preferences")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.email_mode}"
