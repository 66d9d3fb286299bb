"""The main navigation. Each app adds its entries here as it lands; an entry shows only to
users who may open it, so nobody is shown a door that is closed to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tawasul.cooperation.nav import (
    may_open_figures_only,
    may_open_requests,
    request_figures_label,
    requests_label,
)
from tawasul.core.access import has_role, is_active_user
from tawasul.core.roles import Role
from tawasul.messaging.nav import may_open_messages, messages_label
from tawasul.persons.nav import may_open_person_index, person_index_label


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    allowed: Callable[[Any], bool]


NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "core:home", is_active_user),
    NavItem(_("Users"), "accounts:user_list", lambda u: has_role(u, Role.NATIONAL_ADMIN)),
    NavItem(_("Audit log"), "audit:event_list", lambda u: has_role(u, Role.OVERSIGHT)),
    NavItem(_("Directory"), "directory:index", is_active_user),
    NavItem(_("Action plans"), "actionplans:index", is_active_user),
    NavItem(messages_label, "messaging:inbox", may_open_messages),
    NavItem(person_index_label, "persons:index", may_open_person_index),
    NavItem(requests_label, "cooperation:index", may_open_requests),
    NavItem(request_figures_label, "cooperation:dashboard", may_open_figures_only),
]


def nav_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    items = []
    for item in NAVIGATION:
        if item.allowed(user):
            url = reverse(item.url_name)
            active = current_path == url or (url != "/" and current_path.startswith(url))
            items.append({"label": item.label, "url": url, "active": active})
    return items
