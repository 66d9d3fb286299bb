"""The navigation entry of secure messaging, with the unread count as its badge.

``nav_for`` asks ``may_open_messages(user)`` just before it reads the label of the same entry,
in the same request; the label is a lazy string that reads the count remembered for that
request's context (a ContextVar, so concurrent requests never see each other's count)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, cast

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, ngettext

from tawasul.core.access import can_read_case_content

_unread: ContextVar[int] = ContextVar("tawasul_messaging_unread", default=0)


def may_open_messages(user: Any) -> bool:
    allowed = can_read_case_content(user)
    if allowed:
        from tawasul.messaging.selectors import unread_total

        _unread.set(unread_total(user))
    else:
        _unread.set(0)
    return allowed


def _label() -> str:
    count = _unread.get()
    if not count:
        return gettext("Messages")
    return ngettext("Messages (%(count)d unread)", "Messages (%(count)d unread)", count) % {
        "count": count
    }


# A lazy string, evaluated when the menu renders (the stubs type ``lazy()()`` as str).
messages_label = cast(Promise, lazy(_label, str)())
