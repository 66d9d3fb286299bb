"""Users, their roles, their sessions and their API tokens."""

from __future__ import annotations

import hashlib
from functools import cached_property
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tawasul.core.access import Need, ScopedQuerySet, has_role, is_active_user
from tawasul.core.roles import Organisation, Role


class UserQuerySet(ScopedQuerySet["User"]):
    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> UserQuerySet:
        """National admins: their country's users. Anyone: themselves."""
        if not is_active_user(user):
            return self.none()
        if has_role(user, Role.NATIONAL_ADMIN) and user.country:
            return self.filter(models.Q(country=user.country) | models.Q(pk=user.pk))
        if need == Need.VIEW:
            return self.filter(pk=user.pk)
        return self.none()


class TawasulUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    country = CountryField(_("country"), blank=True, db_index=True)
    organisation = models.CharField(
        _("organisation"), max_length=20, choices=Organisation.choices, blank=True
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("full name (Latin script)"), max_length=255, blank=True)
    full_name_ar = models.CharField(_("full name (Arabic script)"), max_length=255, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    objects: ClassVar[TawasulUserManager] = TawasulUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country="") | models.Q(organisation=""),
                name="user_country_or_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("role", flat=True))

    def display_name(self, language: str | None = None) -> str:
        if (language or "")[:2] == "ar" and self.full_name_ar:
            return self.full_name_ar
        return self.full_name or self.full_name_ar or self.username

    @property
    def affiliation(self) -> str:
        if self.country:
            return str(self.country.name)
        return self.get_organisation_display()


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]
        verbose_name = _("role")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class UserSession(models.Model):
    """Which server-side sessions belong to whom, so disabling a user can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}…"


def hash_api_secret(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is enough: no dictionary to attack.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(ScopedQuerySet["ApiToken"]):
    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> ApiTokenQuerySet:
        """A user reaches their own tokens only, whatever their role."""
        if not is_active_user(user):
            return self.none()
        return self.filter(user=user)

    def usable(self) -> ApiTokenQuerySet:
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
