"""Every write of the person index, each with its audit event in the same transaction."""

from __future__ import annotations

import datetime
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tawasul.audit.services import audit_record
from tawasul.core.errors import ServiceError
from tawasul.core.handling import HandlingCode
from tawasul.core.roles import Role
from tawasul.names import encode, encoded_similarity
from tawasul.persons import crypto, matching
from tawasul.persons.events import PersonsEvent
from tawasul.persons.models import (
    Category,
    DocumentType,
    Hit,
    HitSource,
    HitStatus,
    IdentityDocument,
    JobStatus,
    NameType,
    PersonName,
    PersonNameKey,
    PersonNotification,
    PersonRecord,
    ReferralRole,
    ReferralStatus,
    ScreeningJob,
    Sex,
    VictimNameEncoding,
    VictimRecord,
    VictimReferral,
    default_review_date,
    may_protect_victims,
    may_search_abroad,
    may_use_person_index,
)

MAX_REVIEW_YEARS = 5
VICTIM_MATCH_THRESHOLD = 0.66  # tawasul.names' documented operating point for encodings


@dataclass(frozen=True)
class NameIn:
    full_name: str
    name_type: str


@dataclass(frozen=True)
class DocumentIn:
    doc_type: str
    number: str
    issuing_country: str = ""


@dataclass
class RecordData:
    category: str
    names: list[NameIn]
    legal_basis: str
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    place_of_birth: str = ""
    nationalities: list[str] | None = None
    sex: str = Sex.UNKNOWN
    documents: list[DocumentIn] | None = None
    interpol_notice: str = ""
    handling_code: str = HandlingCode.H0
    restriction: str = ""
    source_reliability: str = "X"
    information_accuracy: str = "4"
    review_date: datetime.date | None = None
    share_more: bool = False


def _require_person_user(actor: Any) -> None:
    if not may_use_person_index(actor):
        raise ServiceError(_("You may not change person records."))


def _validate(data: RecordData) -> None:
    if data.category not in Category.values:
        raise ServiceError(_("Choose a valid category."), field="category")
    if data.sex not in Sex.values:
        raise ServiceError(_("Choose a valid sex."), field="sex")
    if not data.legal_basis.strip():
        raise ServiceError(_("State the legal basis for holding this record."), field="legal_basis")
    names = [n for n in data.names if n.full_name.strip()]
    if sum(1 for n in names if n.name_type == NameType.PRIMARY) != 1:
        raise ServiceError(_("A record has exactly one primary name."), field="primary_name")
    for n in names:
        if n.name_type not in NameType.values:
            raise ServiceError(_("Choose a valid name type."), field="primary_name")
        if len(n.full_name) > 200:
            raise ServiceError(_("A name is at most 200 characters."), field="primary_name")
        if not matching.name_keys(n.full_name):
            raise ServiceError(
                _("“%(name)s” has no letters to match on.") % {"name": n.full_name},
                field="primary_name",
            )
    for d in data.documents or []:
        if d.doc_type not in DocumentType.values:
            raise ServiceError(_("Choose a valid document type."), field="documents")
        if not matching.normalise_document(d.number):
            raise ServiceError(_("A document number needs letters or digits."), field="documents")
    if data.handling_code not in HandlingCode.values:
        raise ServiceError(_("Choose a valid handling code."), field="handling_code")
    if data.handling_code == HandlingCode.H3 and not data.restriction.strip():
        raise ServiceError(_("State the restriction of an H3 record."), field="restriction")
    if len(data.restriction) > 500:
        raise ServiceError(_("The restriction is at most 500 characters."), field="restriction")
    validate_partial_date(data.birth_year, data.birth_month, data.birth_day)
    if data.review_date is not None:
        today = timezone.localdate()
        if data.review_date <= today:
            raise ServiceError(_("The review date must be in the future."), field="review_date")
        if data.review_date > default_review_date():
            raise ServiceError(
                _("The review date is at most five years ahead."), field="review_date"
            )


def validate_partial_date(year: int | None, month: int | None, day: int | None) -> None:
    """Check a possibly partial date of birth: a month or day needs a year, a day needs a
    month, the year lies in 1900..this year, the date exists; else ``ServiceError``."""
    if year is None:
        if month or day:
            raise ServiceError(_("A date of birth needs its year."), field="date_of_birth")
        return
    if day and not month:
        raise ServiceError(_("A day of birth needs its month."), field="date_of_birth")
    this_year = timezone.localdate().year
    if not 1900 <= year <= this_year:
        raise ServiceError(_("The year of birth is not plausible."), field="date_of_birth")
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise ServiceError(_("This date of birth does not exist."), field="date_of_birth") from None


