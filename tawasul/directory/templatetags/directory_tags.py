from __future__ import annotations

from typing import Any

from django import template

from tawasul.directory.presentation import label

register = template.Library()


@register.filter(name="dlabel")
def dlabel(code: Any) -> str:
    """The translated word for a profile or directory code (channel, language, measure…)."""
    return label(code)


@register.filter(name="localized")
def localized(value: Any, language: str) -> str:
    """name_ar / name_fr / name_en of a mapping, in the page's language."""
    if not isinstance(value, dict):
        return str(value)
    lang = (language or "en")[:2]
    return str(value.get(f"name_{lang}") or value.get("name_en") or "")


@register.filter(name="may_hand_over")
def may_hand_over(user: Any) -> bool:
    """Whether the handover page is open to this user (national admin or coordinator)."""
    from tawasul.core.access import has_role
    from tawasul.core.roles import Role

    return has_role(user, Role.NATIONAL_ADMIN) or has_role(user, Role.COORDINATOR)
