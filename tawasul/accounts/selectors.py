"""Reads for accounts, filtered by the same rules as the gateways."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from tawasul.accounts.models import ApiToken, User, UserRole
from tawasul.core.access import Need, has_role
from tawasul.core.roles import Role


def users_managed_by(actor: Any, *, query: str = "") -> QuerySet[User]:
    """The users a national admin manages (their own country), searchable by name."""
    if not has_role(actor, Role.NATIONAL_ADMIN):
        return User.objects.none()
    users = (
        User.objects.visible_to(actor, Need.CHANGE)
        .filter(country=actor.country)
        .select_related("agency")
        .prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
    )
    if query:
        from django.db.models import Q

        users = users.filter(
            Q(username__icontains=query)
            | Q(full_name__icontains=query)
            | Q(full_name_ar__icontains=query)
        )
    return users.order_by("username")


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
