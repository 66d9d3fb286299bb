"""Every write of cooperation requests, each with its audit event in the same transaction.

Audit details name fields, parts and statuses, never the content (facts, names): oversight reads
the log without reading the case.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from tawasul.accounts.models import User
from tawasul.audit.services import audit_record
from tawasul.cooperation import checks, documents
from tawasul.cooperation.events import CooperationEvent
from tawasul.cooperation.lifecycle import (
    CLOSED,
    PROFILE_FAMILY,
    RequestType,
    Side,
    Status,
)
from tawasul.cooperation.lifecycle import action as lifecycle_action
from tawasul.cooperation.measures import MeasureKind, fields_of
from tawasul.cooperation.models import (
    CooperationRequest,
    DocumentFormat,
    DocumentLanguage,
    IdempotencyKey,
    PersonRole,
    RequestAssignment,
    RequestAttachment,
    RequestDocument,
    RequestMeasure,
    RequestNotification,
    RequestOffence,
    RequestPerson,
    RequestTransition,
    may_work_on_requests,
)
from tawasul.cooperation.receipts import sign
from tawasul.core.access import user_roles
from tawasul.core.errors import ServiceError
from tawasul.core.handling import HandlingCode
from tawasul.core.roles import Role
from tawasul.directory.models import Agency, Competence
from tawasul.messaging import files

# The fields a drafter fills in, by builder step (the parts — offences, persons, measures,
# attachments — have their own services).
FIELDS_BY_STEP: dict[str, tuple[str, ...]] = {
    "type": (
        "request_type",
        "requested_country",
        "offence_category",
        "requesting_reference",
        "urgent",
        "urgency_reason",
        "deadline",
    ),
    "basis": ("requested_agency", "requested_authority", "legal_basis", "legal_basis_text"),
    "facts": ("summary_of_facts", "purpose"),
    "conditions": (
        "dual_criminality_statement",
        "non_political_statement",
        "assurance_death_penalty",
        "transit_countries",
        "assurance_speciality",
        "assurance_fair_trial",
        "assurances_text",
        "confidential",
        "confidentiality_note",
        "handling_code",
        "restriction",
        "document_language",
    ),
}
EDITABLE_FIELDS = frozenset(name for names in FIELDS_BY_STEP.values() for name in names)
TEXT_LIMIT = 20_000

# Expected answer times (days) when the requested country's profile gives none; a practitioner's
# rule of thumb, documented in docs/cooperation.md, overridden by profile data.
DEFAULT_RESPONSE_DAYS: dict[str, int] = {
    RequestType.MLA: 90,
    RequestType.EXTRADITION: 60,
    RequestType.PROVISIONAL_ARREST: 7,
    RequestType.TRANSFER_OF_PROCEEDINGS: 120,
    RequestType.JIT_PROPOSAL: 60,
    RequestType.SPONTANEOUS: 30,
    RequestType.POLICE: 30,
}
URGENT_RESPONSE_DAYS = 15


def _refuse(message: str, field: str | None = None) -> ServiceError:
    return ServiceError(message, field=field)


def _require_worker(actor: Any) -> None:
    if not may_work_on_requests(actor):
        raise _refuse(_("Only focal points and central-authority users work on requests."))


def _require_side(actor: Any, request: CooperationRequest, side: str) -> None:
    if request.side_of(actor) != side:
        raise _refuse(_("Only the requesting side can change this request."))


def _require_part(actor: Any, request: CooperationRequest) -> None:
    """The actor must be one of those who see the request (``visible_to``): being of the
    right country and role is not enough (another agency's focal point, a focal point of the
    requested country not assigned to it). The gateways already 404 such users; this keeps
    the rule when a service is called directly."""
    if not CooperationRequest.objects.visible_to(actor).filter(pk=request.pk).exists():
        raise _refuse(_("You have no part in this request."))


def _require_draft(actor: Any, request: CooperationRequest) -> None:
    _require_worker(actor)
    _require_side(actor, request, Side.REQUESTING)
    _require_part(actor, request)
    if request.status != Status.DRAFT:
        raise _refuse(_("Only a draft can be changed; return it to the drafter first."))


def _locked(request: CooperationRequest) -> CooperationRequest:
    """The request's row, locked until the transaction ends, so two writers are serialised
    and every check below reads the current status."""
    return CooperationRequest.objects.select_for_update().get(pk=request.pk)


def _touch(request: CooperationRequest) -> None:
    request.content_version += 1
    request.updated_at = request.content_changed_at = timezone.now()
    request.save(update_fields=["content_version", "updated_at", "content_changed_at"])


def _validate_model_fields(request: CooperationRequest, names: Iterable[str]) -> None:
    names = set(names)
    try:
        request.full_clean(
            exclude=[f.name for f in request._meta.fields if f.name not in names],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        label = getattr(request._meta.get_field(field), "verbose_name", field)
        raise _refuse(f"{label}: {messages[0]}", field) from None


def _clean_text(value: Any, field: str) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if len(text) > TEXT_LIMIT:
        raise _refuse(_("This text is too long (at most 20,000 characters)."), field)
    return text


def _assign_fields(request: CooperationRequest, values: Mapping[str, Any]) -> list[str]:
    """Copy the allowed fields onto ``request`` and return the names that changed."""
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise _refuse(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]})
    changed: list[str] = []
    # The countries of transit last: they are checked against the requested country.
    for name, value in sorted(values.items(), key=lambda item: item[0] == "transit_countries"):
        field: Any = request._meta.get_field(name)
        if name == "requested_agency":
            agency = _requested_agency(request, value)
            if agency != request.requested_agency:
                request.requested_agency = agency
                changed.append(name)
            continue
        if name == "transit_countries":
            codes = _transit_countries(request, value)
            if codes != [country.code for country in request.transit_countries]:
                request.transit_countries = codes
                changed.append(name)
            continue
        if field.get_internal_type() == "BooleanField":
            value = bool(value)
        elif field.get_internal_type() == "DateField":
            value = _date(value, name)
        else:
            value = _clean_text(value, name)
        if name == "requested_country":
            value = value.upper()
        if getattr(request, name) != value:
            setattr(request, name, value)
            changed.append(name)
    return changed


def _transit_countries(request: CooperationRequest, value: Any) -> list[str]:
    """Country codes, each once, in the order given; neither side's own country."""
    if value in (None, ""):
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise _refuse(
            _("Give the countries of transit as a list of country codes."), "transit_countries"
        )
    codes: list[str] = []
    for item in value:
        code = str(item or "").strip().upper()
        if code not in countries:
            raise _refuse(_("Unknown country: %(code)s") % {"code": code[:10]}, "transit_countries")
        if code in (str(request.requesting_country), str(request.requested_country)):
            raise _refuse(
                _("A country of transit is neither the requesting nor the requested country."),
                "transit_countries",
            )
        if code not in codes:
            codes.append(code)
    return codes


