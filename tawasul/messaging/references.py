"""What a thread may be about: a typed reference (kind + id) to an object of another app,
validated through that app's own gateway when the thread is opened, so a user can only point
a thread at something they may see.

Meetings (action plans) and cooperation requests; a new kind is one line each here, naming
its gateway and page.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


class ReferenceKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    REQUEST = "request", _("Cooperation request")


@dataclass(frozen=True)
class _Resolver:
    module: str
    gateway: str
    url_name: str


_RESOLVERS: dict[str, _Resolver] = {
    ReferenceKind.MEETING: _Resolver(
        "tawasul.actionplans.access", "access_meeting", "actionplans:meeting_detail"
    ),
    ReferenceKind.REQUEST: _Resolver(
        "tawasul.cooperation.access", "access_request", "cooperation:detail"
    ),
}


def _gateway(kind: str) -> Any:
    resolver = _RESOLVERS.get(kind)
    if resolver is None:
        return None
    try:
        module = importlib.import_module(resolver.module)
    except ImportError:
        return None
    return getattr(module, resolver.gateway, None)


def is_available(kind: str) -> bool:
    return _gateway(kind) is not None


def resolve(user: Any, kind: str, object_id: int) -> Any | None:
    """The referenced object if it exists and ``user`` may see it (through its app's
    gateway, which audits a refusal); otherwise None."""
    gateway = _gateway(kind)
    if gateway is None:
        return None
    try:
        return gateway(user, object_id)
    except Http404:
        return None


def url_of(kind: str, object_id: int) -> str:
    resolver = _RESOLVERS.get(kind)
    if resolver is None:
        return ""
    try:
        return reverse(resolver.url_name, args=[object_id])
    except NoReverseMatch:
        return ""


def meeting_choices(user: Any) -> list[tuple[str, str]]:
    """Meetings a thread can be about (every signed-in user sees meetings)."""
    if not is_available(ReferenceKind.MEETING):
        return []
    from django.apps import apps

    try:
        meeting_model = apps.get_model("actionplans", "Meeting")
    except LookupError:
        return []
    meetings = meeting_model.objects.visible_to(user).order_by("-start_date")[:200]
    return [(str(m.pk), str(m)) for m in meetings]


def request_choices(user: Any) -> list[tuple[str, str]]:
    """Cooperation requests a thread can be about: those the user sees (never a draft of
    another country — the requests' own visibility rule)."""
    if not is_available(ReferenceKind.REQUEST):
        return []
    from django.apps import apps

    try:
        request_model = apps.get_model("cooperation", "CooperationRequest")
    except LookupError:
        return []
    rows = request_model.objects.visible_to(user).order_by("-updated_at")[:200]
    return [(str(r.pk), f"{r.reference} — {r.get_request_type_display()}") for r in rows]
