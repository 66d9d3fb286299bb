from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tawasul.accounts.models import User
from tawasul.directory.finder import MEASURE_LABELS, REQUEST_TYPE_LABELS
from tawasul.directory.models import (
    Agency,
    AgencyKind,
    ChannelKind,
    Competence,
    FocalPoint,
    Network,
    WorkingLanguage,
)
from tawasul.directory.profile_schema import Measure, RequestType

PROFILE_COUNTRIES = [
    "DZ",
    "EG",
    "IQ",
    "JO",
    "LB",
    "LY",
    "MA",
    "TN",
    "BF",
    "ML",
    "NE",
    "MR",
    "TD",
    "ES",
    "FR",
]


def _country_choices(blank: bool = True) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [(code, str(name)) for code, name in countries]
    return ([("", _("Any country"))] if blank else []) + choices


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name, position or agency"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=())
    competence = forms.ChoiceField(
        label=_("Competence"),
        required=False,
        choices=[("", _("Any competence")), *Competence.choices],
    )
    language = forms.ChoiceField(
        label=_("Working language"),
        required=False,
        choices=[("", _("Any language")), *WorkingLanguage.choices],
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        required=False,
        queryset=Network.objects.none(),
        empty_label=_("Any network"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of agency"),
        required=False,
        choices=[("", _("Any kind")), *AgencyKind.choices],
    )
    stale = forms.BooleanField(label=_("Only entries to verify"), required=False)

    def __init__(self, *args: Any, networks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices()  # type: ignore[attr-defined]
        if networks is not None:
            self.fields["network"].queryset = networks  # type: ignore[attr-defined]


class FocalPointForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    competences = forms.MultipleChoiceField(
        label=_("Competences"), choices=Competence.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=WorkingLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Telephone"), max_length=50, required=False)
    mobile = forms.CharField(label=_("Mobile (24/7)"), max_length=50, required=False)
    email = forms.EmailField(label=_("Secure e-mail"), required=False)
    reachable_24_7 = forms.BooleanField(label=_("Reachable 24/7"), required=False)
    substitute = forms.ModelChoiceField(
        label=_("Substitute"), queryset=FocalPoint.objects.none(), required=False
    )
    term_start = forms.DateField(
        label=_("Term start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    term_end = forms.DateField(
        label=_("Term end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, agencies: Any, substitutes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["substitute"].queryset = substitutes  # type: ignore[attr-defined]


class FocalPointCreateForm(FocalPointForm):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.none()
    )

    field_order = ["user", "agency"]

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class AgencyForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=255)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=255, required=False)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=255, required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgencyCreateForm(AgencyForm):
    country = forms.ChoiceField(label=_("Country"), choices=())
    kind = forms.ChoiceField(
        label=_("Kind of agency"),
        choices=[c for c in AgencyKind.choices if c[0] != AgencyKind.INTERNATIONAL_ORGANISATION],
    )

    field_order = ["country", "kind", "name_en", "name_fr", "name_ar", "address"]

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _country_choices(blank=False)
        if country:
            choices = [c for c in choices if c[0] == country]
        self.fields["country"].choices = choices  # type: ignore[attr-defined]


class AgencyChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Channel"), choices=ChannelKind.choices)
    value = forms.CharField(label=_("Address or number"), max_length=255)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class NetworkForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_en = forms.CharField(label=_("Name (English)"), max_length=255)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=255, required=False)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=255, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)


class NetworkMemberForm(forms.Form):
    focal_point = forms.ModelChoiceField(label=_("Focal point"), queryset=FocalPoint.objects.none())

    def __init__(self, *args: Any, entries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focal_point"].queryset = entries  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    predecessor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Outgoing focal point"), queryset=User.objects.none()
    )
    successor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Successor"), queryset=User.objects.none()
    )
    note = forms.CharField(
        label=_("Handover note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What the successor must know: contacts, deadlines, where things are. Write no "
            "case details: the note is kept in the audit log."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the outgoing focal point loses access to all case content."),
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["predecessor"].queryset = users  # type: ignore[attr-defined]
        self.fields["successor"].queryset = users  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("predecessor") and data.get("predecessor") == data.get("successor"):
            self.add_error("successor", _("The successor must be another person."))
        return data


def _profile_country_choices() -> list[tuple[str, str]]:
    return [(code, str(dict(countries)[code])) for code in PROFILE_COUNTRIES]


class FinderForm(forms.Form):
    requesting = forms.ChoiceField(label=_("Requesting country"), choices=())
    requested = forms.ChoiceField(label=_("Requested country"), choices=())
    request_type = forms.ChoiceField(
        label=_("Type of request"),
        choices=[(t.value, REQUEST_TYPE_LABELS[t]) for t in RequestType],
    )
    measure = forms.ChoiceField(
        label=_("Measure"),
        required=False,
        choices=[
            ("", _("No particular measure")),
            *((m.value, MEASURE_LABELS[m]) for m in Measure),
        ],
    )
    offence = forms.ChoiceField(label=_("Offence category"), choices=Competence.choices)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requesting"].choices = _profile_country_choices()  # type: ignore[attr-defined]
        self.fields["requested"].choices = _profile_country_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("requesting") and data.get("requesting") == data.get("requested"):
            self.add_error("requested", _("Choose two different countries."))
        return data


class CompareForm(forms.Form):
    first = forms.ChoiceField(label=_("First country"), choices=())
    second = forms.ChoiceField(label=_("Second country"), choices=())
    measure = forms.ChoiceField(
        label=_("Measure"), choices=[(m.value, MEASURE_LABELS[m]) for m in Measure]
    )
    request_type = forms.ChoiceField(
        label=_("Type of request"),
        choices=[(t.value, REQUEST_TYPE_LABELS[t]) for t in RequestType],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = _profile_country_choices()  # type: ignore[attr-defined]
        self.fields["second"].choices = _profile_country_choices()  # type: ignore[attr-defined]
