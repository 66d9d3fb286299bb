"""Completeness and refusal-risk checks of a cooperation request.

The guided builder calls ``evaluate`` on every screen; it answers two questions:

- *What could make the requested state refuse?* One table of rules (``RULES``): each has a
  code, a severity (``blocking`` stops submission, ``warning`` is shown), the builder step it
  belongs to, a message, an explanation, a source and a predicate over a context built once
  (both country profiles, the finder's common legal bases, the request's parts). Adding a
  ground for refusal is one entry in the table.
- *What essential information is still missing?* A checklist by request type, each item filed
  under its step so the builder can say "before moving on, this is missing", plus the
  requested country's own content requirements as reminders. The score is done / total.

``evaluate`` reads the two current profiles once each and each list of parts (offences,
persons, measures) once: five queries whatever the size of the request, two when the parts
were prefetched.

Sources are plain citations. Each was checked against a public copy of the text; where only
the article (not the paragraph) could be checked, only the article is cited, and where the
article could not be checked, only the instrument:
- Budapest Convention art. 29 (expedited preservation, for a later request to access the data):
  https://inview.nl/openCitation/iddcb76fc52723cca0e58e69684e906d60/convention-on-cybercrime-artikel-29
  and http://www.ankara.pol.tr/enu/html/cyber/i_22.php ; art. 31 (access to stored data,
  including data preserved under art. 29): https://base.garant.ru/4089723/802464714d4d10a819efb803557e9689
- European Convention on Extradition (1957) art. 14 (rule of speciality):
  https://inview.nl/openCitation/id0572bc5057c74ae367181cb8a80ac267/european-convention-on-extradition-artikel-14 ;
  art. 11 (capital punishment, assurance): http://wordscope.be/francais/neerlandais/relative+à+l'extradition.html
- UN Model Treaty on Extradition (GA res. 45/116) art. 3(a) (political offence, mandatory
  refusal): http://www1.umn.edu/humanrts/instree/extraditionmodel.html — its art. 4 (nationals,
  death penalty) and art. 14 (speciality) could not be read there: cited without article.
- UNTOC art. 16 (extradition): https://cref.pars.rs/ujedinjene-nacije/97-un-konvencija-organizaovani-kriminal/clanovi-konvencije/819-un-transnacionalni-kriminal-cl16 ;
  art. 18 (mutual legal assistance): https://cref.pars.rs/index.php/ujedinjene-nacije/97-un-konvencija-organizaovani-kriminal/clanovi-konvencije/822-clan-18-un-konvencija-transnacionalni-organizovani-kriminal
  (paragraph numbers not checked: cited by article).
- Arab Convention for the Suppression of Terrorism (1998) art. 2 (terrorist offences are not
  political offences): https://al-jazirah.com/2001/20011029/fe14.htm and
  https://djazairess.com/aps/338024
- International Convention for the Suppression of the Financing of Terrorism (1999): the
  article excluding the political-offence exception could not be checked: cited without article.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tawasul.cooperation.lifecycle import JUDICIAL_TYPES, PROFILE_FAMILY, RequestType
from tawasul.cooperation.measures import COERCIVE, PROFILE_MEASURE, MeasureKind, missing_fields
from tawasul.cooperation.models import (
    CooperationRequest,
    DocumentLanguage,
    PersonRole,
    RequestMeasure,
    RequestOffence,
    RequestPerson,
)
from tawasul.directory.finder import Basis, common_bases, current_profile
from tawasul.directory.models import WorkingLanguage

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class Risk:
    code: str
    severity: str  # "blocking" | "warning"
    message: str
    explanation: str
    source: str
    step: str


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    done: bool
    step: str
    essential: bool = True
    # A point the requested country's profile asks for in free text, which Tawasul cannot
    # check: shown as a reminder, never counted in the score nor blocking.
    reminder: bool = False


@dataclass
class Report:
    risks: list[Risk] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    # The legal bases in force for both countries that cover the request (the finder's
    # proposal, best first); empty when the request can only rest on reciprocity.
    bases: list[Basis] = field(default_factory=list)
    # Languages the requested country accepts for this family of request (profile codes).
    accepted_languages: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        scored = [item for item in self.checklist if not item.reminder]
        if not scored:
            return 0
        return round(100 * sum(1 for item in scored if item.done) / len(scored))

    @property
    def blocking(self) -> list[Risk]:
        return [r for r in self.risks if r.severity == BLOCKING]

    @property
    def warnings(self) -> list[Risk]:
        return [r for r in self.risks if r.severity == WARNING]

    @property
    def reminders(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if item.reminder]

    @property
    def proposed_basis(self) -> Basis | None:
        return self.bases[0] if self.bases else None

    def missing(self, step: str | None = None) -> list[ChecklistItem]:
        return [
            item
            for item in self.checklist
            if item.essential and not item.done and (step is None or item.step == step)
        ]

    def risks_at(self, step: str) -> list[Risk]:
        return [r for r in self.risks if r.step == step]

    @property
    def ready(self) -> bool:
        return not self.blocking and not self.missing()


# --- the context every rule reads ----------------------------------------------------------

EXTRADITION_TYPES = frozenset({RequestType.EXTRADITION, RequestType.PROVISIONAL_ARREST})
# Requests founded on a treaty (or, failing one, on reciprocity): judicial requests and JIT
# proposals. Police-to-police and spontaneous information travel through INTERPOL or the
# focal points and need no treaty basis.
BASIS_TYPES = JUDICIAL_TYPES | {RequestType.JIT_PROPOSAL}
TERRORISM = frozenset({"terrorism", "ftf", "terrorist_financing"})
# The person whose surrender or prosecution the request is about (not witnesses or victims).
PROSECUTED_ROLES = frozenset({PersonRole.SOUGHT, PersonRole.ACCUSED, PersonRole.SUSPECT})
# A moratorium keeps the death penalty in law: an abolitionist state treats it as retention.
RETAINS_DEATH_PENALTY = frozenset({"retentionist", "moratorium"})
RECIPROCITY = "reciprocity"

_LANGUAGE_NAMES = dict(WorkingLanguage.choices)
_PRODUCIBLE = frozenset(DocumentLanguage.values)
_PROFILE_MEASURE: dict[str, str] = {str(kind): name for kind, name in PROFILE_MEASURE.items()}


@dataclass
class Context:
    request: CooperationRequest
    family: str
    requesting: dict[str, Any] | None
    requested: dict[str, Any] | None
    bases: list[Basis]
    offences: list[RequestOffence]
    persons: list[RequestPerson]
    measures: list[RequestMeasure]
    accepted_languages: list[str]
    # Extradition: each country the person is to be taken through, with its profile.
    transit: list[tuple[str, dict[str, Any] | None]]

    @property
    def kinds(self) -> set[str]:
        return {m.kind for m in self.measures}

    @property
    def both_profiles(self) -> bool:
        return self.requesting is not None and self.requested is not None

    def requesting_name(self) -> str:
        return str(self.request.requesting_country.name)

    def requested_name(self) -> str:
        return str(self.request.requested_country.name)


def _fact(profile: dict[str, Any] | None, key: str) -> Any:
    """The value of a profile fact, or None when the profile or the fact is absent."""
    if not profile:
        return None
    fact = profile.get(key)
    return fact.get("value") if isinstance(fact, dict) else None


def _bases(
    requesting: dict[str, Any],
    requested: dict[str, Any],
    family: str,
    offence: str,
    kinds: set[str],
) -> list[Basis]:
    """The finder's common bases for the request as a whole and for each measure in it (the
    Budapest Convention covers e-evidence measures whatever the offence), without repeats."""
    found: dict[tuple[str, str], Basis] = {}
    for measure in ("", *sorted({_PROFILE_MEASURE.get(kind, "") for kind in kinds} - {""})):
        for basis in common_bases(
            requesting, requested, request_type=family, offence=offence, measure=measure
        ):
            found.setdefault((basis.code, basis.label), basis)
    return list(found.values())


def build_context(
    request: CooperationRequest,
    *,
    requesting: dict[str, Any] | None = None,
    requested: dict[str, Any] | None = None,
) -> Context:
    """Everything the rules and the checklist read, fetched once. Profiles may be passed in
    by a caller that already holds them."""
    family = PROFILE_FAMILY.get(request.request_type, "mla")
    if requesting is None:
        requesting = current_profile(str(request.requesting_country))
    if requested is None:
        requested = current_profile(str(request.requested_country))
    # .all() reads a prefetch cache when the caller filled one.
    offences = list(request.offences.all())
    persons = list(request.persons.all())
    measures = list(request.measures.all())
    kinds = {m.kind for m in measures}
    bases = (
        _bases(requesting, requested, family, request.offence_category, kinds)
        if requesting is not None and requested is not None
        else []
    )
    accepted = list(
        ((requested or {}).get("accepted_languages") or {}).get(family, {}).get("value") or []
    )
    return Context(
        request=request,
        family=family,
        requesting=requesting,
        requested=requested,
        bases=bases,
        offences=offences,
        persons=persons,
        measures=measures,
        accepted_languages=accepted,
        transit=[
            (country.code, current_profile(country.code)) for country in request.transit_countries
        ],
    )


def _language_names(codes: list[str]) -> str:
    return ", ".join(str(_LANGUAGE_NAMES.get(code, code)) for code in codes)


def _person_name(person: RequestPerson) -> str:
    return person.name_latin or person.name_arabic or str(person.get_role_display())


# --- the rules -----------------------------------------------------------------------------

Params = dict[str, str]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    step: str
    message: Promise
    explanation: Promise
    source: Promise
    # Returns None when the rule stays silent, or the values its texts need when it fires.
    check: Callable[[Context], Params | None]
    # The request types the rule concerns; None: every type.
    types: frozenset[str] | None = None

    def apply(self, ctx: Context) -> Risk | None:
        if self.types is not None and ctx.request.request_type not in self.types:
            return None
        params = self.check(ctx)
        if params is None:
            return None
        return Risk(
            code=self.code,
            severity=self.severity,
            message=str(self.message) % params,
            explanation=str(self.explanation) % params,
            source=str(self.source),
            step=self.step,
        )


def _no_profile(ctx: Context) -> Params | None:
    missing = [
        name
        for profile, name in (
            (ctx.requesting, ctx.requesting_name()),
            (ctx.requested, ctx.requested_name()),
        )
        if profile is None
    ]
    return {"countries": ", ".join(missing)} if missing else None


def _reciprocity_only(ctx: Context) -> Params | None:
    if not ctx.both_profiles or ctx.bases:
        return None
    return {"requesting": ctx.requesting_name(), "requested": ctx.requested_name()}


# The builder stores a basis written by hand (a treaty the profiles do not list) under this code.
OTHER_BASIS = "other"


def _basis_unlisted(ctx: Context) -> Params | None:
    if ctx.request.legal_basis.strip() != OTHER_BASIS:
        return None
    return {"chosen": ctx.request.legal_basis_text.strip() or OTHER_BASIS}


def _basis_not_common(ctx: Context) -> Params | None:
    chosen = ctx.request.legal_basis.strip()
    if not ctx.both_profiles or not chosen or chosen in (RECIPROCITY, OTHER_BASIS):
        return None
    if chosen in {basis.code for basis in ctx.bases}:
        return None
    available = (
        "; ".join(basis.label for basis in ctx.bases)
        if ctx.bases
        else str(_("none: the request can only rest on reciprocity"))
    )
    return {"chosen": ctx.request.legal_basis_text.strip() or chosen, "available": available}


def _coercive_without_dual_criminality(ctx: Context) -> Params | None:
    coercive = [m for m in ctx.measures if m.kind in COERCIVE]
    if not coercive or ctx.request.dual_criminality_statement.strip():
        return None
    names = sorted({str(m.get_kind_display()) for m in coercive})
    return {"measures": ", ".join(names)}


def _death_penalty_gap(ctx: Context) -> Params | None:
    if ctx.request.assurance_death_penalty:
        return None
    if _fact(ctx.requesting, "death_penalty") not in RETAINS_DEATH_PENALTY:
        return None
    if _fact(ctx.requested, "death_penalty") != "abolitionist":
        return None
    return {"requesting": ctx.requesting_name(), "requested": ctx.requested_name()}


def _death_penalty_transit_gap(ctx: Context) -> Params | None:
    if ctx.request.assurance_death_penalty:
        return None
    if _fact(ctx.requesting, "death_penalty") not in RETAINS_DEATH_PENALTY:
        return None
    abolitionist = [
        str(countries.name(code))
        for code, profile in ctx.transit
        if _fact(profile, "death_penalty") == "abolitionist"
    ]
    if not abolitionist:
        return None
    return {"requesting": ctx.requesting_name(), "transit": ", ".join(abolitionist)}


def _nationals(policy: str) -> Callable[[Context], Params | None]:
    def check(ctx: Context) -> Params | None:
        if _fact(ctx.requested, "extradites_nationals") != policy:
            return None
        country = str(ctx.request.requested_country)
        names = [
            _person_name(p)
            for p in ctx.persons
            if p.role in PROSECUTED_ROLES and str(p.nationality) == country
        ]
        if not names:
            return None
        return {"names": ", ".join(names), "requested": ctx.requested_name()}

    return check


def _political_offence(ctx: Context) -> Params | None:
    if ctx.request.offence_category not in TERRORISM:
        return None
    return None if ctx.request.non_political_statement.strip() else {}


def _language_gap(ctx: Context) -> tuple[list[str], list[str]] | None:
    """(accepted, producible) when the request's language is not accepted, else None."""
    accepted = ctx.accepted_languages
    if not accepted or ctx.request.document_language in accepted:
        return None
    return accepted, [code for code in accepted if code in _PRODUCIBLE]