def _store_names_and_documents(record: PersonRecord, data: RecordData) -> None:
    record.names.all().delete()
    record.documents.all().delete()
    keys: list[PersonNameKey] = []
    for n in data.names:
        text = " ".join(n.full_name.split())
        if not text:
            continue
        name = PersonName.objects.create(
            record=record, full_name=text, name_type=n.name_type, script=matching.script_of(text)
        )
        keys.extend(
            PersonNameKey(key=k, name=name, record=record) for k in sorted(matching.name_keys(text))
        )
    PersonNameKey.objects.bulk_create(keys)
    IdentityDocument.objects.bulk_create(
        IdentityDocument(
            record=record,
            doc_type=d.doc_type,
            number=d.number.strip()[:40],
            number_norm=matching.normalise_document(d.number),
            issuing_country=d.issuing_country.upper()[:2],
        )
        for d in data.documents or []
    )


def _snapshot(record: PersonRecord) -> dict[str, Any]:
    return {
        "category": record.category,
        "sex": record.sex,
        "date_of_birth": record.birth_date_display,
        "place_of_birth": record.place_of_birth,
        "nationalities": list(record.nationalities or []),
        "interpol_notice": record.interpol_notice,
        "handling_code": record.handling_code,
        "restriction": record.restriction,
        "source_reliability": record.source_reliability,
        "information_accuracy": record.information_accuracy,
        "legal_basis": record.legal_basis,
        "review_date": record.review_date.isoformat() if record.review_date else "",
        "share_more": record.share_more,
        "names": [f"{n.name_type}:{n.full_name}" for n in record.names.all()],
        "documents": [f"{d.doc_type}:{d.number}" for d in record.documents.all()],
    }


def _apply(record: PersonRecord, data: RecordData) -> None:
    record.category = data.category
    record.sex = data.sex
    record.birth_year, record.birth_month, record.birth_day = (
        data.birth_year,
        data.birth_month if data.birth_year else None,
        data.birth_day if data.birth_year and data.birth_month else None,
    )
    record.place_of_birth = data.place_of_birth.strip()
    record.nationalities = sorted({c.upper() for c in data.nationalities or [] if c})
    record.interpol_notice = data.interpol_notice.strip()
    record.handling_code = data.handling_code
    record.restriction = data.restriction.strip() if data.handling_code == HandlingCode.H3 else ""
    record.source_reliability = data.source_reliability
    record.information_accuracy = data.information_accuracy
    record.legal_basis = data.legal_basis.strip()
    record.share_more = data.share_more


def _new_reference(country: str, kind: str) -> str:
    return f"{country}-{kind}-{secrets.token_hex(4).upper()}"


@transaction.atomic
def person_record_create(*, actor: Any, data: RecordData) -> PersonRecord:
    """Create a record owned by the actor's country (the actor as originator, review date
    defaulting to five years on) with its names and documents, and audit it. Refused to anyone
    who may not use the person index."""
    _require_person_user(actor)
    _validate(data)
    record = PersonRecord(
        reference=_new_reference(str(actor.country), "P"),
        country=str(actor.country),
        originator=actor,
        review_date=data.review_date or default_review_date(),
    )
    _apply(record, data)
    record.save()
    _store_names_and_documents(record, data)
    audit_record(
        event_type=PersonsEvent.RECORD_CREATED,
        actor=actor,
        object_type="person_record",
        object_id=record.pk,
        object_country=record.country,
        details={"reference": record.reference, "category": record.category},
    )
    return record


@transaction.atomic
def person_record_update(*, actor: Any, record: PersonRecord, data: RecordData) -> PersonRecord:
    """Update a record's fields, names and documents and audit the changed fields. Only a
    person-index user of the owning country may; anyone else is refused."""
    _require_person_user(actor)
    if str(actor.country) != record.country:
        raise ServiceError(_("Only the owning country changes a record."))
    _validate(data)
    before = _snapshot(record)
    _apply(record, data)
    if data.review_date is not None:
        record.review_date = data.review_date
    record.updated_at = timezone.now()
    record.save()
    _store_names_and_documents(record, data)
    after = _snapshot(record)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_record(
        event_type=PersonsEvent.RECORD_UPDATED,
        actor=actor,
        object_type="person_record",
        object_id=record.pk,
        object_country=record.country,
        changes=changes,
    )
    return record


