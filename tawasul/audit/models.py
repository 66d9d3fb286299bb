"""An append-only, hash-chained audit log.

Every entry carries the SHA-256 of the previous one, so an edited, deleted, reordered or
removed entry breaks the chain (``manage.py audit_verify``). The ORM refuses updates and
deletes; on PostgreSQL a trigger refuses them too (migration 0002).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class EventType(models.TextChoices):
    LOGIN_SUCCEEDED = "login.succeeded", _("Sign-in succeeded")
    LOGIN_FAILED = "login.failed", _("Sign-in failed")
    LOGIN_LOCKED_OUT = "login.locked_out", _("Account locked after failed sign-ins")
    LOGOUT = "logout", _("Signed out")
    SESSION_EXPIRED = "session.expired", _("Session expired")
    MFA_ENROLLED = "mfa.enrolled", _("Two-factor authentication enrolled")
    MFA_VERIFIED = "mfa.verified", _("Two-factor code accepted")
    MFA_FAILED = "mfa.failed", _("Two-factor code refused")
    MFA_RECOVERY_USED = "mfa.recovery_used", _("Recovery code used")
    MFA_RECOVERY_REGENERATED = "mfa.recovery_regenerated", _("Recovery codes regenerated")
    MFA_RESET = "mfa.reset", _("Two-factor authentication reset")
    USER_CREATED = "user.created", _("User created")
    USER_UPDATED = "user.updated", _("User updated")
    USER_ROLES_CHANGED = "user.roles_changed", _("User roles changed")
    USER_DISABLED = "user.disabled", _("User disabled")
    USER_ENABLED = "user.enabled", _("User enabled")
    USER_LANGUAGE_CHANGED = "user.language_changed", _("Language changed")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    API_TOKEN_REJECTED = "api_token.rejected", _("API token refused")
    ACCESS_DENIED = "access.denied", _("Access denied")
    AGENCY_CREATED = "agency.created", _("Agency created")
    DEMO_SEEDED = "demo.seeded", _("Demo data loaded")
    BACKUP_CREATED = "backup.created", _("Backup made")
    BACKUP_RESTORED = "backup.restored", _("Backup restored")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Command line")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def visible_to(self, user: Any) -> AuditEventQuerySet:
        """Oversight users see events whose actor or object belongs to their country
        (an organisation's oversight: that organisation's events); everybody else nothing."""
        from tawasul.core.access import has_role
        from tawasul.core.roles import Role

        if not has_role(user, Role.OVERSIGHT):
            return self.none()
        if user.country:
            return self.filter(
                models.Q(actor_country=user.country) | models.Q(object_country=user.country)
            )
        if user.organisation:
            return self.filter(actor_organisation=user.organisation)
        return self.none()


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_country = models.CharField(max_length=2, blank=True, db_index=True)
    actor_organisation = models.CharField(max_length=20, blank=True)
    actor_agency = models.CharField(max_length=255, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    request_id = models.CharField(max_length=64, blank=True)
    # Text, not inet: PostgreSQL would rewrite some IPv6 forms and break the hash.
    ip_address = models.CharField(max_length=45, blank=True)
    # No choices: each app registers its own event types (tawasul.audit.events), so a new
    # event needs no audit migration.
    event_type = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_country = models.CharField(max_length=2, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    @property
    def event_label(self) -> str:
        from tawasul.audit.events import event_label

        return event_label(self.event_type)

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field but the hash itself, in a fixed order."""
        payload = {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "actor_country": self.actor_country,
            "actor_organisation": self.actor_organisation,
            "actor_agency": self.actor_agency,
            "channel": self.channel,
            "request_id": self.request_id,
            "ip_address": self.ip_address,
            "event_type": self.event_type,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_country": self.object_country,
            "changes": self.changes,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class AuditChainHead(models.Model):
    """One row: the newest entry's seq and hash.

    Appends lock this row, which serialises writers, and it lets ``audit_verify`` notice
    entries cut from the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head #{self.seq}"