def _date(value: Any, field: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _refuse(_("Enter a valid date (YYYY-MM-DD)."), field) from None


def _requested_agency(request: CooperationRequest, value: Any) -> Agency | None:
    if value in (None, ""):
        return None
    agency_id = value.pk if isinstance(value, Agency) else value
    try:
        agency = Agency.objects.get(pk=int(agency_id))
    except (Agency.DoesNotExist, TypeError, ValueError):
        raise _refuse(_("Choose an authority from the directory."), "requested_agency") from None
    return agency


def _check_consistency(request: CooperationRequest) -> None:
    if str(request.requested_country) == str(request.requesting_country):
        raise _refuse(_("A request goes to a country other than your own."), "requested_country")
    if request.requested_agency is not None and str(request.requested_agency.country) != str(
        request.requested_country
    ):
        raise _refuse(
            _("The requested authority must be in the requested country."), "requested_agency"
        )


def _propose_from_finder(request: CooperationRequest, actor: Any) -> None:
    """Fill what the finder knows: the central authority, the legal basis, a language the
    requested country accepts (the drafter's own if it is one)."""
    from tawasul.directory.finder import find

    result = find(
        requesting=str(request.requesting_country),
        requested=str(request.requested_country),
        request_type=PROFILE_FAMILY[request.request_type],
        offence=request.offence_category,
        urgent=request.urgent,
    )
    if not request.requested_authority and result.authority:
        request.requested_authority = str(result.authority.get("name_en", ""))[:300]
    if not request.legal_basis and result.bases:
        request.legal_basis = result.bases[0].code[:40]
        request.legal_basis_text = result.bases[0].label[:500]
    accepted = [lang for lang in result.languages if lang in DocumentLanguage.values]
    preferred = (getattr(actor, "language", "") or "")[:2]
    if accepted:
        request.document_language = preferred if preferred in accepted else accepted[0]


def _assign_reference(request: CooperationRequest) -> None:
    request.reference = f"{request.requesting_country}-{request.created_at:%Y}-{request.pk:06d}"
    request.save(update_fields=["reference"])


@transaction.atomic
def request_create(
    *,
    actor: User,
    values: Mapping[str, Any],
    idempotency_key: str = "",
    source_hit: Any = None,
) -> CooperationRequest:
    """Start a draft in the actor's country and agency (a focal point or central-authority
    user). ``values`` needs the request type, the requested country and the area of crime; the
    finder proposes the requested authority, the legal basis and the document language. With
    an ``idempotency_key`` a repeated call returns the first draft instead of a second one."""
    _require_worker(actor)
    if actor.agency_id is None:
        raise _refuse(_("Your account has no agency: ask your national administrator."))
    key = idempotency_key.strip()[:100]
    if key:
        done = IdempotencyKey.objects.filter(user=actor, key=key).select_related("request").first()
        if done is not None:
            return done.request
    for required in ("request_type", "requested_country", "offence_category"):
        if not str(values.get(required) or "").strip():
            raise _refuse(_("This field is required."), required)
    now = timezone.now()
    request = CooperationRequest(
        requesting_country=actor.country,
        requesting_agency_id=actor.agency_id,
        created_by=actor,
        created_at=now,
        updated_at=now,
        content_changed_at=now,
        status_changed_at=now,
    )
    changed = _assign_fields(request, values)
    _validate_model_fields(request, changed)
    _check_consistency(request)
    _propose_from_finder(request, actor)
    request.source_hit = source_hit
    request.save()
    _assign_reference(request)
    if key:
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(user=actor, key=key, request=request)
        except IntegrityError:
            # A concurrent retry won the race: this transaction's draft must not survive.
            raise _refuse(_("This request is already being created; try again.")) from None
    audit_record(
        event_type=CooperationEvent.CREATED,
        actor=actor,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        details={
            "reference": request.reference,
            "request_type": request.request_type,
            "requested_country": str(request.requested_country),
            "fields": sorted(changed),
            "from_hit": source_hit.pk if source_hit is not None else None,
        },
    )
    return request


@transaction.atomic
def request_update(
    *, actor: User, request: CooperationRequest, values: Mapping[str, Any]
) -> list[str]:
    """Change fields of a draft (requesting side only); returns the names that changed and
    bumps the content version when any did."""
    request = _locked(request)
    _require_draft(actor, request)
    changed = _assign_fields(request, values)
    if not changed:
        return []
    _validate_model_fields(request, changed)
    _check_consistency(request)
    request.content_version += 1
    request.updated_at = request.content_changed_at = timezone.now()
    request.save()
    audit_record(
        event_type=CooperationEvent.UPDATED,
        actor=actor,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        details={"fields": sorted(changed), "content_version": request.content_version},
    )
    return changed


def _audit_part(
    actor: Any, request: CooperationRequest, event: str, part: str, part_id: int
) -> None:
    audit_record(
        event_type=event,
        actor=actor,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        details={"part": part, "part_id": part_id, "content_version": request.content_version},
    )


@transaction.atomic
def request_offence_add(
    *,
    actor: User,
    request: CooperationRequest,
    description: str,
    legal_provision: str,
    penalty: str = "",
) -> RequestOffence:
    """Add an offence, with its legal provision quoted, to a draft."""
    request = _locked(request)
    _require_draft(actor, request)
    description = _clean_text(description, "description")[:300]
    legal_provision = _clean_text(legal_provision, "legal_provision")
    if not description:
        raise _refuse(_("Name the offence."), "description")
    if not legal_provision:
        raise _refuse(_("Quote the legal provision."), "legal_provision")
    offence = RequestOffence.objects.create(
        request=request,
        description=description,
        legal_provision=legal_provision,
        penalty=_clean_text(penalty, "penalty")[:200],
    )
    _touch(request)
    _audit_part(actor, request, CooperationEvent.PART_ADDED, "offence", offence.pk)
    return offence


_PERSON_FIELDS = (
    "role",
    "name_arabic",
    "name_latin",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "document_type",
    "document_number",
    "notes",
)
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


@transaction.atomic
def request_person_add(
    *, actor: User, request: CooperationRequest, values: Mapping[str, Any]
) -> RequestPerson:
    """Add a person concerned to a draft: a role, a name in Arabic and/or Latin script, and
    what identifies them."""
    request = _locked(request)
    _require_draft(actor, request)
    unknown = set(values) - set(_PERSON_FIELDS)
    if unknown:
        raise _refuse(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]})
    person = RequestPerson(request=request)
    for name in _PERSON_FIELDS:
        if name not in values:
            continue
        if name == "date_of_birth":
            person.date_of_birth = _date(values[name], name)
        else:
            setattr(person, name, _clean_text(values[name], name))
    person.nationality = str(person.nationality or "").upper()
    if person.role not in PersonRole.values:
        raise _refuse(_("Choose the person's role in the case."), "role")
    if not person.name_arabic and not person.name_latin:
        raise _refuse(_("Give the person's name in Arabic or Latin script."), "name_latin")
    if person.name_arabic and not _ARABIC.search(person.name_arabic):
        raise _refuse(_("The Arabic-script name has no Arabic letters."), "name_arabic")
    if person.name_latin and not _LATIN.search(person.name_latin):
        raise _refuse(_("The Latin-script name has no Latin letters."), "name_latin")
    if person.date_of_birth and person.date_of_birth > timezone.localdate():
        raise _refuse(_("The date of birth is in the future."), "date_of_birth")
    try:
        person.full_clean(exclude=["request"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise _refuse(messages[0], field) from None
    person.save()
    _touch(request)
    _audit_part(actor, request, CooperationEvent.PART_ADDED, "person", person.pk)
    return person


def clean_measure_details(kind: str, details: Mapping[str, Any]) -> dict[str, str]:
    """The details of a measure of ``kind``: only its own fields, as text (dates as
    YYYY-MM-DD), refused when a date is malformed or the period is reversed."""
    if kind not in MeasureKind.values:
        raise _refuse(_("Choose a measure."), "kind")
    known = {f.name: f for f in fields_of(kind)}
    unknown = set(details) - set(known)
    if unknown:
        raise _refuse(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]})
    cleaned: dict[str, str] = {}
    for name, spec in known.items():
        raw = details.get(name)
        if spec.kind == "date":
            value = _date(raw, name)
            cleaned[name] = value.isoformat() if value else ""
        else:
            cleaned[name] = _clean_text(raw, name)[: 5000 if spec.kind == "long" else 300]
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if start and end and start > end:
        raise _refuse(_("The period ends before it starts."), "period_end")
    return cleaned