@transaction.atomic
def person_record_review(
    *, actor: Any, record: PersonRecord, legal_basis: str, review_date: datetime.date | None = None
) -> PersonRecord:
    """The owner confirms the record is still needed: the next review is set (at most five
    years ahead) and the record is searchable abroad again."""
    _require_person_user(actor)
    if str(actor.country) != record.country:
        raise ServiceError(_("Only the owning country reviews a record."))
    if not legal_basis.strip():
        raise ServiceError(_("State the legal basis for holding this record."), field="legal_basis")
    new_date = review_date or default_review_date()
    if new_date <= timezone.localdate() or new_date > default_review_date():
        raise ServiceError(
            _("The next review is in the future and at most five years ahead."),
            field="review_date",
        )
    old = record.review_date.isoformat()
    record.review_date = new_date
    record.legal_basis = legal_basis.strip()
    record.reviewed_at = timezone.now()
    record.updated_at = record.reviewed_at
    record.save(update_fields=["review_date", "legal_basis", "reviewed_at", "updated_at"])
    audit_record(
        event_type=PersonsEvent.RECORD_REVIEWED,
        actor=actor,
        object_type="person_record",
        object_id=record.pk,
        object_country=record.country,
        changes={"review_date": [old, new_date.isoformat()]},
    )
    return record


@transaction.atomic
def person_record_delete(*, actor: Any, record: PersonRecord, reason: str) -> None:
    """The owner deletes a record it no longer has a basis to hold (its hits go with it)."""
    _require_person_user(actor)
    if str(actor.country) != record.country:
        raise ServiceError(_("Only the owning country deletes a record."))
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise ServiceError(_("Give the reason for deleting the record."), field="reason")
    audit_record(
        event_type=PersonsEvent.RECORD_DELETED,
        actor=actor,
        object_type="person_record",
        object_id=record.pk,
        object_country=record.country,
        details={"reference": record.reference, "reason": reason},
    )
    record.delete()


MAX_IMPORT_ERRORS_SHOWN = 10


def import_refusal(errors: list[str]) -> str:
    """The message refusing an import: its first few errors and how many there are."""
    shown = " ".join(errors[:MAX_IMPORT_ERRORS_SHOWN])
    return ngettext(
        "%(shown)s (%(count)s error; nothing was imported.)",
        "%(shown)s (%(count)s errors; nothing was imported.)",
        len(errors),
    ) % {"shown": shown, "count": len(errors)}


@transaction.atomic
def person_records_import(
    *,
    actor: Any,
    people: Sequence[Any],
    category: str,
    legal_basis: str,
    source: str,
    fmt: str = "ftm",
) -> list[PersonRecord]:
    """Create a record per imported person (``interop.parse_ftm`` or
    ``interop.parse_records_csv``), each audited, then the import itself. Every person is
    validated before any record is created; one refusal refuses all, and the message names
    the line or entity and the field of the first few refusals. ``category`` applies where
    the file gives none."""
    _require_person_user(actor)
    prepared: list[RecordData] = []
    errors: list[str] = []
    for n, person in enumerate(people, start=1):
        data = RecordData(
            category=person.category or category,
            names=person.names,
            legal_basis=legal_basis,
            birth_year=person.birth[0],
            birth_month=person.birth[1],
            birth_day=person.birth[2],
            place_of_birth=person.place_of_birth,
            nationalities=person.nationalities,
            sex=person.sex,
            documents=person.documents,
            interpol_notice=person.interpol_notice,
            handling_code=person.handling_code or HandlingCode.H0,
            restriction=person.restriction,
            review_date=person.review_date,
        )
        try:
            _validate(data)
        except ServiceError as error:
            where = person.position or _("Entity %(n)s") % {"n": n}
            if error.field == "legal_basis":
                # The form's field, the same for every person: say it once.
                raise
            errors.append(
                _("%(where)s, %(field)s: %(error)s")
                % {"where": where, "field": error.field or "—", "error": error.message}
            )
        prepared.append(data)
    if errors:
        raise ServiceError(import_refusal(errors), field="file")
    created = [person_record_create(actor=actor, data=data) for data in prepared]
    audit_record(
        event_type=PersonsEvent.RECORDS_IMPORTED,
        actor=actor,
        object_type="person_record",
        object_country=str(actor.country),
        details={"count": len(created), "source": source[:200], "format": fmt},
    )
    return created


