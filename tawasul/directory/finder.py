"""The competent-authority finder ("where do I send this?") and the side-by-side comparison.

Both read the current country profiles (data/profiles, loaded by ``profiles_load``) and the
directory; they write nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tawasul.directory.models import Competence, CountryProfile, FocalPoint
from tawasul.directory.profile_schema import Channel, Instrument, Measure, RequestType

ALL = frozenset(Competence.values)

INSTRUMENT_LABELS: dict[str, Promise] = {
    Instrument.UNTOC: gettext_lazy("UN Convention against Transnational Organized Crime (2000)"),
    Instrument.UNTOC_TIP: gettext_lazy("Trafficking in Persons Protocol (2000)"),
    Instrument.UNTOC_SOM: gettext_lazy("Smuggling of Migrants Protocol (2000)"),
    Instrument.UNCAC: gettext_lazy("UN Convention against Corruption (2003)"),
    Instrument.ICSFT_1999: gettext_lazy(
        "International Convention for the Suppression of the Financing of Terrorism (1999)"
    ),
    Instrument.RIYADH_1983: gettext_lazy("Riyadh Arab Agreement for Judicial Cooperation (1983)"),
    Instrument.ARAB_CT_1998: gettext_lazy(
        "Arab Convention for the Suppression of Terrorism (1998)"
    ),
    Instrument.ARAB_TOC_2010: gettext_lazy(
        "Arab Convention against Transnational Organized Crime (2010)"
    ),
    Instrument.BUDAPEST: gettext_lazy("Budapest Convention on Cybercrime (2001)"),
    Instrument.COE_MLA_1959: gettext_lazy(
        "European Convention on Mutual Assistance in Criminal Matters (1959)"
    ),
    Instrument.COE_EXTRADITION_1957: gettext_lazy("European Convention on Extradition (1957)"),
    Instrument.EU_MLA_2000: gettext_lazy("EU Convention on Mutual Assistance (2000)"),
    Instrument.EU_EAW_2002: gettext_lazy("European Arrest Warrant (2002)"),
}

MEASURE_LABELS: dict[str, Promise] = {
    Measure.SEARCH_SEIZURE: gettext_lazy("Search and seizure"),
    Measure.BANK_RECORDS: gettext_lazy("Bank records"),
    Measure.FREEZING: gettext_lazy("Freezing"),
    Measure.CONFISCATION: gettext_lazy("Confiscation"),
    Measure.SUBSCRIBER_DATA: gettext_lazy("Subscriber information"),
    Measure.CONTENT_DATA: gettext_lazy("Content data"),
    Measure.EXPEDITED_PRESERVATION: gettext_lazy("Expedited preservation of stored data"),
    Measure.VIDEOCONFERENCE: gettext_lazy("Hearing by videoconference"),
    Measure.SERVICE_OF_DOCUMENTS: gettext_lazy("Service of judicial documents"),
    Measure.WITNESS_HEARING: gettext_lazy("Hearing of a witness"),
    Measure.PROVISIONAL_ARREST: gettext_lazy("Provisional arrest"),
    Measure.JOINT_INVESTIGATION_TEAM: gettext_lazy("Joint investigation team"),
}

REQUEST_TYPE_LABELS: dict[str, Promise] = {
    RequestType.MLA: gettext_lazy("Mutual legal assistance"),
    RequestType.EXTRADITION: gettext_lazy("Extradition"),
    RequestType.POLICE: gettext_lazy("Police information request"),
}

CHANNEL_LABELS: dict[str, Promise] = {
    Channel.DIRECT_JUDICIAL: gettext_lazy("Direct between judicial authorities"),
    Channel.CENTRAL_AUTHORITY: gettext_lazy("Through the central authorities"),
    Channel.DIPLOMATIC: gettext_lazy("Diplomatic channel"),
    Channel.INTERPOL: gettext_lazy("INTERPOL"),
}

_E_EVIDENCE_MEASURES = {
    Measure.SUBSCRIBER_DATA,
    Measure.CONTENT_DATA,
    Measure.EXPEDITED_PRESERVATION,
}
_MLA_EXT = frozenset({RequestType.MLA, RequestType.EXTRADITION})
_ALL_TYPES = frozenset(RequestType)

# Which offences and request types each instrument can found a request on.
INSTRUMENT_SCOPE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    Instrument.UNTOC: (frozenset({"tip", "som", "asset_recovery"}), _ALL_TYPES),
    Instrument.UNTOC_TIP: (frozenset({"tip"}), _ALL_TYPES),
    Instrument.UNTOC_SOM: (frozenset({"som"}), _ALL_TYPES),
    Instrument.UNCAC: (frozenset({"asset_recovery"}), _ALL_TYPES),
    Instrument.ICSFT_1999: (frozenset({"terrorist_financing"}), _MLA_EXT),
    Instrument.RIYADH_1983: (ALL, _MLA_EXT),
    Instrument.ARAB_CT_1998: (frozenset({"terrorism", "ftf", "terrorist_financing"}), _ALL_TYPES),
    Instrument.ARAB_TOC_2010: (frozenset({"tip", "som", "asset_recovery"}), _ALL_TYPES),
    Instrument.BUDAPEST: (frozenset({"e_evidence"}), _MLA_EXT),
    Instrument.COE_MLA_1959: (ALL, frozenset({RequestType.MLA})),
    Instrument.COE_EXTRADITION_1957: (ALL, frozenset({RequestType.EXTRADITION})),
    Instrument.EU_MLA_2000: (ALL, frozenset({RequestType.MLA})),
    Instrument.EU_EAW_2002: (ALL, frozenset({RequestType.EXTRADITION})),
}


@dataclass
class Basis:
    kind: str  # "multilateral" | "bilateral" | "reciprocity"
    code: str
    label: str
    since: str | None = None
    verified: bool = False
    source: str = ""


@dataclass
class FinderResult:
    requesting: str
    requested: str
    request_type: str
    measure: str
    offence: str
    urgent: bool
    authority: dict[str, Any] | None = None
    channels: list[str] = field(default_factory=list)
    urgent_channel: str = ""
    languages: list[str] = field(default_factory=list)
    bases: list[Basis] = field(default_factory=list)
    content_requirements: list[str] = field(default_factory=list)
    measure_info: dict[str, Any] | None = None
    focal_points: list[FocalPoint] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)

    @property
    def reciprocity_only(self) -> bool:
        return all(b.kind == "reciprocity" for b in self.bases)


def current_profile(country: str) -> dict[str, Any] | None:
    row = CountryProfile.objects.current().filter(country=country).first()
    return row.content if row else None


def _in_force(profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        code: fact
        for code, fact in profile.get("instruments", {}).items()
        if fact["value"]["status"] == "party"
    }


def common_bases(
    a: dict[str, Any], b: dict[str, Any], *, request_type: str, offence: str, measure: str = ""
) -> list[Basis]:
    """Instruments in force for both countries that cover the request, then bilateral
    treaties between them; empty when there is none."""
    bases: list[Basis] = []
    in_a, in_b = _in_force(a), _in_force(b)
    for code in Instrument:
        if code not in in_a or code not in in_b:
            continue
        offences, types = INSTRUMENT_SCOPE[code]
        e_evidence = code == Instrument.BUDAPEST and measure in _E_EVIDENCE_MEASURES
        if request_type not in types or (offence not in offences and not e_evidence):
            continue
        since_a, since_b = (
            in_a[code]["value"]["in_force_since"],
            in_b[code]["value"]["in_force_since"],
        )
        since = max(since_a, since_b) if since_a and since_b else None
        bases.append(
            Basis(
                kind="multilateral",
                code=code,
                label=str(INSTRUMENT_LABELS[code]),
                since=since,
                verified=bool(in_a[code]["verified"] and in_b[code]["verified"]),
                source=f"{in_a[code]['source']} / {in_b[code]['source']}",
            )
        )
    seen: set[str] = set()
    for own, other in ((a, b), (b, a)):
        for fact in own.get("bilateral_treaties", []):
            treaty = fact["value"]
            if treaty["country"] != other["country"] or request_type not in treaty["covers"]:
                continue
            if treaty["title"] in seen:
                continue
            seen.add(treaty["title"])
            bases.append(
                Basis(
                    kind="bilateral",
                    code="bilateral",
                    label=treaty["title"],
                    since=treaty.get("in_force_since"),
                    verified=bool(fact["verified"]),
                    source=fact["source"],
                )
            )
    return bases


def find(
    *,
    requesting: str,
    requested: str,
    request_type: str,
    offence: str,
    measure: str = "",
    urgent: bool = False,
) -> FinderResult:
    result = FinderResult(
        requesting=requesting,
        requested=requested,
        request_type=request_type,
        measure=measure,
        offence=offence,
        urgent=urgent,
    )
    target = current_profile(requested)
    origin = current_profile(requesting)
    result.focal_points = list(
        FocalPoint.objects.current()
        .filter(agency__country=requested, user__is_active=True)
        .with_competence(offence)
        .select_related("user", "agency", "substitute__user")
        .order_by("-reachable_24_7", "user__full_name")[:10]
    )
    if target is None:
        result.warnings.append(
            _("There is no country profile for the requested country: ask its focal points.")
        )
        return result

    def note_unverified(name: str, fact: dict[str, Any] | None) -> None:
        if fact is not None and not fact.get("verified"):
            result.unverified.append(name)

    # competent authority
    measure_fact = target.get("measures", {}).get(measure) if measure else None
    if request_type in ("mla", "extradition"):
        ca = target.get("central_authorities", {}).get(request_type)
        if ca:
            result.authority = dict(ca["value"]) | {"verified": ca["verified"]}
            note_unverified(_("central authority"), ca)
    if measure_fact is not None:
        result.measure_info = dict(measure_fact["value"]) | {
            "verified": measure_fact["verified"],
            "source": measure_fact["source"],
        }
        note_unverified(_("measure"), measure_fact)
        availability = measure_fact["value"]["availability"]
        if availability == "not_available":
            result.warnings.append(_("This measure is not available in the requested country."))
        elif availability == "partly":
            result.warnings.append(
                _("This measure is only partly available in the requested country: read the notes.")
            )
    elif measure:
        result.warnings.append(_("The profile says nothing about this measure."))

    # channel and languages
    channels = target.get("channels", {}).get(request_type)
    if channels:
        result.channels = list(channels["value"]["accepted"])
        result.urgent_channel = channels["value"]["urgent"]
        note_unverified(_("channels"), channels)
    languages = target.get("accepted_languages", {}).get(request_type)
    if languages:
        result.languages = list(languages["value"])
        note_unverified(_("accepted languages"), languages)
    requirements = target.get("content_requirements", {}).get(request_type)
    if requirements:
        result.content_requirements = list(requirements["value"])

    # legal bases
    if origin is None:
        result.warnings.append(
            _(
                "There is no country profile for the requesting country: the common legal bases cannot be checked."
            )
        )
    else:
        result.bases = common_bases(
            origin, target, request_type=request_type, offence=offence, measure=measure
        )
    if not result.bases:
        result.bases = [
            Basis(
                kind="reciprocity",
                code="reciprocity",
                label=_("Reciprocity (international comity)"),
                verified=False,
            )
        ]
        result.channels = [Channel.DIPLOMATIC]
        result.urgent_channel = Channel.INTERPOL if request_type != "mla" else Channel.DIPLOMATIC
        result.warnings.append(
            _(
                "No treaty in force binds both countries for this request: it rests on reciprocity and must go through the diplomatic channel, which is slow. Give an assurance of reciprocity."
            )
        )

    # country-specific warnings
    nationals = target.get("extradites_nationals")
    if request_type == "extradition" and nationals:
        note_unverified(_("extradition of nationals"), nationals)
        if nationals["value"] == "no":
            result.warnings.append(
                _(
                    "The requested country does not extradite its nationals: if the person is a national, ask it to prosecute instead (extradite or prosecute)."
                )
            )
        elif nationals["value"] == "conditional":
            result.warnings.append(
                _(
                    "The requested country extradites its nationals only under conditions: read its profile."
                )
            )
    death = (origin or {}).get("death_penalty")
    target_death = target.get("death_penalty")
    if (
        request_type in ("extradition", "mla")
        and death
        and target_death
        and death["value"] != "abolitionist"
        and target_death["value"] == "abolitionist"
    ):
        result.warnings.append(
            _(
                "The requesting country retains the death penalty in law and the requested country has abolished it: expect to give a death-penalty assurance."
            )
        )
    if urgent and result.urgent_channel:
        result.warnings.append(
            _(
                "Urgent: send an advance copy through the urgent channel and follow with the formal request."
            )
        )
    if result.unverified:
        result.warnings.append(
            _("Some facts used here are not verified yet: confirm them with the focal points.")
        )
    return result


def compare(*, countries: list[str], measure: str, request_type: str) -> list[dict[str, Any]]:
    """One column per country: the measure, the central authority, channels, languages."""
    columns = []
    for country in countries:
        profile = current_profile(country)
        column: dict[str, Any] = {"country": country, "profile": profile is not None}
        if profile is not None:
            column["measure"] = profile.get("measures", {}).get(measure)
            column["central_authority"] = profile.get("central_authorities", {}).get(
                request_type if request_type in ("mla", "extradition") else "mla"
            )
            column["channels"] = profile.get("channels", {}).get(request_type)
            column["languages"] = profile.get("accepted_languages", {}).get(request_type)
            column["extradites_nationals"] = profile.get("extradites_nationals")
            column["death_penalty"] = profile.get("death_penalty")
        columns.append(column)
    return columns
