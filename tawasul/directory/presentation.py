"""Labels and the display structure of a country profile (codes → translated words)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tawasul.directory.finder import (
    CHANNEL_LABELS,
    INSTRUMENT_LABELS,
    MEASURE_LABELS,
    REQUEST_TYPE_LABELS,
)
from tawasul.directory.models import Competence, WorkingLanguage

VALUE_LABELS: dict[str, Promise] = {
    "available": _("Available"),
    "not_available": _("Not available"),
    "partly": _("Partly available"),
    "abolitionist": _("Abolitionist"),
    "retentionist": _("Retentionist"),
    "moratorium": _("Moratorium (abolitionist in practice)"),
    "yes": _("Yes"),
    "no": _("No"),
    "conditional": _("Under conditions"),
    "party": _("Party"),
    "signatory": _("Signatory"),
    "not_party": _("Not a party"),
}


def labels() -> dict[str, Promise]:
    merged: dict[str, Promise] = {}
    for mapping in (
        dict(WorkingLanguage.choices),
        dict(Competence.choices),
        CHANNEL_LABELS,
        INSTRUMENT_LABELS,
        MEASURE_LABELS,
        REQUEST_TYPE_LABELS,
        VALUE_LABELS,
    ):
        merged.update({str(k): v for k, v in mapping.items()})
    return merged


def label(code: Any) -> str:
    return str(labels().get(str(code), code))


def _row(title: Any, fact: dict[str, Any] | None, value: Any) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {
        "title": title,
        "value": value,
        "source": fact.get("source", ""),
        "verified": bool(fact.get("verified")),
        "verified_on": fact.get("verified_on"),
        "note": fact.get("note", ""),
    }


def _langs(codes: list[str]) -> str:
    return ", ".join(label(c) for c in codes)


def profile_sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The profile as titled sections of rows, each row one fact with its source and status."""
    sections: list[dict[str, Any]] = []
    general = [
        _row(
            _("Official languages"),
            content.get("official_languages"),
            _langs(content["official_languages"]["value"]),
        ),
        _row(
            _("Extradites its nationals"),
            content.get("extradites_nationals"),
            label(content["extradites_nationals"]["value"]),
        ),
        _row(
            _("Death penalty"),
            content.get("death_penalty"),
            label(content["death_penalty"]["value"]),
        ),
    ]
    sections.append({"title": _("General"), "rows": [r for r in general if r]})
    per_type = []
    for rtype, fact in content.get("accepted_languages", {}).items():
        per_type.append(
            _row(
                _("Languages accepted: %(type)s") % {"type": label(rtype)},
                fact,
                _langs(fact["value"]),
            )
        )
    for rtype, fact in content.get("channels", {}).items():
        value = _("%(accepted)s; urgent: %(urgent)s") % {
            "accepted": ", ".join(label(c) for c in fact["value"]["accepted"]),
            "urgent": label(fact["value"]["urgent"]),
        }
        per_type.append(_row(_("Channels: %(type)s") % {"type": label(rtype)}, fact, value))
    for rtype, fact in content.get("central_authorities", {}).items():
        per_type.append(
            _row(
                _("Central authority: %(type)s") % {"type": label(rtype)},
                fact,
                fact["value"],
            )
        )
    sections.append({"title": _("Requests"), "rows": [r for r in per_type if r], "authority": True})
    instruments = []
    for code, fact in content.get("instruments", {}).items():
        status = label(fact["value"]["status"])
        since = fact["value"].get("in_force_since")
        value = (
            _("%(status)s since %(date)s") % {"status": status, "date": since} if since else status
        )
        instruments.append(_row(label(code), fact, value))
    for fact in content.get("bilateral_treaties", []):
        treaty = fact["value"]
        instruments.append(
            _row(
                treaty["title"],
                fact,
                ", ".join(label(t) for t in treaty["covers"]),
            )
        )
    sections.append({"title": _("Legal bases"), "rows": [r for r in instruments if r]})
    measures = []
    for code, fact in content.get("measures", {}).items():
        info = fact["value"]
        value = label(info["availability"])
        if info.get("competent_body"):
            value = f"{value} — {info['competent_body']}"
        if info.get("notes"):
            value = f"{value}. {info['notes']}"
        measures.append(_row(label(code), fact, value))
    sections.append({"title": _("Measures"), "rows": [r for r in measures if r]})
    requirements = []
    for rtype, fact in content.get("content_requirements", {}).items():
        requirements.append(
            _row(
                _("What a request must contain: %(type)s") % {"type": label(rtype)},
                fact,
                fact["value"],
            )
        )
    sections.append(
        {"title": _("Content of a request"), "rows": [r for r in requirements if r], "lists": True}
    )
    return sections