@transaction.atomic
def person_records_export_record(*, actor: Any, count: int, fmt: str) -> None:
    """Audit that the actor exported ``count`` of their country's records as ``fmt`` (the
    view builds the file)."""
    audit_record(
        event_type=PersonsEvent.RECORDS_EXPORTED,
        actor=actor,
        object_type="person_record",
        object_country=str(actor.country),
        details={"count": count, "format": fmt},
    )


# --- Search -----------------------------------------------------------------------------


@dataclass
class SearchResult:
    record: PersonRecord
    scored: matching.Scored
    hit: Hit


@transaction.atomic
def search_rate_refused(*, actor: Any) -> None:
    """Record that a search was refused by the rate limit."""
    audit_record(
        event_type=PersonsEvent.SEARCH_RATE_LIMITED,
        actor=actor,
        object_type="person_search",
        details={"limit_per_minute": settings.PERSONS_SEARCH_RATE_PER_MINUTE},
    )


def _hit_notify_mail(hits: list[Hit]) -> None:
    """E-mail each originating focal point about hits on their records (after commit)."""
    by_recipient: dict[int, list[Hit]] = defaultdict(list)
    for hit in hits:
        if hit.searcher_id != hit.record.originator_id:
            by_recipient[hit.record.originator_id].append(hit)
    for group in by_recipient.values():
        recipient = group[0].record.originator
        if not recipient.email or not recipient.is_active:
            continue
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            lines = [
                _(
                    "%(who)s (%(agency)s, %(country)s) has a possible hit on your record "
                    "%(reference)s (score %(score)s)."
                )
                % {
                    "who": hit.searcher.display_name(),
                    "agency": str(hit.searcher.agency) if hit.searcher.agency_id else "",
                    "country": hit.searcher_country,
                    "reference": hit.record.reference,
                    "score": f"{min(hit.score, 1.0):.2f}",
                }
                for hit in group
            ]
            lines.append("")
            lines.append(
                _("Review it in Tawasul: %(url)s")
                % {"url": settings.SITE_URL.rstrip("/") + reverse("persons:hits")}
            )
            send_mail(
                subject=_("Tawasul: possible hit on your person records"),
                message="\n".join(lines),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient.email],
                fail_silently=True,
            )


def _record_hits(
    *,
    actor: Any,
    pairs: Sequence[tuple[PersonRecord, matching.Scored, dict[str, Any], int | None]],
    source: str,
    job: ScreeningJob | None = None,
) -> list[Hit]:
    """Create the hits, audit each, notify each originator in the app and by e-mail."""
    hits = [
        Hit(
            record=record,
            searcher=actor,
            searcher_country=str(actor.country),
            source=source,
            job=job,
            row_number=row,
            query=query,
            score=min(scored.score, 1.0),
            document_match=scored.document_match,
            explanation=scored.explanation if source == HitSource.SEARCH else "",
        )
        for record, scored, query, row in pairs
    ]
    hits = Hit.objects.bulk_create(hits)
    notices = []
    for hit in hits:
        audit_record(
            event_type=PersonsEvent.HIT,
            actor=actor,
            object_type="person_record",
            object_id=hit.record_id,
            object_country=hit.record.country,
            details={
                "hit": hit.pk,
                "reference": hit.record.reference,
                "score": round(hit.score, 3),
                "document_match": hit.document_match,
                "source": source,
                "job": job.pk if job else None,
            },
        )
        if hit.record.originator_id != actor.pk:
            notices.append(PersonNotification(recipient_id=hit.record.originator_id, hit=hit))
    PersonNotification.objects.bulk_create(notices)
    transaction.on_commit(lambda: _hit_notify_mail(hits))
    return hits


