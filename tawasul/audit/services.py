"""Writing to the audit log. Every write service calls ``audit_record`` inside its own
transaction, so the action and its trace commit or roll back together."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from tawasul.audit.context import current_context, current_request_id
from tawasul.audit.events import is_registered
from tawasul.audit.models import AuditChainHead, AuditEvent, EventType

_SECRET_FIELD = re.compile(r"(password|secret|token|key|otp|recovery|code_hash)", re.IGNORECASE)
MASK = "***"


def mask_secrets(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Replace the old and new values of secret-looking fields by a mask."""
    masked: dict[str, Any] = {}
    for field, value in changes.items():
        if _SECRET_FIELD.search(field):
            masked[field] = [MASK, MASK] if isinstance(value, list | tuple) else MASK
        else:
            masked[field] = list(value) if isinstance(value, tuple) else value
    return masked


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def audit_record(
    *,
    event_type: str,
    actor: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    object_country: str = "",
    changes: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry to the chain; call it inside the transaction of the action it records.

    ``changes`` maps a field to ``(old, new)``; secret fields are masked before hashing.
    """
    if not is_registered(event_type):
        # A typo here would write an event nobody can filter for: fail loudly in development.
        raise ValueError(f"unregistered audit event type {event_type!r}")
    ctx = current_context()
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor_obj,
            actor_username=actor_obj.username if actor_obj else "",
            actor_country=str(actor_obj.country or "") if actor_obj else "",
            actor_organisation=(actor_obj.organisation or "") if actor_obj else "",
            actor_agency=str(actor_obj.agency) if actor_obj and actor_obj.agency_id else "",
            channel=ctx.channel,
            request_id=current_request_id()[:64],
            ip_address=ctx.ip_address,
            event_type=event_type,
            object_type=object_type,
            object_id=str(object_id),
            object_country=str(object_country or ""),
            changes=_jsonable(mask_secrets(changes or {})),
            details=_jsonable(details or {}),
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save()
        # The head is not an audit event: it moves forward with every append.
        AuditChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


def audit_access_denied(*, actor: Any, object_type: str, object_id: str, need: str) -> AuditEvent:
    """Record a refused or not-found access; committed even though the request then 404s."""
    return audit_record(
        event_type=EventType.ACCESS_DENIED,
        actor=actor,
        object_type=object_type,
        object_id=object_id[:64],
        details={"need": need},
    )
