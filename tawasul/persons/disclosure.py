"""What a search answer discloses, by explicit allowlist: the one serializer used by the
search page, the hit pages and the API.

Another country's record gives only ``FOREIGN_FIELDS``: country, reference, category, score,
the name-match explanation and the focal point to contact. When its owner chose to share more
for that record, ``SHARED_MORE_FIELDS`` are added. The owning country sees the full record.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tawasul.persons.matching import Scored
from tawasul.persons.models import PersonRecord

FOREIGN_FIELDS = ("country", "reference", "category", "score", "explanation", "contact")
SHARED_MORE_FIELDS = (
    "names",
    "date_of_birth",
    "nationalities",
    "sex",
    "interpol_notice",
    "handling_code",
)
FULL_FIELDS = (
    *FOREIGN_FIELDS,
    *SHARED_MORE_FIELDS,
    "place_of_birth",
    "documents",
    "restriction",
    "source_reliability",
    "information_accuracy",
    "legal_basis",
    "review_date",
    "past_review",
    "share_more",
    "id",
)


def _contact(record: PersonRecord) -> dict[str, str]:
    fp = record.originator
    return {
        "name": fp.display_name(),
        "agency": str(fp.agency) if fp.agency_id else "",
        "email": fp.email,
        "country": record.country,
    }


def _names(record: PersonRecord) -> list[dict[str, str]]:
    return [
        {"name": n.full_name, "type": n.name_type, "script": n.script} for n in record.names.all()
    ]


def _all_values(record: PersonRecord, score: float, explanation: str) -> dict[str, Any]:
    return {
        "id": record.pk,
        "country": record.country,
        "reference": record.reference,
        "category": record.category,
        "score": round(score, 3),
        "explanation": explanation,
        "contact": _contact(record),
        "names": _names(record),
        "date_of_birth": record.birth_date_display,
        "nationalities": list(record.nationalities or []),
        "sex": record.sex,
        "interpol_notice": record.interpol_notice,
        "handling_code": record.handling_code,
        "place_of_birth": record.place_of_birth,
        "documents": [
            {"type": d.doc_type, "number": d.number, "issuing_country": d.issuing_country}
            for d in record.documents.all()
        ],
        "restriction": record.restriction,
        "source_reliability": record.source_reliability,
        "information_accuracy": record.information_accuracy,
        "legal_basis": record.legal_basis,
        "review_date": record.review_date.isoformat(),
        "past_review": record.is_past_review,
        "share_more": record.share_more,
    }


def allowed_fields(viewer: Any, record: PersonRecord) -> tuple[str, ...]:
    if str(viewer.country) == record.country:
        return FULL_FIELDS
    if record.share_more:
        return (*FOREIGN_FIELDS, *SHARED_MORE_FIELDS)
    return FOREIGN_FIELDS


def disclose(viewer: Any, record: PersonRecord, score: float, explanation: str) -> dict[str, Any]:
    """The record as ``viewer`` may see it in a search answer: allowlisted keys only."""
    values = _all_values(record, score, explanation)
    fields = allowed_fields(viewer, record)
    return {key: values[key] for key in fields}


def explanation_of(scored: Scored) -> str:
    text = scored.explanation
    if scored.document_match:
        note = str(_("Exact identity-document number match."))
        return f"{note}\n{text}" if text else note
    return text


def disclose_scored(viewer: Any, record: PersonRecord, scored: Scored) -> dict[str, Any]:
    return disclose(viewer, record, min(scored.score, 1.0), explanation_of(scored))