@transaction.atomic
def person_search(*, actor: Any, query: matching.Query) -> list[SearchResult]:
    """Search the records ``actor`` may search; audit the search and every hit; notify the
    originators. The caller checks the rate limit first (``ratelimit.search_allowed``)."""
    if not may_use_person_index(actor):
        raise ServiceError(_("You may not search the person index."))
    if not query.name.strip() and not query.document.strip():
        raise ServiceError(_("Give a name or a document number."), field="name")
    validate_partial_date(query.birth_year, query.birth_month, query.birth_day)
    searchable = PersonRecord.objects.searchable_by(actor).select_related(
        "originator", "originator__agency"
    )
    found = matching.search_records(query, searchable)[:20]
    audit_record(
        event_type=PersonsEvent.SEARCH,
        actor=actor,
        object_type="person_search",
        details={
            "fields": sorted(k for k, v in query.as_dict().items() if v),
            "abroad": may_search_abroad(actor),
            "hits": len(found),
        },
    )
    query_doc = query.as_dict()
    hits = _record_hits(
        actor=actor,
        pairs=[(record, scored, query_doc, None) for record, scored in found],
        source=HitSource.SEARCH,
    )
    return [SearchResult(record=r, scored=s, hit=h) for (r, s), h in zip(found, hits, strict=True)]


@transaction.atomic
def hit_decide(*, actor: Any, hit: Hit, confirm: bool, reason: str) -> Hit:
    """A focal point of the record's owning country confirms or rejects a possible hit."""
    if not may_use_person_index(actor) or Role.FOCAL_POINT not in actor.role_set:
        raise ServiceError(_("Only a focal point confirms or rejects a hit."))
    if str(actor.country) != hit.record.country:
        raise ServiceError(_("Only the owning country's focal point decides on a hit."))
    if hit.status != HitStatus.POSSIBLE:
        raise ServiceError(_("This hit has already been decided."))
    reason = reason.strip()
    if not confirm and not reason:
        raise ServiceError(_("Give the reason for rejecting the hit."), field="reason")
    if len(reason) > 500:
        raise ServiceError(_("The reason is at most 500 characters."), field="reason")
    hit.status = HitStatus.CONFIRMED if confirm else HitStatus.REJECTED
    hit.decided_by = actor
    hit.decided_at = timezone.now()
    hit.reason = reason
    hit.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(
        event_type=PersonsEvent.HIT_CONFIRMED if confirm else PersonsEvent.HIT_REJECTED,
        actor=actor,
        object_type="person_hit",
        object_id=hit.pk,
        object_country=hit.record.country,
        changes={"status": [HitStatus.POSSIBLE, hit.status]},
        details={"reason": reason, "searcher_country": hit.searcher_country},
    )
    return hit


@transaction.atomic
def notifications_mark_read(*, actor: Any) -> int:
    """Mark all the actor's unread person-index notifications read; audits and returns the
    count."""
    count = PersonNotification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        audit_record(
            event_type=PersonsEvent.NOTIFICATIONS_READ,
            actor=actor,
            object_type="person_notification",
            details={"count": count},
        )
    return count


# --- Screening ---------------------------------------------------------------------------


@transaction.atomic
def screening_job_create(
    *, actor: Any, filename: str, header: list[str], text: str, delimiter: str, rows: int
) -> ScreeningJob:
    """Keep a validated list (``tawasul.persons.screening.parse_upload``) until it is mapped."""
    if not may_use_person_index(actor):
        raise ServiceError(_("You may not screen lists."))
    job = ScreeningJob.objects.create(
        owner=actor,
        country=str(actor.country),
        filename=filename[:200],
        header=header,
        source_text=text,
        delimiter=delimiter,
        total_rows=rows,
    )
    audit_record(
        event_type=PersonsEvent.SCREENING_UPLOADED,
        actor=actor,
        object_type="screening_job",
        object_id=job.pk,
        object_country=job.country,
        details={"filename": job.filename, "rows": rows, "columns": len(header)},
    )
    return job


MAPPED_FIELDS = ("name", "date_of_birth", "nationality", "document", "sex")


@transaction.atomic
def screening_job_queue(
    *, actor: Any, job: ScreeningJob, mapping: dict[str, int | None]
) -> ScreeningJob:
    """Store the column mapping of a list awaiting it and queue the screening, audited. Only
    the uploader, only once; the mapping must use known fields and existing columns, include
    the name column, and map each column once."""
    if job.owner_id != actor.pk:
        raise ServiceError(_("Only the uploader runs this screening."))
    if job.status != JobStatus.MAPPING:
        raise ServiceError(_("This list is already queued."))
    clean: dict[str, int] = {}
    for field, column in mapping.items():
        if field not in MAPPED_FIELDS:
            raise ServiceError(_("Unknown field in the column mapping."))
        if column is None:
            continue
        if not 0 <= column < len(job.header):
            raise ServiceError(_("The mapping names a column the file does not have."), field=field)
        clean[field] = column
    if "name" not in clean:
        raise ServiceError(_("Choose the column that holds the names."), field="name")
    if len(set(clean.values())) != len(clean):
        raise ServiceError(_("Each column maps to one field only."))
    job.mapping = clean
    job.status = JobStatus.QUEUED
    job.save(update_fields=["mapping", "status"])
    audit_record(
        event_type=PersonsEvent.SCREENING_QUEUED,
        actor=actor,
        object_type="screening_job",
        object_id=job.pk,
        object_country=job.country,
        details={"mapping": {k: job.header[v] for k, v in clean.items()}},
    )
    return job


