from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.audit.models import EventType


class EventFilterForm(forms.Form):
    event_type = forms.ChoiceField(
        label=_("Event"), required=False, choices=[("", _("All events")), *EventType.choices]
    )
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
