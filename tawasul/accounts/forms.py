from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core.roles import PLATFORM_GRANTED_ROLES, Role
from tawasul.directory.models import Agency


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )


class ConfirmTOTPForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for."))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


def _assignable_roles() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in Role.choices if value not in PLATFORM_GRANTED_ROLES]


class UserForm(forms.Form):
    """What a national admin sets on a user of their own country."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name (Latin script)"), max_length=255)
    full_name_ar = forms.CharField(
        label=_("Full name (Arabic script)"), max_length=255, required=False
    )
    email = forms.EmailField(label=_("E-mail"))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=_assignable_roles, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, country: str, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(country=country)  # type: ignore[attr-defined]
        if editing:
            del self.fields["username"]
