from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.audit.events import all_event_choices


def _event_choices() -> list[tuple[str, str]]:
    return [("", str(_("All events"))), *all_event_choices()]


class EventFilterForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Event"), required=False, choices=_event_choices)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