@transaction.atomic
def screening_job_progress(*, job: ScreeningJob, processed: int) -> None:
    """Progress of a running job (not audited: the job's start and end are)."""
    ScreeningJob.objects.filter(pk=job.pk).update(processed_rows=processed)


@transaction.atomic
def screening_job_claim() -> ScreeningJob | None:
    """Take the oldest queued job for this worker (row lock on PostgreSQL)."""
    queued = ScreeningJob.objects.filter(status=JobStatus.QUEUED).order_by("created_at", "pk")
    job = queued.select_for_update(skip_locked=True).first()
    if job is None:
        return None
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.processed_rows = 0
    job.save(update_fields=["status", "started_at", "processed_rows"])
    return job


@transaction.atomic
def screening_job_finish(
    *,
    job: ScreeningJob,
    matches: list[tuple[PersonRecord, matching.Scored, dict[str, Any], int]],
) -> ScreeningJob:
    """Store the job's matches as possible hits (audited, originators notified)."""
    owner = job.owner
    hits = _record_hits(actor=owner, pairs=matches, source=HitSource.SCREENING, job=job)
    job.status = JobStatus.DONE
    job.processed_rows = job.total_rows
    job.match_count = len(hits)
    job.finished_at = timezone.now()
    job.source_text = ""  # the list is not kept once screened
    job.save(
        update_fields=["status", "processed_rows", "match_count", "finished_at", "source_text"]
    )
    audit_record(
        event_type=PersonsEvent.SCREENING_COMPLETED,
        actor=owner,
        object_type="screening_job",
        object_id=job.pk,
        object_country=job.country,
        details={"rows": job.total_rows, "hits": len(hits)},
    )
    return job


@transaction.atomic
def screening_job_fail(*, job: ScreeningJob, error: str) -> None:
    """Mark a screening job failed, erase its uploaded text and audit the error under the
    uploader's name. No permission check: the worker and the expiry sweep call it."""
    job.status = JobStatus.FAILED
    job.error = error[:500]
    job.source_text = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "source_text", "finished_at"])
    audit_record(
        event_type=PersonsEvent.SCREENING_FAILED,
        actor=job.owner,
        object_type="screening_job",
        object_id=job.pk,
        object_country=job.country,
        details={"error": job.error},
    )


STALE_MAPPING_HOURS = 24


@transaction.atomic
def screening_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Erase the lists uploaded but never mapped within a day (data minimisation)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=STALE_MAPPING_HOURS)
    stale = list(
        ScreeningJob.objects.select_for_update().filter(
            status=JobStatus.MAPPING, created_at__lt=cutoff
        )
    )
    for job in stale:
        screening_job_fail(job=job, error="Not mapped within a day; the list was erased.")
    return len(stale)


@transaction.atomic
def screening_export_record(*, actor: Any, job: ScreeningJob) -> None:
    """Audit that the actor exported a screening job's results (the view builds the file)."""
    audit_record(
        event_type=PersonsEvent.SCREENING_EXPORTED,
        actor=actor,
        object_type="screening_job",
        object_id=job.pk,
        object_country=job.country,
        details={"hits": job.match_count},
    )


# --- Victims -----------------------------------------------------------------------------


@dataclass
class VictimIn:
    names: list[str]
    consent_date: datetime.date
    consent_scope: str
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    nationalities: list[str] | None = None
    sex: str = Sex.UNKNOWN


