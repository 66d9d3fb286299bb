"""The measures an MLA request can ask for, and the fields each one needs.

A measure's own fields live in ``RequestMeasure.details`` (a JSON object) and are described
here once: the builder's form, the API's validation, the completeness check and the documents
all read this table, so adding a measure is one entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    TESTIMONY = "testimony", _("Taking testimony")
    SERVICE_OF_DOCUMENTS = "service_of_documents", _("Service of documents")
    SEARCH_SEIZURE = "search_seizure", _("Search and seizure")
    FREEZING = "freezing", _("Freezing of assets")
    BANK_RECORDS = "bank_records", _("Bank records")
    EXPERT_EVIDENCE = "expert_evidence", _("Expert evidence")
    VIDEOCONFERENCE = "videoconference", _("Hearing by videoconference")
    TRACING_PROCEEDS = "tracing_proceeds", _("Tracing of proceeds")
    PRESERVATION = "preservation", _("Expedited preservation of electronic evidence")
    SUBSCRIBER_DATA = "subscriber_data", _("Subscriber data")
    TRAFFIC_DATA = "traffic_data", _("Traffic data")
    CONTENT_DATA = "content_data", _("Content data")


# Measures that compel someone (dual criminality is usually required for them).
COERCIVE = frozenset(
    {
        MeasureKind.SEARCH_SEIZURE,
        MeasureKind.FREEZING,
        MeasureKind.BANK_RECORDS,
        MeasureKind.TRACING_PROCEEDS,
        MeasureKind.TRAFFIC_DATA,
        MeasureKind.CONTENT_DATA,
    }
)
E_EVIDENCE = frozenset(
    {
        MeasureKind.PRESERVATION,
        MeasureKind.SUBSCRIBER_DATA,
        MeasureKind.TRAFFIC_DATA,
        MeasureKind.CONTENT_DATA,
    }
)
# The country profiles name measures with their own vocabulary (directory.profile_schema).
PROFILE_MEASURE = {
    MeasureKind.TESTIMONY: "witness_hearing",
    MeasureKind.SERVICE_OF_DOCUMENTS: "service_of_documents",
    MeasureKind.SEARCH_SEIZURE: "search_seizure",
    MeasureKind.FREEZING: "freezing",
    MeasureKind.BANK_RECORDS: "bank_records",
    MeasureKind.VIDEOCONFERENCE: "videoconference",
    MeasureKind.TRACING_PROCEEDS: "confiscation",
    MeasureKind.PRESERVATION: "expedited_preservation",
    MeasureKind.SUBSCRIBER_DATA: "subscriber_data",
    MeasureKind.TRAFFIC_DATA: "subscriber_data",
    MeasureKind.CONTENT_DATA: "content_data",
}


@dataclass(frozen=True)
class MeasureField:
    name: str
    label: Promise
    required: bool = True
    kind: str = "text"  # "text" (one line), "long" (several lines) or "date"


_PROVIDER = MeasureField("provider", _("Service provider"))
_IDENTIFIERS = MeasureField(
    "identifiers", _("Identifiers (accounts, numbers, addresses)"), kind="long"
)
_PERIOD_START = MeasureField("period_start", _("Period from"), kind="date")
_PERIOD_END = MeasureField("period_end", _("Period to"), kind="date")

MEASURE_FIELDS: dict[str, tuple[MeasureField, ...]] = {
    MeasureKind.TESTIMONY: (
        MeasureField("witness", _("Witness")),
        MeasureField("questions", _("Questions to put"), kind="long"),
        MeasureField(
            "procedure", _("Procedure to follow (oath, presence of parties)"), False, "long"
        ),
    ),
    MeasureKind.SERVICE_OF_DOCUMENTS: (
        MeasureField("recipient", _("Person to be served")),
        MeasureField("address", _("Address for service")),
        MeasureField("documents", _("Documents to serve"), kind="long"),
    ),
    MeasureKind.SEARCH_SEIZURE: (
        MeasureField("place", _("Place to search")),
        MeasureField("items", _("Items to seize"), kind="long"),
        MeasureField("link", _("Link between the place and the offence"), kind="long"),
    ),
    MeasureKind.FREEZING: (
        MeasureField("assets", _("Assets to freeze"), kind="long"),
        MeasureField("holder", _("Holder of the assets")),
        MeasureField("amount", _("Estimated amount"), required=False),
    ),
    MeasureKind.BANK_RECORDS: (
        MeasureField("bank", _("Bank")),
        MeasureField("account", _("Account number or IBAN")),
        _PERIOD_START,
        _PERIOD_END,
        MeasureField("records", _("Records sought"), required=False, kind="long"),
    ),
    MeasureKind.EXPERT_EVIDENCE: (
        MeasureField("expertise", _("Expertise needed")),
        MeasureField("questions", _("Questions for the expert"), kind="long"),
    ),
    MeasureKind.VIDEOCONFERENCE: (
        MeasureField("person", _("Person to be heard")),
        MeasureField("proposed_date", _("Proposed date"), required=False, kind="date"),
        MeasureField("technical_contact", _("Technical contact"), required=False),
    ),
    MeasureKind.TRACING_PROCEEDS: (
        MeasureField("assets", _("Proceeds or assets to trace"), kind="long"),
        _PERIOD_START,
        _PERIOD_END,
    ),
    MeasureKind.PRESERVATION: (
        _PROVIDER,
        _IDENTIFIERS,
        MeasureField("data_category", _("Data to preserve")),
    ),
    MeasureKind.SUBSCRIBER_DATA: (_PROVIDER, _IDENTIFIERS),
    MeasureKind.TRAFFIC_DATA: (_PROVIDER, _IDENTIFIERS, _PERIOD_START, _PERIOD_END),
    MeasureKind.CONTENT_DATA: (
        _PROVIDER,
        _IDENTIFIERS,
        _PERIOD_START,
        _PERIOD_END,
        MeasureField("preservation_reference", _("Preservation reference"), required=False),
    ),
}


def fields_of(kind: str) -> tuple[MeasureField, ...]:
    return MEASURE_FIELDS.get(kind, ())


def missing_fields(kind: str, details: dict[str, object]) -> list[MeasureField]:
    """The required fields of ``kind`` left empty in ``details``."""
    return [f for f in fields_of(kind) if f.required and not str(details.get(f.name) or "").strip()]