@transaction.atomic
def request_measure_add(
    *, actor: User, request: CooperationRequest, kind: str, details: Mapping[str, Any]
) -> RequestMeasure:
    """Add a measure, with its own fields, to a draft."""
    request = _locked(request)
    _require_draft(actor, request)
    measure = RequestMeasure.objects.create(
        request=request, kind=kind, details=clean_measure_details(kind, details)
    )
    _touch(request)
    _audit_part(actor, request, CooperationEvent.PART_ADDED, "measure", measure.pk)
    return measure


@transaction.atomic
def request_measure_update(
    *, actor: User, request: CooperationRequest, measure_id: int, details: Mapping[str, Any]
) -> RequestMeasure:
    """Change the fields of one of a draft's measures."""
    request = _locked(request)
    _require_draft(actor, request)
    measure = RequestMeasure.objects.filter(request=request, pk=measure_id).first()
    if measure is None:
        raise _refuse(_("This measure is not part of the request."))
    measure.details = clean_measure_details(measure.kind, details)
    measure.save(update_fields=["details"])
    _touch(request)
    audit_record(
        event_type=CooperationEvent.UPDATED,
        actor=actor,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        details={
            "part": "measure",
            "part_id": measure.pk,
            "content_version": request.content_version,
        },
    )
    return measure


