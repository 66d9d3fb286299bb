from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tawasul.actionplans.evidence import max_bytes
from tawasul.actionplans.models import ActionStatus, MeetingKind, OwnerKind, Priority, Programme
from tawasul.directory.models import Agency

LANGUAGE_CHOICES = [("ar", "العربية"), ("fr", "Français"), ("en", "English")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _country_choices(blank_label: str) -> list[tuple[str, str]]:
    return [("", blank_label), *((str(c), str(n)) for c, n in countries)]


class ProgrammeForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=200, required=False)
    code = forms.SlugField(
        label=_("Short code"),
        max_length=40,
        required=False,
        help_text=_("Latin letters, digits and hyphens; made from the English name if empty."),
    )


class MeetingForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=300, required=False)
    title_ar = forms.CharField(label=_("Title (Arabic)"), max_length=300, required=False)
    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    end_date = forms.DateField(label=_("Last day"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    place_country = forms.ChoiceField(label=_("Host country"), required=False)
    organisers = forms.CharField(label=_("Organisers"), max_length=500, required=False)
    funding_partners = forms.CharField(label=_("Funding partners"), max_length=500, required=False)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["place_country"].choices = _country_choices("—")  # type: ignore[attr-defined]


class ParticipationForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    agency = forms.CharField(
        label=_("Agency or organisation"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to count the whole country's delegation."),
    )
    women = forms.IntegerField(label=_("Women"), min_value=0, max_value=10000, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, max_value=10000, initial=0)
    unspecified = forms.IntegerField(
        label=_("Gender not stated"), min_value=0, max_value=10000, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices("—")  # type: ignore[attr-defined]


class MeetingDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, PNG, JPEG or Word (DOCX), up to %(mb)s MB.") % {
            "mb": max_bytes() // (1024 * 1024)
        }


class RecommendationForm(forms.Form):
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 3}))
    text_fr = forms.CharField(
        label=_("Text (French)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    text_ar = forms.CharField(
        label=_("Text (Arabic)"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
        required=False,
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_kind = forms.ChoiceField(label=_("Owner"), choices=OwnerKind.choices)
    country = forms.ChoiceField(
        label=_("Country"), required=False, help_text=_("For an action owned by a country.")
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("For an action owned by one agency."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM
    )
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=300,
        required=False,
        help_text=_("How everyone will know it is done."),
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices("—")  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status now"), choices=ActionStatus.choices)
    text = forms.CharField(
        label=_("Progress made"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
        help_text=_("Where the proof is: a reference, a document's title, a decision's number."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].help_text = _(
            "Optional. PDF, PNG, JPEG or Word (DOCX), up to %(mb)s MB."
        ) % {"mb": max_bytes() // (1024 * 1024)}


class ReportForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