@transaction.atomic
def victim_create(*, actor: Any, data: VictimIn) -> VictimRecord:
    """Record a victim for the actor's country, the identity sealed and names kept for
    matching only as encodings; audited. Victim-protection users only; needs a name, a valid
    sex, the consent scope and a consent date not in the future."""
    if not may_protect_victims(actor):
        raise ServiceError(_("Only victim-protection officers record victims."))
    names = [" ".join(n.split()) for n in data.names if n.strip()]
    if not names:
        raise ServiceError(_("Give at least one name."), field="names")
    if any(len(n) > 200 for n in names):
        raise ServiceError(_("A name is at most 200 characters."), field="names")
    if data.sex not in Sex.values:
        raise ServiceError(_("Choose a valid sex."), field="sex")
    if not data.consent_scope.strip():
        raise ServiceError(_("State what the victim consented to."), field="consent_scope")
    if data.consent_date > timezone.localdate():
        raise ServiceError(_("The date of consent cannot be in the future."), field="consent_date")
    validate_partial_date(data.birth_year, data.birth_month, data.birth_day)
    reference = _new_reference(str(actor.country), "V")
    identity = {
        "names": names,
        "date_of_birth": matching.format_partial_date(
            data.birth_year, data.birth_month, data.birth_day
        ),
        "nationalities": sorted({c.upper() for c in data.nationalities or [] if c}),
        "sex": data.sex,
    }
    victim = VictimRecord.objects.create(
        reference=reference,
        country=str(actor.country),
        identity_ciphertext=crypto.seal_identity(reference, identity),
        consent_date=data.consent_date,
        consent_scope=data.consent_scope.strip()[:500],
        created_by=actor,
    )
    secret = crypto.match_secret()
    VictimNameEncoding.objects.bulk_create(
        VictimNameEncoding(victim=victim, country=victim.country, encoding=encode(n, secret))
        for n in names
    )
    audit_record(
        event_type=PersonsEvent.VICTIM_CREATED,
        actor=actor,
        object_type="victim_record",
        object_id=victim.pk,
        object_country=victim.country,
        details={"reference": reference},
    )
    return victim


@transaction.atomic
def victim_read(*, actor: Any, victim: VictimRecord) -> dict[str, Any]:
    """Decrypt a victim's identity for ``actor`` (who passed the gateway); audited."""
    if not may_protect_victims(actor) or str(actor.country) != victim.country:
        raise ServiceError(_("Only the owning country's victim-protection officers read this."))
    audit_record(
        event_type=PersonsEvent.VICTIM_READ,
        actor=actor,
        object_type="victim_record",
        object_id=victim.pk,
        object_country=victim.country,
    )
    return crypto.open_identity(victim.reference, bytes(victim.identity_ciphertext))


@dataclass(frozen=True)
class VictimLead:
    """A likely match in another country: whom to contact, never the record."""

    country: str
    contacts: list[dict[str, str]]


@transaction.atomic
def victim_identify(*, actor: Any, name: str) -> list[VictimLead]:
    """Compare a name's encoding with the other countries' victim encodings; answer only
    which countries may hold a match and their victim-protection officers."""
    from tawasul.accounts.models import User

    if not may_protect_victims(actor):
        raise ServiceError(_("Only victim-protection officers search for victims."))
    name = " ".join(name.split())
    if not name or len(name) > 200 or not matching.name_keys(name):
        raise ServiceError(_("Give a name to search for."), field="name")
    probe = encode(name, crypto.match_secret())
    countries: set[str] = set()
    foreign = VictimNameEncoding.objects.exclude(country=str(actor.country))
    for country, blob in foreign.values_list("country", "encoding").iterator():
        if country not in countries and encoded_similarity(probe, bytes(blob)) >= (
            VICTIM_MATCH_THRESHOLD
        ):
            countries.add(country)
    leads = []
    for country in sorted(countries):
        officers = (
            User.objects.filter(is_active=True, country=country, roles__role=Role.VICTIM_PROTECTION)
            .select_related("agency")
            .order_by("full_name", "username")
            .distinct()
        )
        leads.append(
            VictimLead(
                country=country,
                contacts=[
                    {
                        "name": u.display_name(),
                        "agency": str(u.agency) if u.agency_id else "",
                        "email": u.email,
                    }
                    for u in officers
                ],
            )
        )
    audit_record(
        event_type=PersonsEvent.VICTIM_IDENTIFICATION,
        actor=actor,
        object_type="victim_identification",
        details={"countries": [lead.country for lead in leads]},
    )
    return leads


# --- Referrals ---------------------------------------------------------------------------