_PARTS: dict[str, Any] = {
    "offence": RequestOffence,
    "person": RequestPerson,
    "measure": RequestMeasure,
}


@transaction.atomic
def request_part_remove(
    *, actor: User, request: CooperationRequest, part: str, part_id: int
) -> None:
    """Remove an offence, a person or a measure from a draft."""
    request = _locked(request)
    _require_draft(actor, request)
    model = _PARTS.get(part)
    if model is None:
        raise _refuse(_("Unknown part of a request."))
    deleted, _detail = model.objects.filter(request=request, pk=part_id).delete()
    if not deleted:
        raise _refuse(_("This part is not in the request."))
    _touch(request)
    _audit_part(actor, request, CooperationEvent.PART_REMOVED, part, part_id)


# --- attachments ---------------------------------------------------------------------------

# Statuses in which each side may add files: the requesting side while drafting or answering a
# question, the requested side while it handles the request (execution results).
ATTACHABLE: dict[str, frozenset[str]] = {
    Side.REQUESTING: frozenset({Status.DRAFT, Status.INFO_REQUESTED}),
    Side.REQUESTED: frozenset(
        {
            Status.ACKNOWLEDGED,
            Status.UNDER_REVIEW,
            Status.IN_EXECUTION,
            Status.PARTIALLY_EXECUTED,
            Status.EXECUTED,
        }
    ),
}
MAX_ATTACHMENTS = 30


