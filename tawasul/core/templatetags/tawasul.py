from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CHECK_WIDGETS = {"checkbox", "radioselect"}


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """Render a form field's widget with Bootstrap's classes and the ARIA links to its help
    and errors, so every form is accessible without per-form markup."""
    kind = field.widget_type
    css = (
        "form-select"
        if kind in {"select", "selectmultiple"}
        else ("form-check-input" if kind in _CHECK_WIDGETS else "form-control")
    )
    if field.errors:
        css += " is-invalid"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def display_name(user: object) -> str:
    """A user's name in the script of the current language (Arabic name on Arabic pages)."""
    from django.utils.translation import get_language

    method = getattr(user, "display_name", None)
    return str(method(get_language())) if callable(method) else str(user)
