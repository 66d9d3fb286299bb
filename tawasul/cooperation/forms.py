"""Forms of the cooperation-request pages: one per builder step, one per part (offence,
person, measure), and the small forms of the list, the lifecycle actions, the documents, the
attachments and the assignment. They check the shape of what is typed; the services decide
what may change."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tawasul.accounts.models import User
from tawasul.cooperation.lifecycle import RequestType, Status
from tawasul.cooperation.measures import MeasureKind, fields_of
from tawasul.cooperation.models import DocumentFormat, DocumentLanguage, PersonRole
from tawasul.cooperation.selectors import RequestFilters
from tawasul.cooperation.services import FIELDS_BY_STEP
from tawasul.core.handling import HandlingCode
from tawasul.directory.finder import Basis
from tawasul.directory.models import Agency, Competence

OTHER_BASIS = "other"
EMPTY = [("", "—")]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text_area(rows: int = 4, **attrs: str) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": str(rows), **attrs})


def country_choices(exclude: str = "") -> list[tuple[str, str]]:
    """Every country by its name in the page's language (built per form, so the names follow
    the language of the request being served)."""
    return [(c.code, str(c.name)) for c in countries if c.code != exclude]


class TypeForm(forms.Form):
    """Step 1: what is asked, of whom, about what, how fast."""

    request_type = forms.ChoiceField(label=_("Type of request"), choices=RequestType.choices)
    requested_country = forms.ChoiceField(label=_("Requested country"))
    offence_category = forms.ChoiceField(label=_("Area of crime"), choices=Competence.choices)
    requesting_reference = forms.CharField(
        label=_("Your reference"),
        max_length=100,
        required=False,
        help_text=_("Your file or case number, quoted in every exchange."),
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    urgency_reason = forms.CharField(
        label=_("Reason for urgency"),
        required=False,
        max_length=20_000,
        widget=_text_area(3),
        help_text=_("A person in custody, a hearing date, data about to be deleted…"),
    )
    deadline = forms.DateField(
        label=_("Answer needed by"),
        required=False,
        widget=_date_input(),
        input_formats=["%Y-%m-%d"],
    )

    def __init__(self, *args: Any, own_country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["requested_country"]
        field.choices = [*EMPTY, *country_choices(exclude=own_country)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("urgent") and not str(data.get("urgency_reason") or "").strip():
            self.add_error("urgency_reason", _("Say why the request is urgent."))
        deadline = data.get("deadline")
        if deadline and deadline < timezone.localdate():
            self.add_error("deadline", _("The deadline is in the past."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS_BY_STEP["type"]}


class NewRequestForm(TypeForm):
    # A retried or double-clicked submission returns the first draft instead of a second one.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)


def basis_key(basis: Basis, index: int) -> str:
    """The radio value of a proposed legal basis (bilateral treaties share one code)."""
    return f"bilateral-{index}" if basis.code == "bilateral" else basis.code


class BasisForm(forms.Form):
    """Step 2: the legal basis (one of the finder's proposals or another, in words) and the
    authority addressed (from the directory and/or as it will be written)."""

    legal_basis = forms.ChoiceField(label=_("Legal basis"), widget=forms.RadioSelect)
    legal_basis_text = forms.CharField(
        label=_("Another legal basis, in words"),
        max_length=500,
        required=False,
        help_text=_("The treaty or law and its article, when none of the proposals applies."),
    )
    requested_agency = forms.ModelChoiceField(
        label=_("Requested authority in the directory"),
        queryset=Agency.objects.none(),
        required=False,
    )
    requested_authority = forms.CharField(
        label=_("Requested authority, as it will be addressed"), max_length=300, required=False
    )

    def __init__(self, *args: Any, bases: list[Basis], country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = {basis_key(b, i): b for i, b in enumerate(bases)}
        field: Any = self.fields["legal_basis"]
        field.choices = [
            *((key, b.label) for key, b in self.proposals.items()),
            (OTHER_BASIS, _("Another legal basis (write it below)")),
        ]
        agency: Any = self.fields["requested_agency"]
        agency.queryset = Agency.objects.filter(country=country).order_by("name_en")

    def basis_choices(self) -> list[tuple[Any, Basis | None]]:
        """Each radio with the basis it stands for (None for "another basis"), so the page
        shows whether the basis is verified and where the fact comes from."""
        bases: list[Basis | None] = [*self.proposals.values(), None]
        return list(zip(self["legal_basis"], bases, strict=False))

    @classmethod
    def initial_for(cls, request: Any, bases: list[Basis]) -> dict[str, Any]:
        chosen = ""
        for index, basis in enumerate(bases):
            if request.legal_basis == basis.code and (
                basis.code != "bilateral" or request.legal_basis_text == basis.label
            ):
                chosen = basis_key(basis, index)
                break
        if not chosen:
            chosen = OTHER_BASIS if request.legal_basis_text else ""
        return {
            "legal_basis": chosen,
            "legal_basis_text": request.legal_basis_text if chosen == OTHER_BASIS else "",
            "requested_agency": request.requested_agency_id,
            "requested_authority": request.requested_authority,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("legal_basis") == OTHER_BASIS and not data.get("legal_basis_text", "").strip():
            self.add_error("legal_basis_text", _("Write the legal basis."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        agency = data.get("requested_agency")
        values: dict[str, Any] = {
            "requested_agency": agency.pk if agency else "",
            "requested_authority": data.get("requested_authority", ""),
        }
        chosen = self.proposals.get(data["legal_basis"])
        if chosen is None:
            values |= {"legal_basis": OTHER_BASIS, "legal_basis_text": data["legal_basis_text"]}
        else:
            values |= {"legal_basis": chosen.code[:40], "legal_basis_text": chosen.label[:500]}
        return values


class FactsForm(forms.Form):
    summary_of_facts = forms.CharField(
        label=_("Summary of the facts"),
        required=False,
        max_length=20_000,
        widget=_text_area(8),
        help_text=_("Who did what, when and where: enough for the requested authority to act."),
    )
    purpose = forms.CharField(
        label=_("Purpose of the request and link to the facts"),
        required=False,
        max_length=20_000,
        widget=_text_area(4),
    )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS_BY_STEP["facts"]}


class OffenceForm(forms.Form):
    description = forms.CharField(label=_("Offence"), max_length=300)
    legal_provision = forms.CharField(
        label=_("Legal provision, quoted"),
        max_length=20_000,
        widget=_text_area(3),
        help_text=_("Quote the article in full: the requested state checks dual criminality."),
    )
    penalty = forms.CharField(label=_("Maximum penalty"), max_length=200, required=False)


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the case"), choices=PersonRole.choices)
    name_arabic = forms.CharField(
        label=_("Name in Arabic script"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    name_latin = forms.CharField(
        label=_("Name in Latin script"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=_date_input(), input_formats=["%Y-%m-%d"]
    )
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    document_type = forms.CharField(label=_("Identity document"), max_length=60, required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    notes = forms.CharField(
        label=_("Other identifying details"),
        max_length=20_000,
        required=False,
        widget=_text_area(2),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["nationality"]
        field.choices = [*EMPTY, *country_choices()]

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class MeasureKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=[*EMPTY, *MeasureKind.choices])


class MeasureForm(forms.Form):
    """The fields of one measure kind (``measures.MEASURE_FIELDS``), plus the kind itself and,
    when editing, the measure's id."""

    kind = forms.ChoiceField(choices=MeasureKind.choices, widget=forms.HiddenInput)
    measure_id = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure_kind = kind
        self.fields["kind"].initial = kind
        # Essential fields are marked, not enforced: like the other steps, the checklist
        # says what is missing and the drafter may come back to it.
        self.essential = {spec.name for spec in fields_of(kind) if spec.required}
        for spec in fields_of(kind):
            field: forms.Field
            label = str(spec.label)  # the form is built per page, in its language
            if spec.kind == "date":
                field = forms.DateField(
                    label=label,
                    widget=_date_input(),
                    input_formats=["%Y-%m-%d"],
                    required=False,
                )
            elif spec.kind == "long":
                field = forms.CharField(
                    label=label, max_length=5000, widget=_text_area(3), required=False
                )
            else:
                field = forms.CharField(label=label, max_length=300, required=False)
            self.fields[spec.name] = field

    def clean_measure_id(self) -> int | None:
        raw = self.cleaned_data.get("measure_id") or ""
        if not raw:
            return None
        if not raw.isdigit():
            raise forms.ValidationError(_("This measure is not part of the request."))
        return int(raw)

    @property
    def kind_label(self) -> str:
        kind = self.measure_kind
        return str(MeasureKind(kind).label) if kind in MeasureKind.values else ""

    @classmethod
    def initial_for(cls, measure: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {"kind": measure.kind, "measure_id": measure.pk}
        for spec in fields_of(measure.kind):
            value = measure.details.get(spec.name, "")
            if spec.kind == "date" and value:
                try:
                    value = datetime.date.fromisoformat(str(value))
                except ValueError:
                    value = ""
            initial[spec.name] = value
        return initial

    def details(self) -> dict[str, Any]:
        return {
            spec.name: self.cleaned_data.get(spec.name) or ""
            for spec in fields_of(self.measure_kind)
        }


class ConditionsForm(forms.Form):
    dual_criminality_statement = forms.CharField(
        label=_("Dual criminality statement"),
        required=False,
        max_length=20_000,
        widget=_text_area(3),
        help_text=_(
            "Why the facts are also an offence in the requested state (coercive measures)."
        ),
    )
    non_political_statement = forms.CharField(
        label=_("Statement that the offence is not political"),
        required=False,
        max_length=20_000,
        widget=_text_area(3),
    )
    assurance_death_penalty = forms.BooleanField(
        label=_("Assurance that the death penalty will not be sought or carried out"),
        required=False,
    )
    transit_countries = forms.MultipleChoiceField(
        label=_("Countries of transit"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_(
            "Extradition: the states the person will be taken through on surrender. Each may "
            "set its own conditions for the transit."
        ),
    )
    assurance_speciality = forms.BooleanField(
        label=_("Speciality undertaking (the evidence or person is used only for this case)"),
        required=False,
    )
    assurance_fair_trial = forms.BooleanField(label=_("Fair-trial assurance"), required=False)
    assurances_text = forms.CharField(
        label=_("Wording of the assurances"),
        required=False,
        max_length=20_000,
        widget=_text_area(3),
    )
    confidential = forms.BooleanField(label=_("Confidentiality requested"), required=False)
    confidentiality_note = forms.CharField(
        label=_("Confidentiality: what and why"), required=False, max_length=500
    )
    handling_code = forms.ChoiceField(label=_("Handling code"), choices=HandlingCode.choices)
    restriction = forms.CharField(
        label=_("Stated restriction (H3)"), required=False, max_length=500
    )
    document_language = forms.ChoiceField(
        label=_("Language of the request"), choices=DocumentLanguage.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["transit_countries"]
        field.choices = country_choices()
        # The model gives its own list type of Country objects; the widget selects by code
        # (a Country's str is its code).
        transit = self.initial.get("transit_countries")
        if transit:
            self.initial["transit_countries"] = [str(country) for country in transit]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("handling_code") == HandlingCode.H3 and not data.get("restriction", "").strip():
            self.add_error("restriction", _("State the restriction that H3 imposes."))
        if data.get("confidential") and not data.get("confidentiality_note", "").strip():
            self.add_error("confidentiality_note", _("Say what must stay confidential and why."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS_BY_STEP["conditions"]}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    handling_code = forms.ChoiceField(
        label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0
    )


class DocumentForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=DocumentLanguage.choices)
    format = forms.ChoiceField(label=_("Format"), choices=DocumentFormat.choices)


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=30, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=20_000, widget=_text_area(3))
    # "review" when the form sits on the builder's review screen, which is shown again on error.
    return_to = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)


class FocalPointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = f" — {obj.agency}" if obj.agency_id else ""
        return f"{obj.display_name()}{agency}"


class AssignForm(forms.Form):
    user = FocalPointChoiceField(label=_("Focal point"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.queryset = candidates


DIRECTIONS = ("outgoing", "incoming")


class FilterForm(forms.Form):
    """The list's filters (GET): a bad value is ignored, never an error page."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    request_type = forms.ChoiceField(label=_("Type"), required=False)
    country = forms.ChoiceField(label=_("Other country"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Reference"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [*EMPTY, *Status.choices]
        fields["request_type"].choices = [*EMPTY, *RequestType.choices]
        fields["country"].choices = [*EMPTY, *country_choices()]

    def filters(self, direction: str) -> RequestFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return RequestFilters(
            direction=direction if direction in DIRECTIONS else "",
            status=data.get("status") or "",
            request_type=data.get("request_type") or "",
            country=data.get("country") or "",
            overdue=bool(data.get("overdue")),
            text=data.get("q") or "",
        )