@transaction.atomic
def request_attachment_add(
    *,
    actor: User,
    request: CooperationRequest,
    incoming: files.IncomingFile,
    description: str = "",
    handling_code: str = "H0",
) -> RequestAttachment:
    """Attach a file, checked by content and size and encrypted at rest: the requesting side
    while drafting or supplying information, the requested side while handling the request."""
    request = _locked(request)
    _require_worker(actor)
    side = request.side_of(actor)
    if side is None or request.status not in ATTACHABLE[side]:
        raise _refuse(_("Files cannot be attached to this request now."))
    _require_part(actor, request)
    if request.attachments.count() >= MAX_ATTACHMENTS:
        raise _refuse(_("A request has at most 30 attachments."))
    limit = settings.COOPERATION_MAX_UPLOAD_MB * 1024 * 1024
    if incoming.size > limit:
        raise _refuse(
            _("%(name)s is larger than the %(limit)d MB limit.")
            % {
                "name": files.clean_filename(incoming.name)[:80],
                "limit": settings.COOPERATION_MAX_UPLOAD_MB,
            },
            "file",
        )
    checked = files.check_upload(incoming)
    if handling_code not in HandlingCode.values:
        raise _refuse(_("Choose a handling code."), "handling_code")
    storage_name = files.store_encrypted(checked.data)
    attachment = RequestAttachment.objects.create(
        request=request,
        filename=checked.filename,
        kind=checked.kind.code,
        content_type=checked.kind.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        storage_name=storage_name,
        description=_clean_text(description, "description")[:300],
        handling_code=handling_code,
        uploaded_by=actor,
    )
    if side == Side.REQUESTING and request.status == Status.DRAFT:
        _touch(request)
    audit_record(
        event_type=CooperationEvent.ATTACHMENT_ADDED,
        actor=actor,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        details={"attachment": attachment.pk, "sha256": attachment.sha256, "side": side},
    )
    return attachment


@transaction.atomic
def request_attachment_remove(
    *, actor: User, request: CooperationRequest, attachment: RequestAttachment
) -> None:
    """Remove a file from a draft (the requesting side, before submission)."""
    request = _locked(request)
    _require_draft(actor, request)
    if attachment.request_id != request.pk:
        raise _refuse(_("This file is not attached to the request."))
    storage_name = attachment.storage_name
    attachment_id = attachment.pk
    attachment.delete()
    _touch(request)
    transaction.on_commit(lambda: files.delete_stored(storage_name))
    audit_record(
        event_type=CooperationEvent.ATTACHMENT_REMOVED,
        actor=actor,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        details={"attachment": attachment_id},
    )


def _read_stored(
    actor: User, stored: RequestAttachment | RequestDocument, event: str, kind: str
) -> bytes:
    data = files.read_decrypted(stored.storage_name, stored.sha256)
    with transaction.atomic():
        audit_record(
            event_type=event,
            actor=actor,
            object_type="cooperation_request",
            object_id=stored.request_id,
            object_country=str(stored.request.requesting_country),
            details={kind: stored.pk},
        )
    return data


def request_attachment_read(*, actor: User, attachment: RequestAttachment) -> bytes:
    """The decrypted file, its download audited (the gateway already checked the reader)."""
    return _read_stored(actor, attachment, CooperationEvent.ATTACHMENT_READ, "attachment")


# --- documents -----------------------------------------------------------------------------


@transaction.atomic
def request_document_generate(
    *, actor: User, request: CooperationRequest, language: str, fmt: str
) -> RequestDocument:
    """The formal request for the current content version in ``language`` and ``fmt``,
    generated and stored (encrypted) the first time it is asked for; later versions are new
    documents, earlier ones stay as they were sent."""
    if language not in DocumentLanguage.values:
        raise _refuse(_("Documents are made in Arabic, French or English."), "language")
    if fmt not in DocumentFormat.values:
        raise _refuse(_("Documents are made as PDF or DOCX."), "format")
    existing = RequestDocument.objects.filter(
        request=request, content_version=request.content_version, language=language, format=fmt
    ).first()
    if existing is not None:
        return existing
    data = documents.render(request, language=language, fmt=fmt)
    digest = hashlib.sha256(data).hexdigest()
    storage_name = files.store_encrypted(data)
    document = RequestDocument.objects.create(
        request=request,
        content_version=request.content_version,
        language=language,
        format=fmt,
        sha256=digest,
        size=len(data),
        storage_name=storage_name,
        created_by=actor,
    )
    audit_record(
        event_type=CooperationEvent.DOCUMENT_GENERATED,
        actor=actor,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        details={
            "document": document.pk,
            "content_version": request.content_version,
            "language": language,
            "format": fmt,
            "sha256": digest,
        },
    )
    return document