def _language_not_accepted(ctx: Context) -> Params | None:
    gap = _language_gap(ctx)
    if gap is None or not gap[1]:
        return None
    return {
        "language": str(
            _LANGUAGE_NAMES.get(ctx.request.document_language, ctx.request.document_language)
        ),
        "requested": ctx.requested_name(),
        "accepted": _language_names(gap[0]),
        "choices": _language_names(gap[1]),
    }


def _translation_needed(ctx: Context) -> Params | None:
    gap = _language_gap(ctx)
    if gap is None or gap[1]:
        return None
    return {"requested": ctx.requested_name(), "accepted": _language_names(gap[0])}


def _urgent_without_reason(ctx: Context) -> Params | None:
    return {} if ctx.request.urgent and not ctx.request.urgency_reason.strip() else None


def _content_without_preservation(ctx: Context) -> Params | None:
    if MeasureKind.PRESERVATION in ctx.kinds:
        return None
    unpreserved = [
        m
        for m in ctx.measures
        if m.kind == MeasureKind.CONTENT_DATA
        and not str((m.details or {}).get("preservation_reference") or "").strip()
    ]
    return {} if unpreserved else None


def _no_speciality(ctx: Context) -> Params | None:
    return None if ctx.request.assurance_speciality else {}


RULES: tuple[Rule, ...] = (
    Rule(
        code="no_profile",
        severity=WARNING,
        step="type",
        message=_("There is no country profile for %(countries)s: some checks could not be made."),
        explanation=_(
            "Legal bases, languages, nationals and the death penalty are checked against the "
            "country profiles. Ask the focal points of the country for its requirements."
        ),
        source=_("Tawasul country profiles (data/profiles)"),
        check=_no_profile,
    ),
    Rule(
        code="reciprocity_only",
        severity=WARNING,
        step="basis",
        message=_(
            "No treaty in force binds %(requesting)s and %(requested)s for this request: it "
            "rests on reciprocity alone."
        ),
        explanation=_(
            "Without a treaty the requested state is not bound to help. Send the request through "
            "the diplomatic channel, state the assurance of reciprocity in it and expect delays."
        ),
        source=_(
            "Country profiles: instruments and bilateral treaties in force for both countries"
        ),
        check=_reciprocity_only,
        types=BASIS_TYPES,
    ),
    Rule(
        code="basis_not_common",
        severity=BLOCKING,
        step="basis",
        message=_(
            "The chosen legal basis (%(chosen)s) does not bind both countries for this request."
        ),
        explanation=_(
            "A treaty founds a request only if both states are parties and it covers the type of "
            "request and the offence. Bases in force for both: %(available)s."
        ),
        source=_(
            "Country profiles: instruments and bilateral treaties in force for both countries"
        ),
        check=_basis_not_common,
        types=BASIS_TYPES,
    ),
    Rule(
        code="basis_unlisted",
        severity=WARNING,
        step="basis",
        message=_("The legal basis written by hand (%(chosen)s) is not in the country profiles."),
        explanation=_(
            "Tawasul cannot check that this instrument binds both states and covers the request: "
            "check it with the central authority, and ask the national administrator to add it "
            "to the country profile."
        ),
        source=_(
            "Country profiles: instruments and bilateral treaties in force for both countries"
        ),
        check=_basis_unlisted,
        types=BASIS_TYPES,
    ),
    Rule(
        code="dual_criminality",
        severity=BLOCKING,
        step="conditions",
        message=_(
            "Coercive measures (%(measures)s) are requested without a dual-criminality statement."
        ),
        explanation=_(
            "A requested state may refuse coercive measures when the conduct is not an offence "
            "under its own law. State how the facts are also an offence there (the conduct, not "
            "the name of the offence, counts)."
        ),
        source=_("UNTOC art. 18"),
        check=_coercive_without_dual_criminality,
    ),
    Rule(
        code="death_penalty_assurance",
        severity=BLOCKING,
        step="conditions",
        message=_(
            "%(requesting)s keeps the death penalty in law and %(requested)s has abolished it: "
            "no assurance is given."
        ),
        explanation=_(
            "An abolitionist state refuses to surrender a person who may face the death penalty "
            "unless the requesting state assures that it will not be imposed or, if imposed, "
            "will not be carried out. A moratorium is not enough. Give the assurance."
        ),
        source=_(
            "European Convention on Extradition 1957 art. 11; UN Model Treaty on Extradition (1990)"
        ),
        check=_death_penalty_gap,
        types=EXTRADITION_TYPES,
    ),
    Rule(
        code="death_penalty_transit",
        severity=BLOCKING,
        step="conditions",
        message=_(
            "%(requesting)s keeps the death penalty in law and the person is to be taken "
            "through %(transit)s, which has abolished it: no assurance is given."
        ),
        explanation=_(
            "A state asked to let the person through may make the transit subject to its own "
            "conditions of extradition; an abolitionist one then refuses it without an "
            "assurance that the death penalty will not be imposed or carried out. Give the "
            "assurance, or plan another route."
        ),
        source=_("European Convention on Extradition 1957 art. 21(5) and art. 11"),
        check=_death_penalty_transit_gap,
        types=EXTRADITION_TYPES,
    ),
    Rule(
        code="death_penalty_evidence",
        severity=WARNING,
        step="conditions",
        message=_(
            "%(requesting)s keeps the death penalty in law and %(requested)s has abolished it."
        ),
        explanation=_(
            "If the offence can carry the death penalty, the requested state may refuse "
            "assistance or ask that the evidence not be used to seek it. Consider giving an "
            "assurance that the death penalty will not be sought or carried out."
        ),
        source=_("Country profiles (death penalty); practice of abolitionist states"),
        check=_death_penalty_gap,
        types=frozenset({RequestType.MLA}),
    ),
    Rule(
        code="national_not_extradited",
        severity=BLOCKING,
        step="persons",
        message=_(
            "%(requested)s does not extradite its nationals, and the person sought is one: %(names)s."
        ),
        explanation=_(
            "Extradite or prosecute (aut dedere aut judicare): ask %(requested)s to prosecute "
            "the person itself, by a request for transfer of proceedings, instead of asking for "
            "extradition."
        ),
        source=_("UNTOC art. 16; UN Model Treaty on Extradition (1990)"),
        check=_nationals("no"),
        types=EXTRADITION_TYPES,
    ),
    Rule(
        code="national_conditional",
        severity=WARNING,
        step="persons",
        message=_(
            "%(requested)s extradites its nationals only under conditions, and the person sought is one: %(names)s."
        ),
        explanation=_(
            "Read the conditions in the country profile and show in the request that they are "
            "met; otherwise consider asking %(requested)s to prosecute (transfer of proceedings)."
        ),
        source=_("UNTOC art. 16; UN Model Treaty on Extradition (1990)"),
        check=_nationals("conditional"),
        types=EXTRADITION_TYPES,
    ),
    Rule(
        code="political_offence",
        severity=WARNING,
        step="conditions",
        message=_("The request does not state that the offence is not a political offence."),
        explanation=_(
            "Political offences are a classic ground for refusal. Terrorist offences and their "
            "financing are excluded from that exception by the counter-terrorism conventions: "
            "say so in the request and name the convention."
        ),
        source=_(
            "International Convention for the Suppression of the Financing of Terrorism (1999); "
            "Arab Convention for the Suppression of Terrorism 1998 art. 2; "
            "UN Model Treaty on Extradition art. 3(a)"
        ),
        check=_political_offence,
        types=frozenset({RequestType.MLA, RequestType.EXTRADITION, RequestType.PROVISIONAL_ARREST}),
    ),
    Rule(
        code="language_not_accepted",
        severity=BLOCKING,
        step="basis",
        message=_(
            "%(requested)s does not accept requests in %(language)s (it accepts %(accepted)s)."
        ),
        explanation=_(
            "A request in a language the requested state does not accept is returned for "
            "translation. Draft it in %(choices)s."
        ),
        source=_("UNTOC art. 18; country profile (accepted languages)"),
        check=_language_not_accepted,
    ),
    Rule(
        code="translation_needed",
        severity=WARNING,
        step="attachments",
        message=_("%(requested)s accepts requests only in %(accepted)s: a translation is needed."),
        explanation=_(
            "Tawasul cannot draft the request in that language. Attach a certified translation "
            "of the request and of its supporting documents."
        ),
        source=_("UNTOC art. 18; country profile (accepted languages)"),
        check=_translation_needed,
    ),
    Rule(
        code="urgency_without_reason",
        severity=BLOCKING,
        step="type",
        message=_("The request is marked urgent but gives no reason."),
        explanation=_(
            "Requested states give priority only to urgency that is explained: say why (a person "
            "in custody, a trial date, data about to be deleted, a risk to life) and by when."
        ),
        source=_("UNTOC art. 18"),
        check=_urgent_without_reason,
    ),
    Rule(
        code="content_without_preservation",
        severity=WARNING,
        step="measures",
        message=_("Content data is requested without prior preservation."),
        explanation=_(
            "Providers delete data quickly and a formal request takes months. Ask for expedited "
            "preservation first (through the 24/7 contact point) and give its reference, or add "
            "a preservation measure to this request."
        ),
        source=_("Budapest Convention on Cybercrime arts. 29 and 31"),
        check=_content_without_preservation,
    ),
    Rule(
        code="no_speciality",
        severity=BLOCKING,
        step="conditions",
        message=_("The extradition request contains no speciality undertaking."),
        explanation=_(
            "The requested state surrenders the person for the offences in the request only. "
            "Undertake that the person will not be prosecuted, sentenced or detained for any "
            "other offence committed before the surrender, nor re-extradited, without its consent."
        ),
        source=_(
            "European Convention on Extradition 1957 art. 14; UN Model Treaty on Extradition (1990)"
        ),
        check=_no_speciality,
        types=frozenset({RequestType.EXTRADITION}),
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


# --- the checklist -------------------------------------------------------------------------


class _Checklist:
    def __init__(self) -> None:
        self.items: list[ChecklistItem] = []

    def add(
        self,
        code: str,
        label: Promise | str,
        done: object,  # anything: its truth says whether the item is filled in
        step: str,
        *,
        essential: bool = True,
        reminder: bool = False,
    ) -> None:
        self.items.append(ChecklistItem(code, str(label), bool(done), step, essential, reminder))


def _key(obj: Any, index: int) -> str:
    return str(obj.pk) if obj.pk is not None else f"n{index}"


def _checklist(ctx: Context) -> list[ChecklistItem]:
    r = ctx.request
    extradition = r.request_type in EXTRADITION_TYPES
    out = _Checklist()

    out.add("request_type", _("Type of request"), r.request_type, "type")
    out.add("requested_country", _("Requested country"), r.requested_country, "type")
    out.add("offence_category", _("Area of crime"), r.offence_category, "type")

    out.add(
        "requested_authority",
        _("Requested authority"),
        r.requested_agency_id or r.requested_authority.strip(),
        "basis",
    )
    if r.request_type in BASIS_TYPES:
        out.add("legal_basis", _("Legal basis"), r.legal_basis.strip(), "basis")
    out.add("document_language", _("Language of the request"), r.document_language, "basis")

    out.add("summary_of_facts", _("Summary of the facts"), r.summary_of_facts.strip(), "facts")
    out.add(
        "purpose", _("Purpose of the request and link to the facts"), r.purpose.strip(), "facts"
    )
    out.add("offences", _("At least one offence"), ctx.offences, "facts")
    for i, offence in enumerate(ctx.offences, 1):
        key = _key(offence, i)
        out.add(
            f"offence_{key}_provision",
            _("Offence “%(offence)s”: the legal provision, quoted") % {"offence": offence},
            offence.legal_provision.strip(),
            "facts",
        )
        if extradition:
            # Extraditable offences are defined by their penalty: the requested state checks
            # the threshold in both laws.
            out.add(
                f"offence_{key}_penalty",
                _("Offence “%(offence)s”: the maximum penalty") % {"offence": offence},
                offence.penalty.strip(),
                "facts",
            )

    _persons(ctx, out)

    if r.request_type == RequestType.MLA:
        out.add("measures", _("At least one measure requested"), ctx.measures, "measures")
    for i, measure in enumerate(ctx.measures, 1):
        missing = missing_fields(measure.kind, measure.details or {})
        name = measure.get_kind_display()
        label = (
            _("%(measure)s: give %(fields)s")
            % {"measure": name, "fields": ", ".join(str(f.label) for f in missing)}
            if missing
            else _("%(measure)s: details given") % {"measure": name}
        )
        out.add(f"measure_{_key(measure, i)}", label, not missing, "measures")

    requirements = ((ctx.requested or {}).get("content_requirements") or {}).get(ctx.family)
    for i, text in enumerate((requirements or {}).get("value") or [], 1):
        out.add(f"profile_requirement_{i}", text, False, "review", essential=False, reminder=True)
    return out.items


def _persons(ctx: Context, out: _Checklist) -> None:
    extradition = ctx.request.request_type in EXTRADITION_TYPES
    if extradition:
        out.add(
            "person_sought",
            _("The person sought"),
            any(p.role in PROSECUTED_ROLES for p in ctx.persons),
            "persons",
        )
    for i, person in enumerate(ctx.persons, 1):
        key = _key(person, i)
        who = {"person": _person_name(person)}
        if extradition and person.role in PROSECUTED_ROLES:
            # The requested state must identify the person beyond doubt, in its own script
            # as in the requesting state's: both spellings, date of birth and nationality.
            out.add(
                f"person_{key}_name_arabic",
                _("%(person)s: name in Arabic script") % who,
                person.name_arabic.strip(),
                "persons",
            )
            out.add(
                f"person_{key}_name_latin",
                _("%(person)s: name in Latin script") % who,
                person.name_latin.strip(),
                "persons",
            )
            out.add(
                f"person_{key}_date_of_birth",
                _("%(person)s: date of birth") % who,
                person.date_of_birth,
                "persons",
            )
            out.add(
                f"person_{key}_nationality",
                _("%(person)s: nationality") % who,
                person.nationality,
                "persons",
            )
            out.add(
                f"person_{key}_identity_document",
                _("%(person)s: identity document, if known") % who,
                person.document_type.strip() and person.document_number.strip(),
                "persons",
                essential=False,
            )
        else:
            out.add(
                f"person_{key}_name",
                _("%(person)s: name in Arabic or Latin script") % who,
                person.name_arabic.strip() or person.name_latin.strip(),
                "persons",
            )


def evaluate(request: CooperationRequest) -> Report:
    """Every check of ``request`` against its type and the requested country's profile."""
    ctx = build_context(request)
    risks = [risk for rule in RULES if (risk := rule.apply(ctx)) is not None]
    return Report(
        risks=risks,
        checklist=_checklist(ctx),
        bases=ctx.bases,
        accepted_languages=ctx.accepted_languages,
    )