def _referral_notify(referral: VictimReferral) -> None:
    """Tell the receiving country's victim-protection officers; the e-mail holds no identity."""
    from tawasul.accounts.models import User

    recipients = User.objects.filter(
        is_active=True, country=referral.to_country, roles__role=Role.VICTIM_PROTECTION
    ).distinct()
    for user in recipients:
        if not user.email:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Tawasul: a victim referral awaits you"),
                message=_("Victim referral %(reference)s from %(country)s: %(url)s")
                % {
                    "reference": referral.reference,
                    "country": referral.from_country,
                    "url": settings.SITE_URL.rstrip("/")
                    + reverse("persons:referral", args=[referral.pk]),
                },
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
                fail_silently=True,
            )


@transaction.atomic
def referral_send(
    *,
    actor: Any,
    victim: VictimRecord,
    to_country: str,
    to_role: str,
    message: str,
    consent_confirmed: bool,
) -> VictimReferral:
    """Refer a victim to another country and audit it; the message is stored sealed and the
    receiving victim-protection users are e-mailed on commit. Only the owning country's
    victim-protection users, with the victim's consent confirmed."""
    from django_countries import countries

    if not may_protect_victims(actor) or str(actor.country) != victim.country:
        raise ServiceError(_("Only the owning country's victim-protection officers refer."))
    to_country = to_country.upper()
    if to_country not in dict(countries):
        raise ServiceError(_("Choose the receiving country."), field="to_country")
    if to_country == victim.country:
        raise ServiceError(_("A referral goes to another country."), field="to_country")
    if to_role not in ReferralRole.values:
        raise ServiceError(_("Choose the receiving country's role."), field="to_role")
    message = message.strip()
    if not message or len(message) > 4000:
        raise ServiceError(_("Write the referral (at most 4,000 characters)."), field="message")
    if not consent_confirmed:
        raise ServiceError(
            _("Confirm that the victim's consent covers this referral."), field="consent"
        )
    reference = _new_reference(victim.country, "R")
    referral = VictimReferral.objects.create(
        reference=reference,
        victim=victim,
        from_country=victim.country,
        to_country=to_country,
        to_role=to_role,
        message_ciphertext=crypto.seal_text("referral", reference, message),
        sent_by=actor,
    )
    audit_record(
        event_type=PersonsEvent.REFERRAL_SENT,
        actor=actor,
        object_type="victim_referral",
        object_id=referral.pk,
        object_country=victim.country,
        details={"reference": reference, "to_country": to_country, "victim": victim.pk},
    )
    transaction.on_commit(lambda: _referral_notify(referral))
    return referral


@transaction.atomic
def referral_read(*, actor: Any, referral: VictimReferral) -> str:
    """Decrypt a referral's message for a sender or receiver (who passed the gateway)."""
    country = str(actor.country)
    if not may_protect_victims(actor) or country not in (
        referral.from_country,
        referral.to_country,
    ):
        raise ServiceError(_("Only the two countries' victim-protection officers read this."))
    audit_record(
        event_type=PersonsEvent.REFERRAL_READ,
        actor=actor,
        object_type="victim_referral",
        object_id=referral.pk,
        object_country=referral.from_country,
    )
    return crypto.open_text("referral", referral.reference, bytes(referral.message_ciphertext))


@transaction.atomic
def referral_set_status(
    *, actor: Any, referral: VictimReferral, status: str, note: str
) -> VictimReferral:
    """Move a referral to one of its next statuses with a note (required to decline) and
    audit it. Only the receiving country's victim-protection users may."""
    if not may_protect_victims(actor) or str(actor.country) != referral.to_country:
        raise ServiceError(_("Only the receiving country updates a referral."))
    if status not in referral.next_statuses:
        raise ServiceError(_("This status does not follow the current one."), field="status")
    note = note.strip()
    if status == ReferralStatus.DECLINED and not note:
        raise ServiceError(_("Say why the referral is declined."), field="note")
    if len(note) > 500:
        raise ServiceError(_("The note is at most 500 characters."), field="note")
    old = referral.status
    referral.status = status
    referral.status_note = note
    referral.status_by = actor
    referral.status_at = timezone.now()
    referral.save(update_fields=["status", "status_note", "status_by", "status_at"])
    audit_record(
        event_type=PersonsEvent.REFERRAL_STATUS,
        actor=actor,
        object_type="victim_referral",
        object_id=referral.pk,
        object_country=referral.from_country,
        changes={"status": [old, status]},
    )
    return referral