def request_document_read(*, actor: User, document: RequestDocument) -> bytes:
    """The stored document, its download audited (the gateway already checked the reader)."""
    return _read_stored(actor, document, CooperationEvent.DOCUMENT_READ, "document")


# --- lifecycle -----------------------------------------------------------------------------


def expected_response_days(request: CooperationRequest) -> int:
    """Days the requested country is expected to take: its profile's figure for the request's
    family when it gives one, else the platform default; urgent requests get at most 15."""
    from tawasul.directory.finder import current_profile

    days = DEFAULT_RESPONSE_DAYS.get(request.request_type, 60)
    profile = current_profile(str(request.requested_country)) or {}
    fact = profile.get("expected_response_days", {}).get(PROFILE_FAMILY[request.request_type])
    if fact and isinstance(fact.get("value"), int) and fact["value"] > 0:
        days = fact["value"]
    return min(days, URGENT_RESPONSE_DAYS) if request.urgent else days


def may_take(actor: Any, request: CooperationRequest, code: str) -> bool:
    """Whether the lifecycle lets ``actor`` take action ``code`` on ``request`` now (side,
    role, status and, for approval, being someone else than the drafter and submitter)."""
    entry = lifecycle_action(code)
    if entry is None or request.status not in entry.sources:
        return False
    if not may_work_on_requests(actor) or request.side_of(actor) != entry.side:
        return False
    if not user_roles(actor) & entry.roles_for(request.request_type):
        return False
    return not (code == "approve" and actor.pk in {request.created_by_id, request.submitted_by_id})


def _pinned_document(actor: Any, request: CooperationRequest) -> RequestDocument:
    return request_document_generate(
        actor=actor, request=request, language=request.document_language, fmt=DocumentFormat.PDF
    )


def _refuse_unless_ready(request: CooperationRequest) -> None:
    report = checks.evaluate(request)
    if report.blocking:
        raise _refuse(
            _("The request cannot go further: %(problem)s")
            % {"problem": str(report.blocking[0].message)}
        )
    missing = report.missing()
    if missing:
        raise _refuse(
            _("Essential information is missing: %(item)s") % {"item": str(missing[0].label)}
        )


@transaction.atomic
def request_transition(
    *, actor: User, request: CooperationRequest, action: str, note: str = ""
) -> RequestTransition:
    """Take a lifecycle action (``lifecycle.ACTIONS``): the side, role and status it needs are
    enforced, and the actor must be one who sees the request; approval needs a second person;
    submission and approval need a complete request without a blocking risk. Records the
    transition with a signed receipt, audits it and notifies the users of both sides who see
    the request (in the app and by e-mail)."""
    request = _locked(request)
    entry = lifecycle_action(action)
    if entry is None:
        raise _refuse(_("Unknown action."))
    _require_worker(actor)
    if request.status not in entry.sources:
        raise _refuse(
            _("This action is not possible while the request is “%(status)s”.")
            % {"status": request.get_status_display()}
        )
    side = request.side_of(actor)
    if side != entry.side:
        raise _refuse(_("The other side of the request takes this action."))
    if not user_roles(actor) & entry.roles_for(request.request_type):
        raise _refuse(_("Your role does not allow this action on this request."))
    _require_part(actor, request)
    note = _clean_text(note, "note")
    if entry.note_required and not note:
        raise _refuse(
            _("%(what)s: this is required.") % {"what": str(entry.note_label or _("Note"))}, "note"
        )
    if action == "approve" and actor.pk in {request.created_by_id, request.submitted_by_id}:
        raise _refuse(_("A second person must approve: you drafted or submitted this request."))
    if action in ("submit", "approve"):
        _refuse_unless_ready(request)

    now = timezone.now()
    from_status = request.status
    request.status = entry.target
    request.status_changed_at = now
    request.updated_at = now
    if action == "submit":
        request.submitted_by = actor
    elif action == "return_to_draft":
        request.submitted_by = None
    elif action == "approve":
        request.approved_by = actor
        request.transmitted_at = now
        due = timezone.localdate(now) + datetime.timedelta(days=expected_response_days(request))
        request.due_on = min(due, request.deadline) if request.deadline else due
    elif action == "acknowledge":
        request.acknowledged_at = now
    elif action == "execute":
        request.executed_at = now
    elif action == "refuse":
        request.refusal_grounds = note
    if request.status in CLOSED:
        request.closed_at = now
    request.save()

    document_sha256 = ""
    # From submission on, every receipt names the formal request it is about.
    if request.status != Status.DRAFT and (from_status != Status.DRAFT or action == "submit"):
        document_sha256 = _pinned_document(actor, request).sha256
    transition = RequestTransition.objects.create(
        request=request,
        action=action,
        from_status=from_status,
        to_status=request.status,
        side=side,
        actor=actor,
        note=note,
        at=now,
        content_version=request.content_version,
        document_sha256=document_sha256,
    )
    transition.receipt = sign(
        {
            "request": request.reference,
            "transition": transition.pk,
            "action": action,
            "from_status": from_status,
            "status": request.status,
            "at": now.isoformat(),
            "side": side,
            "actor_country": str(actor.country),
            "content_version": request.content_version,
            "document_sha256": document_sha256,
        }
    )
    transition.save(update_fields=["receipt"])
    audit_record(
        event_type=CooperationEvent.TRANSITION,
        actor=actor,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        changes={"status": [from_status, request.status]},
        details={
            "action": action,
            "side": side,
            "transition": transition.pk,
            "content_version": request.content_version,
            "document_sha256": document_sha256,
        },
    )
    _notify(request, transition, exclude=actor)
    return transition


