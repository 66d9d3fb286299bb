"""Sign-in events are raised by Django and django-axes; they land in the audit log here."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record


def _target(username: str) -> dict[str, Any]:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return {"object_type": "user", "object_id": ""}
    return {"object_type": "user", "object_id": user.pk, "object_country": user.country or ""}


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(
        event_type=EventType.LOGIN_SUCCEEDED,
        actor=user,
        object_type="user",
        object_id=user.pk,
        object_country=user.country or "",
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            event_type=EventType.LOGOUT,
            actor=user,
            object_type="user",
            object_id=user.pk,
            object_country=user.country or "",
        )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        event_type=EventType.LOGIN_FAILED, details={"username": username}, **_target(username)
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    audit_record(
        event_type=EventType.LOGIN_LOCKED_OUT,
        details={"username": username[:150]},
        **_target(username),
    )
