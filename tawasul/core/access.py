"""The one country-and-role scoping mechanism every app builds its gateways on.

Rules (deny by default):
- an anonymous or disabled user sees nothing;
- case content (requests, messages, person and victim records) is visible only to users who
  hold a case role and none of the coordinator, national-admin or oversight roles;
- a country-owned object is visible to users of that country unless a model widens it
  (for instance a transmitted request, visible to the requested country) in its own
  ``visible_to``;
- a foreign object and a missing one give the same 404, and the refusal is audited.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Generic, TypeAlias, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404

from tawasul.core.roles import CASE_ROLES, NO_CASE_CONTENT_ROLES, Role

# A signed-in User, an AnonymousUser or None; kept loose because request.user is any of them.
AnyUser: TypeAlias = Any


class Need(StrEnum):
    """What the caller is about to do with the object."""

    VIEW = "view"
    CHANGE = "change"


def is_active_user(user: AnyUser) -> bool:
    """Whether ``user`` is a signed-in, enabled account (False for None, anonymous, disabled)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def user_roles(user: AnyUser) -> frozenset[str]:
    """The roles ``user`` holds; empty for an anonymous or disabled user, so every role check
    denies them."""
    if not is_active_user(user):
        return frozenset()
    return frozenset(user.role_set)


def has_role(user: AnyUser, role: Role) -> bool:
    """Whether ``user`` holds ``role`` (always False for an anonymous or disabled user)."""
    return role in user_roles(user)


def is_mfa_verified(user: AnyUser) -> bool:
    """Whether this request's user passed the second factor (django-otp's marker)."""
    return bool(is_active_user(user) and getattr(user, "is_verified", lambda: False)())


def can_read_case_content(user: AnyUser) -> bool:
    """True only for an active user of a country holding a case role and no excluding role."""
    roles = user_roles(user)
    if not roles or roles & NO_CASE_CONTENT_ROLES:
        return False
    return bool(roles & CASE_ROLES) and bool(getattr(user, "country", ""))


_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M], Generic[_M]):
    """A queryset that knows who may see its rows.

    Subclasses set ``owner_country_field`` and ``case_content``; a model whose visibility is
    richer overrides ``visible_to`` and calls ``super()`` for the common rules.
    """

    owner_country_field: str = "country"
    case_content: bool = True

    def visible_to(self, user: AnyUser, need: Need = Need.VIEW) -> ScopedQuerySet[_M]:
        if not is_active_user(user):
            return self.none()
        if self.case_content and not can_read_case_content(user):
            return self.none()
        country = str(getattr(user, "country", "") or "")
        if not country:
            return self.none()
        return self.filter(**{self.owner_country_field: country})


def fetch_or_404(
    queryset: ScopedQuerySet[_M],
    user: AnyUser,
    object_id: object,
    *,
    need: Need,
    object_type: str,
) -> _M:
    """Return the object if ``user`` may ``need`` it; otherwise audit the refusal and 404.

    A missing object and a foreign one take the same path (one query, one audit write), so
    neither the answer nor its timing tells them apart.
    """
    try:
        return queryset.visible_to(user, need).get(pk=object_id)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        from tawasul.audit.services import audit_access_denied

        audit_access_denied(
            actor=user, object_type=object_type, object_id=str(object_id), need=str(need)
        )
        raise Http404 from None