def request_audience(request: CooperationRequest) -> list[User]:
    """Every active user who sees ``request`` now (both sides), found through the same
    visibility rule as the pages."""
    countries = [str(request.requesting_country), str(request.requested_country)]
    candidates = (
        User.objects.filter(
            is_active=True,
            country__in=countries,
            roles__role__in=[Role.FOCAL_POINT, Role.CENTRAL_AUTHORITY],
        )
        .distinct()
        .order_by("pk")
    )
    return [
        user
        for user in candidates
        if CooperationRequest.objects.visible_to(user).filter(pk=request.pk).exists()
    ]


def _notify(request: CooperationRequest, transition: RequestTransition, *, exclude: Any) -> None:
    audience = [u for u in request_audience(request) if u.pk != exclude.pk]
    RequestNotification.objects.bulk_create(
        RequestNotification(user=u, request=request, transition=transition, kind=transition.action)
        for u in audience
    )
    recipients = [(u.email, u.language) for u in audience if u.email]
    reference, status = request.reference, transition.to_status
    url = settings.SITE_URL.rstrip("/") + reverse("cooperation:detail", args=[request.pk])
    transaction.on_commit(lambda: _email_status(recipients, reference, status, url))


def _email_status(
    recipients: Sequence[tuple[str, str]], reference: str, status: str, url: str
) -> None:
    # The e-mail carries the reference and the status only: the content stays in Tawasul.
    for address, language in recipients:
        with translation.override(language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Tawasul: request %(reference)s is now “%(status)s”")
                % {"reference": reference, "status": Status(status).label},
                message=_(
                    "The cooperation request %(reference)s is now “%(status)s”.\n\nOpen it in Tawasul: %(url)s"
                )
                % {"reference": reference, "status": Status(status).label, "url": url},
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[address],
                fail_silently=True,
            )


@transaction.atomic
def request_assign(*, actor: User, request: CooperationRequest, user: User) -> RequestAssignment:
    """The requested country's central authority puts one of its focal points on a
    transmitted request (who then sees it)."""
    request = _locked(request)
    _require_worker(actor)
    if request.side_of(actor) != Side.REQUESTED or Role.CENTRAL_AUTHORITY not in user_roles(actor):
        raise _refuse(_("Only the requested country's central authority assigns focal points."))
    if not request.is_transmitted or request.status in CLOSED:
        raise _refuse(_("Only an open, transmitted request can be assigned."))
    if str(user.country) != str(request.requested_country) or Role.FOCAL_POINT not in user_roles(
        user
    ):
        raise _refuse(_("Choose a focal point of your country."), "user")
    assignment, created = RequestAssignment.objects.get_or_create(
        request=request, user=user, defaults={"assigned_by": actor}
    )
    if created:
        RequestNotification.objects.create(user=user, request=request, kind="assigned")
        audit_record(
            event_type=CooperationEvent.ASSIGNED,
            actor=actor,
            object_type="cooperation_request",
            object_id=request.pk,
            object_country=str(request.requesting_country),
            details={"assignee": user.pk},
        )
    return assignment


