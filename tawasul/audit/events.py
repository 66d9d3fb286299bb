"""The event types every app may write, for display and for the oversight filter.

The audit app's own types are in ``EventType``; another app declares a ``TextChoices`` of its
own (values ``"<app>.<event>"``) and registers it in its ``AppConfig.ready``:

    from tawasul.audit.events import register_event_types
    register_event_types(MessagingEvent)
"""

from __future__ import annotations

from django.db import models

_REGISTRY: dict[str, str] = {}
_ENUMS: list[type[models.TextChoices]] = []


def register_event_types(enum: type[models.TextChoices]) -> None:
    if enum not in _ENUMS:
        _ENUMS.append(enum)


def all_event_choices() -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for enum in _ENUMS:
        choices.extend((str(value), str(label)) for value, label in enum.choices)
    return choices


def event_label(code: str) -> str:
    for enum in _ENUMS:
        if code in enum.values:
            return str(enum(code).label)
    return code


def is_registered(code: str) -> bool:
    return any(code in enum.values for enum in _ENUMS)
