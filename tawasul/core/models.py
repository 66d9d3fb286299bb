"""Core models: what no single app owns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotentResponse(models.Model):
    """The answer to an API POST sent with an ``Idempotency-Key`` header, kept 24 hours so a
    retry with the same key gets it again instead of a second write (tawasul.core.idempotency).

    One row per user and key (the unique constraint serialises concurrent retries); the
    response body is encrypted at rest, as it may quote case content."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    body_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=200, blank=True)
    response_body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotent response")
        verbose_name_plural = _("idempotent responses")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_response_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