@transaction.atomic
def request_notifications_mark_read(*, actor: User, ids: Sequence[int] | None = None) -> int:
    """Mark the actor's own request notifications read (all, or the given ones)."""
    unread = RequestNotification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    count = unread.update(read_at=timezone.now())
    if count:
        audit_record(
            event_type=CooperationEvent.NOTIFICATIONS_READ,
            actor=actor,
            object_type="user",
            object_id=actor.pk,
            object_country=str(actor.country or ""),
            details={"count": count},
        )
    return count


@dataclass(frozen=True)
class ReminderSent:
    request: CooperationRequest
    recipients: list[User]


@transaction.atomic
def request_reminder_record(*, request: CooperationRequest, now: datetime.datetime) -> ReminderSent:
    """Record that an overdue request was reminded now: an in-app notice for each user of both
    sides, the time kept so the reminder repeats only after the configured interval, audited.
    No actor: the scheduled task calls it."""
    request = _locked(request)
    audience = request_audience(request)
    RequestNotification.objects.bulk_create(
        RequestNotification(user=u, request=request, kind="reminder") for u in audience
    )
    request.last_reminded_at = now
    request.save(update_fields=["last_reminded_at"])
    audit_record(
        event_type=CooperationEvent.REMINDER,
        object_type="cooperation_request",
        object_id=request.pk,
        object_country=str(request.requesting_country),
        details={"due_on": request.due_on, "recipients": len(audience)},
    )
    return ReminderSent(request, audience)


# --- from a confirmed hit ------------------------------------------------------------------

_CATEGORY_TO_OFFENCE = {
    "ftf": Competence.FTF,
    "kst": Competence.TERRORISM,
    "suspect": Competence.TERRORISM,
    "wanted": Competence.TERRORISM,
    "missing": Competence.TIP,
}


@transaction.atomic
def request_create_from_hit(
    *, actor: User, hit: Any, request_type: str = RequestType.POLICE
) -> CooperationRequest:
    """One click from a confirmed hit: a draft police information request (or MLA) to the
    record's country, prefilled with the searched person and the record's reference. Only the
    searcher's country, which learnt of the record through the hit, asks."""
    from tawasul.persons.models import HitStatus

    if hit.status != HitStatus.CONFIRMED:
        raise _refuse(_("Only a confirmed hit leads to a request."))
    if str(actor.country) != hit.searcher_country:
        raise _refuse(_("Only the searching country asks for the details of a hit."))
    if request_type not in (RequestType.POLICE, RequestType.MLA):
        raise _refuse(_("A hit leads to a police information request or an MLA request."))
    record = hit.record
    query = hit.query or {}
    request = request_create(
        actor=actor,
        values={
            "request_type": request_type,
            "requested_country": record.country,
            "offence_category": _CATEGORY_TO_OFFENCE.get(record.category, Competence.TERRORISM),
        },
        source_hit=hit,
    )
    request.requested_reference = record.reference
    request.purpose = _(
        "To obtain the details of your record %(reference)s on this person, confirmed as a "
        "match of our search on %(date)s."
    ) % {
        "reference": record.reference,
        "date": timezone.localdate(hit.decided_at or hit.created_at),
    }
    request.save(update_fields=["requested_reference", "purpose"])
    name = str(query.get("name") or "")
    values: dict[str, Any] = {"role": PersonRole.SUSPECT}
    if _ARABIC.search(name):
        values["name_arabic"] = name
    else:
        values["name_latin"] = name
    dob = str(query.get("date_of_birth") or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", dob):
        values["date_of_birth"] = dob
    elif dob:
        values["notes"] = _("Date of birth: %(date)s") % {"date": dob}
    if query.get("nationality"):
        values["nationality"] = str(query["nationality"])[:2]
    if query.get("document"):
        values["document_number"] = str(query["document"])[:60]
    if name:
        request_person_add(actor=actor, request=request, values=values)
    request.refresh_from_db()
    return request


@transaction.atomic
def request_figures_export_record(*, actor: User, audience: Any, filters: Any, rows: int) -> None:
    """Audit a CSV export of the dashboard's figures: who, which view (own requests or the
    coordinators' aggregates), which filters and how many lines — never the figures."""
    audit_record(
        event_type=CooperationEvent.EXPORTED,
        actor=actor,
        object_type="cooperation_dashboard",
        object_country=str(getattr(actor, "country", "") or ""),
        details={
            "audience": str(audience),
            "filters": {
                "period": filters.period,
                "request_type": filters.request_type,
                "country": filters.country,
                "direction": filters.direction,
            },
            "rows": rows,
        },
    )
