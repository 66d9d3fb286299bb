"""Forms of the person index. Several names and documents are entered one per line and
validated line by line."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tawasul.core.handling import HandlingCode, InformationAccuracy, SourceReliability
from tawasul.persons.matching import Query
from tawasul.persons.models import (
    Category,
    DocumentType,
    NameType,
    PersonRecord,
    ReferralRole,
    Sex,
)
from tawasul.persons.screening import guess_column, parse_partial_date
from tawasul.persons.services import MAPPED_FIELDS, DocumentIn, NameIn, RecordData, VictimIn

DATE_HELP = _("Year (1984), year and month (1984-06) or full date (1984-06-21).")


def clean_partial_date(value: str) -> tuple[int | None, int | None, int | None]:
    value = (value or "").strip()
    if not value:
        return None, None, None
    try:
        return parse_partial_date(value)
    except ValueError:
        raise ValidationError(
            _("Write the date as 1984, 1984-06 or 1984-06-21."), code="date"
        ) from None


def clean_countries(value: str) -> list[str]:
    codes = [c.strip().upper() for c in (value or "").replace(";", ",").split(",") if c.strip()]
    unknown = [c for c in codes if c not in dict(countries)]
    if unknown:
        raise ValidationError(
            _("Unknown country code: %(codes)s. Use two-letter codes such as MA, TN, DZ."),
            params={"codes": ", ".join(unknown)},
        )
    return sorted(set(codes))


def _lines(value: str) -> list[str]:
    return [" ".join(line.split()) for line in (value or "").splitlines() if line.strip()]


class PersonRecordForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    primary_name = forms.CharField(label=_("Primary name"), max_length=200)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, in any script."),
    )
    kunyas = forms.CharField(
        label=_("Kunyas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, for example Abu Ali."),
    )
    previous_names = forms.CharField(
        label=_("Previous names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    date_of_birth = forms.CharField(
        label=_("Date of birth"), required=False, max_length=10, help_text=DATE_HELP
    )
    place_of_birth = forms.CharField(label=_("Place of birth"), required=False, max_length=200)
    nationalities = forms.CharField(
        label=_("Nationalities"),
        required=False,
        max_length=100,
        help_text=_("Two-letter country codes separated by commas, for example MA, FR."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    documents = forms.CharField(
        label=_("Identity documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: type; number; issuing country. Types: passport, national_id, "
            "residence_permit, travel_document, other. Example: passport; AB1234567; MA"
        ),
    )
    interpol_notice = forms.CharField(
        label=_("INTERPOL notice reference"), required=False, max_length=40
    )
    handling_code = forms.ChoiceField(
        label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0
    )
    restriction = forms.CharField(
        label=_("Stated restriction (H3)"), required=False, max_length=500
    )
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=SourceReliability.choices, initial="X"
    )
    information_accuracy = forms.ChoiceField(
        label=_("Information accuracy"), choices=InformationAccuracy.choices, initial="4"
    )
    legal_basis = forms.CharField(
        label=_("Legal basis for holding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Five years from today if left empty."),
    )
    share_more = forms.BooleanField(
        label=_("Share more with other countries"),
        required=False,
        help_text=_(
            "Other countries' hits then also show the names, date of birth, nationalities, "
            "sex, INTERPOL notice and handling code."
        ),
    )

    @classmethod
    def initial_for(cls, record: PersonRecord) -> dict[str, Any]:
        names = list(record.names.all())

        def of(kind: str) -> str:
            return "\n".join(n.full_name for n in names if n.name_type == kind)

        return {
            "category": record.category,
            "primary_name": of(NameType.PRIMARY),
            "aliases": of(NameType.ALIAS),
            "kunyas": of(NameType.KUNYA),
            "previous_names": of(NameType.PREVIOUS),
            "date_of_birth": record.birth_date_display,
            "place_of_birth": record.place_of_birth,
            "nationalities": ", ".join(record.nationalities or []),
            "sex": record.sex,
            "documents": "\n".join(
                f"{d.doc_type}; {d.number}; {d.issuing_country}" for d in record.documents.all()
            ),
            "interpol_notice": record.interpol_notice,
            "handling_code": record.handling_code,
            "restriction": record.restriction,
            "source_reliability": record.source_reliability,
            "information_accuracy": record.information_accuracy,
            "legal_basis": record.legal_basis,
            "review_date": record.review_date,
            "share_more": record.share_more,
        }

    def clean_date_of_birth(self) -> tuple[int | None, int | None, int | None]:
        return clean_partial_date(self.cleaned_data.get("date_of_birth", ""))

    def clean_nationalities(self) -> list[str]:
        return clean_countries(self.cleaned_data.get("nationalities", ""))

    def clean_documents(self) -> list[DocumentIn]:
        out: list[DocumentIn] = []
        for number, line in enumerate(_lines(self.cleaned_data.get("documents", "")), start=1):
            parts = [p.strip() for p in line.split(";")]
            if len(parts) not in (2, 3) or not parts[1]:
                raise ValidationError(
                    _("Line %(line)s: write type; number; issuing country."),
                    params={"line": number},
                )
            kind = parts[0].lower()
            if kind not in DocumentType.values:
                raise ValidationError(
                    _("Line %(line)s: unknown document type “%(type)s”."),
                    params={"line": number, "type": parts[0]},
                )
            country = parts[2].upper() if len(parts) == 3 else ""
            if country and country not in dict(countries):
                raise ValidationError(
                    _("Line %(line)s: unknown country code “%(code)s”."),
                    params={"line": number, "code": parts[2]},
                )
            if len(parts[1]) > 40:
                raise ValidationError(
                    _("Line %(line)s: a document number is at most 40 characters."),
                    params={"line": number},
                )
            out.append(DocumentIn(kind, parts[1], country))
        return out

    def clean_review_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("review_date")
        return value

    def to_data(self) -> RecordData:
        c = self.cleaned_data
        names = [NameIn(c["primary_name"], NameType.PRIMARY)]
        for field, kind in (
            ("aliases", NameType.ALIAS),
            ("kunyas", NameType.KUNYA),
            ("previous_names", NameType.PREVIOUS),
        ):
            names.extend(NameIn(line, kind) for line in _lines(c.get(field, "")))
        year, month, day = c["date_of_birth"]
        return RecordData(
            category=c["category"],
            names=names,
            legal_basis=c["legal_basis"],
            birth_year=year,
            birth_month=month,
            birth_day=day,
            place_of_birth=c.get("place_of_birth", ""),
            nationalities=c["nationalities"],
            sex=c["sex"],
            documents=c["documents"],
            interpol_notice=c.get("interpol_notice", ""),
            handling_code=c["handling_code"],
            restriction=c.get("restriction", ""),
            source_reliability=c["source_reliability"],
            information_accuracy=c["information_accuracy"],
            review_date=c.get("review_date"),
            share_more=bool(c.get("share_more")),
        )


class ReviewForm(forms.Form):
    legal_basis = forms.CharField(
        label=_("Legal basis for holding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_date = forms.DateField(
        label=_("Next review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Five years from today if left empty."),
    )


class SearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.CharField(
        label=_("Date of birth"), required=False, max_length=10, help_text=DATE_HELP
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        choices=[("", "—")],
    )
    document = forms.CharField(label=_("Document number"), required=False, max_length=40)
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), ("F", _("Female")), ("M", _("Male"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["nationality"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", "—"), *list(countries)]

    def clean_date_of_birth(self) -> tuple[int | None, int | None, int | None]:
        return clean_partial_date(self.cleaned_data.get("date_of_birth", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or "").strip() and not (data.get("document") or "").strip():
            raise ValidationError(_("Give a name or a document number."))
        return data

    def to_query(self) -> Query:
        c = self.cleaned_data
        year, month, day = c["date_of_birth"]
        return Query(
            name=" ".join((c.get("name") or "").split()),
            birth_year=year,
            birth_month=month,
            birth_day=day,
            nationality=c.get("nationality") or "",
            document=(c.get("document") or "").strip(),
            sex=c.get("sex") or "",
        )


class HitDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirm", _("Confirm: same person")),
            ("reject", _("Reject: not the same person")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("List to screen (CSV in UTF-8, or XLSX)"),
        help_text=_(
            "First line: the column names. At most 10 MB. In a CSV file, cells starting with "
            "= + - @ are refused; in an XLSX workbook, formulas are never run (the value Excel "
            "last computed is read). Workbooks with macros are refused."
        ),
    )
    sheet = forms.CharField(
        label=_("Worksheet (XLSX only)"),
        required=False,
        max_length=100,
        help_text=_("The name of the sheet to screen; leave empty for the first one."),
    )


class MappingForm(forms.Form):
    LABELS = {
        "name": _("Name column"),
        "date_of_birth": _("Date of birth column"),
        "nationality": _("Nationality column (two-letter code)"),
        "document": _("Document number column"),
        "sex": _("Sex column (F or M)"),
    }

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [("", "—"), *[(str(i), h) for i, h in enumerate(header)]]
        for field in MAPPED_FIELDS:
            guess = guess_column(header, field)
            self.fields[field] = forms.ChoiceField(
                label=self.LABELS[field],
                choices=options,
                required=field == "name",
                initial="" if guess is None else str(guess),
            )

    def mapping(self) -> dict[str, int | None]:
        return {
            field: int(self.cleaned_data[field]) if self.cleaned_data.get(field) else None
            for field in MAPPED_FIELDS
        }


class VictimForm(forms.Form):
    names = forms.CharField(
        label=_("Names"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, in any script."),
    )
    date_of_birth = forms.CharField(
        label=_("Date of birth"), required=False, max_length=10, help_text=DATE_HELP
    )
    nationalities = forms.CharField(
        label=_("Nationalities"),
        required=False,
        max_length=100,
        help_text=_("Two-letter country codes separated by commas, for example MA, FR."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    consent_date = forms.DateField(
        label=_("Date of consent"), widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_scope = forms.CharField(
        label=_("Scope of consent"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What the victim agreed to: recording, sharing with which countries, for what."
        ),
    )

    def clean_date_of_birth(self) -> tuple[int | None, int | None, int | None]:
        return clean_partial_date(self.cleaned_data.get("date_of_birth", ""))

    def clean_nationalities(self) -> list[str]:
        return clean_countries(self.cleaned_data.get("nationalities", ""))

    def to_data(self) -> VictimIn:
        c = self.cleaned_data
        year, month, day = c["date_of_birth"]
        return VictimIn(
            names=_lines(c["names"]),
            consent_date=c["consent_date"],
            consent_scope=c["consent_scope"],
            birth_year=year,
            birth_month=month,
            birth_day=day,
            nationalities=c["nationalities"],
            sex=c["sex"],
        )


class IdentifyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deleting"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferralForm(forms.Form):
    to_country = forms.ChoiceField(label=_("Receiving country"), choices=[("", "—")])
    to_role = forms.ChoiceField(
        label=_("The receiving country is the victim's"), choices=ReferralRole.choices
    )
    message = forms.CharField(
        label=_("Referral"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the receiving officers need to protect and assist the victim. Pass on only "
            "what the victim consented to share."
        ),
    )
    consent = forms.BooleanField(
        label=_("The victim's recorded consent covers this referral."), required=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_country"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", "—"), *list(countries)]


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to decline."),
    )

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        if isinstance(field, forms.ChoiceField):
            field.choices = statuses


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Person records: FollowTheMoney Person entities (JSON) or CSV"),
        help_text=_(
            "At most 5 MB and 5,000 records; any error refuses the whole file. CSV: UTF-8, "
            "the columns of the CSV export (primary_name is required, reference is not read)."
        ),
    )
    category = forms.ChoiceField(
        label=_("Category of the imported records"),
        choices=Category.choices,
        help_text=_("For the records whose CSV row gives no category."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis for holding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
