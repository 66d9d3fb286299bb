from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tawasul.core.handling import HandlingCode, InformationAccuracy, SourceReliability
from tawasul.messaging.files import IncomingFile
from tawasul.messaging.models import EmailMode, Thread
from tawasul.messaging.references import ReferenceKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def incoming_files(uploaded: list[UploadedFile]) -> list[IncomingFile]:
    return [IncomingFile(name=f.name or "", stream=f, size=f.size or 0) for f in uploaded]


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = f" — {obj.agency}" if obj.agency_id else ""
        return f"{obj.display_name()} ({obj.country}){agency}"


class SingleUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = f" — {obj.agency}" if obj.agency_id else ""
        return f"{obj.display_name()} ({obj.country}){agency}"


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    handling_code = forms.ChoiceField(
        label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0
    )
    restriction = forms.CharField(
        label=_("Stated restriction (H3)"),
        max_length=500,
        required=False,
        help_text=_("Required with H3: the restriction in words, shown wherever it is shown."),
    )
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=SourceReliability.choices, initial="X"
    )
    information_accuracy = forms.ChoiceField(
        label=_("Information accuracy"), choices=InformationAccuracy.choices, initial="4"
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "PDF, images, Word, Excel, PowerPoint, CSV, text or ZIP; checked by content. "
            "Stored encrypted, with their SHA-256."
        ),
    )

    def message_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "handling_code": data["handling_code"],
            "restriction": data["restriction"],
            "source_reliability": data["source_reliability"],
            "information_accuracy": data["information_accuracy"],
            "attachments": incoming_files(data["attachments"]),
        }


class ThreadForm(MessageForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    participants = UserChoiceField(
        label=_("Participants"),
        queryset=None,
        help_text=_("Counterparts of at least one other country. Hold Ctrl to choose several."),
    )

    meeting = forms.TypedChoiceField(
        label=_("About a meeting (optional)"), coerce=int, empty_value=None, required=False
    )

    cooperation_request = forms.TypedChoiceField(
        label=_("About a cooperation request (optional)"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    field_order = ["subject", "participants", "meeting", "cooperation_request"]

    def __init__(
        self,
        *args: Any,
        eligible: Any,
        meetings: list[tuple[str, str]],
        requests: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = eligible  # type: ignore[attr-defined]
        if meetings:
            self.fields["meeting"].choices = [("", "—"), *meetings]  # type: ignore[attr-defined]
        else:
            del self.fields["meeting"]
        if requests:
            self.fields["cooperation_request"].choices = [("", "—"), *requests]  # type: ignore[attr-defined]
        else:
            del self.fields["cooperation_request"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("meeting") is not None and cleaned.get("cooperation_request") is not None:
            raise forms.ValidationError(
                _("A thread is about one meeting or one request, not both.")
            )
        return cleaned

    def reference(self) -> dict[str, Any]:
        meeting = self.cleaned_data.get("meeting")
        if meeting is not None:
            return {"reference_kind": ReferenceKind.MEETING, "reference_id": meeting}
        request_id = self.cleaned_data.get("cooperation_request")
        if request_id is not None:
            return {"reference_kind": ReferenceKind.REQUEST, "reference_id": request_id}
        return {}


class ParticipantForm(forms.Form):
    user = SingleUserChoiceField(label=_("Participant to add"), queryset=None)

    def __init__(self, *args: Any, eligible: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = eligible  # type: ignore[attr-defined]


class ForwardForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Forward to thread"), queryset=Thread.objects.none())

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]


class PermissionRequestForm(forms.Form):
    country = forms.ChoiceField(label=_("Country to pass it to"), choices=())
    reason = forms.CharField(
        label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *list(countries)]  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search your messages"), max_length=200, required=False)


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail notifications"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_("E-mails never contain the messages themselves, only a link."),
    )
