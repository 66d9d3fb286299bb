"""Every write to action plans: one function per action, one transaction, one audit event."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tawasul.accounts.models import User
from tawasul.actionplans import evidence as evidence_files
from tawasul.actionplans.events import ActionPlanEvent
from tawasul.actionplans.models import (
    ActionStatus,
    FollowUpAction,
    Meeting,
    MeetingDocument,
    MeetingKind,
    OwnerKind,
    Participation,
    Priority,
    Programme,
    ProgressUpdate,
    Recommendation,
)
from tawasul.audit.services import audit_record
from tawasul.core.access import Need, has_role
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Role
from tawasul.directory.models import Agency

MAX_COUNT = 10_000


def _require_coordinator(actor: User | None) -> None:
    """``actor=None`` is the platform itself (demo data, management commands)."""
    if actor is not None and not has_role(actor, Role.COORDINATOR):
        raise ServiceError(_("Only a network coordinator can do this."))


def _clean(text: str | None) -> str:
    return (text or "").strip()


@transaction.atomic
def programme_create(
    *, actor: User | None, name_en: str, name_fr: str = "", name_ar: str = "", code: str = ""
) -> Programme:
    """Create a programme and audit it. Coordinators only (``actor=None``: the platform);
    the English name is required and the code (slugified, from the name by default) unique."""
    _require_coordinator(actor)
    name_en, name_fr, name_ar = _clean(name_en), _clean(name_fr), _clean(name_ar)
    if not name_en:
        raise ServiceError(_("The English name is required."), field="name_en")
    code = slugify(code or name_en)[:40]
    if not code:
        raise ServiceError(_("Give the programme a code in Latin letters."), field="code")
    if Programme.objects.filter(code=code).exists():
        raise ServiceError(_("A programme with this code already exists."), field="code")
    programme = Programme.objects.create(
        code=code, name_en=name_en, name_fr=name_fr, name_ar=name_ar, created_by=actor
    )
    audit_record(
        event_type=ActionPlanEvent.PROGRAMME_CREATED,
        actor=actor,
        object_type="programme",
        object_id=programme.pk,
        changes={"code": [None, code], "name_en": [None, name_en]},
    )
    return programme


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    programme: Programme,
    kind: str,
    title_en: str,
    start_date: datetime.date,
    end_date: datetime.date,
    place: str,
    title_fr: str = "",
    title_ar: str = "",
    place_country: str = "",
    organisers: str = "",
    funding_partners: str = "",
    summary: str = "",
) -> Meeting:
    """Create a meeting of ``programme`` and audit it. Coordinators only (``actor=None``: the
    platform); needs a known kind, an English title, a place, and an end not before the start."""
    _require_coordinator(actor)
    if kind not in MeetingKind.values:
        raise ServiceError(_("Unknown kind of meeting."), field="kind")
    if not _clean(title_en):
        raise ServiceError(_("The English title is required."), field="title_en")
    if not _clean(place):
        raise ServiceError(_("Say where the meeting took place."), field="place")
    if end_date < start_date:
        raise ServiceError(_("The last day cannot be before the first day."), field="end_date")
    meeting = Meeting.objects.create(
        programme=programme,
        kind=kind,
        title_en=_clean(title_en),
        title_fr=_clean(title_fr),
        title_ar=_clean(title_ar),
        start_date=start_date,
        end_date=end_date,
        place=_clean(place),
        place_country=place_country,
        organisers=_clean(organisers),
        funding_partners=_clean(funding_partners),
        summary=_clean(summary),
        created_by=actor,
    )
    audit_record(
        event_type=ActionPlanEvent.MEETING_CREATED,
        actor=actor,
        object_type="meeting",
        object_id=meeting.pk,
        changes={
            "programme": [None, programme.code],
            "kind": [None, kind],
            "title_en": [None, meeting.title_en],
            "start_date": [None, start_date.isoformat()],
            "end_date": [None, end_date.isoformat()],
            "place": [None, meeting.place],
        },
    )
    return meeting


@transaction.atomic
def participation_record(
    *,
    actor: User | None,
    meeting: Meeting,
    country: str,
    agency: str = "",
    women: int,
    men: int,
    unspecified: int = 0,
) -> Participation:
    """Set how many people one country (and agency) sent, by gender; replaces earlier counts."""
    _require_coordinator(actor)
    agency = _clean(agency)
    if not country and not agency:
        raise ServiceError(_("Give a country or an organisation."), field="country")
    for name, value in (("women", women), ("men", men), ("unspecified", unspecified)):
        if value < 0 or value > MAX_COUNT:
            raise ServiceError(_("Counts must be between 0 and 10000."), field=name)
    if women + men + unspecified == 0:
        raise ServiceError(_("At least one participant is needed."), field="women")
    row = Participation.objects.filter(meeting=meeting, country=country, agency=agency).first()
    before = [row.women, row.men, row.unspecified] if row else None
    if row is None:
        row = Participation(meeting=meeting, country=country, agency=agency)
    row.women, row.men, row.unspecified = women, men, unspecified
    row.save()
    audit_record(
        event_type=ActionPlanEvent.PARTICIPATION_RECORDED,
        actor=actor,
        object_type="meeting",
        object_id=meeting.pk,
        object_country=country,
        changes={"women_men_unspecified": [before, [women, men, unspecified]]},
        details={"country": country, "agency": agency},
    )
    return row


@transaction.atomic
def meeting_document_add(
    *, actor: User | None, meeting: Meeting, title: str, upload: UploadedFile
) -> MeetingDocument:
    """Attach a document to a meeting: checked by its content, stored under MEDIA_ROOT."""
    _require_coordinator(actor)
    title = _clean(title)
    if not title:
        raise ServiceError(_("Give the document a title."), field="title")
    data, name, content_type = evidence_files.check(upload, upload.name or "", field="file")
    stored = evidence_files.store(data, name, content_type, folder="documents")
    try:
        document = MeetingDocument.objects.create(
            meeting=meeting,
            title=title,
            file_name=stored.name,
            file_path=stored.path,
            file_type=stored.content_type,
            file_size=stored.size,
            file_sha256=stored.sha256,
            uploaded_by=actor,
        )
        audit_record(
            event_type=ActionPlanEvent.DOCUMENT_ADDED,
            actor=actor,
            object_type="meeting",
            object_id=meeting.pk,
            changes={"document": [None, title]},
            details={"document": document.pk, "sha256": stored.sha256, "size": stored.size},
        )
    except Exception:
        evidence_files.discard(stored)
        raise
    return document


@transaction.atomic
def recommendation_create(
    *, actor: User | None, meeting: Meeting, text_en: str, text_fr: str = "", text_ar: str = ""
) -> Recommendation:
    """Add a recommendation to ``meeting`` under its next number and audit it. Coordinators
    only (``actor=None``: the platform); the English text is required."""
    _require_coordinator(actor)
    text_en, text_fr, text_ar = _clean(text_en), _clean(text_fr), _clean(text_ar)
    if not text_en:
        raise ServiceError(_("The English text is required."), field="text_en")
    # Lock the meeting row so two coordinators adding at once do not take the same number.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    number = (meeting.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    recommendation = Recommendation.objects.create(
        meeting=meeting,
        number=number,
        text_en=text_en,
        text_fr=text_fr,
        text_ar=text_ar,
        created_by=actor,
    )
    audit_record(
        event_type=ActionPlanEvent.RECOMMENDATION_CREATED,
        actor=actor,
        object_type="recommendation",
        object_id=recommendation.pk,
        changes={
            "meeting": [None, meeting.pk],
            "number": [None, number],
            "text_en": [None, text_en],
        },
    )
    return recommendation


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    recommendation: Recommendation,
    description: str,
    owner_kind: str,
    due_date: datetime.date,
    country: str = "",
    agency: Agency | None = None,
    priority: str = Priority.MEDIUM,
    indicator: str = "",
) -> FollowUpAction:
    """Create a follow-up action on ``recommendation`` and audit it. Coordinators only
    (``actor=None``: the platform); a country action needs a country, an agency action an agency
    of a country (whose country it takes), a network action has neither."""
    _require_coordinator(actor)
    description = _clean(description)
    if not description:
        raise ServiceError(_("Say what is to be done."), field="description")
    if priority not in Priority.values:
        raise ServiceError(_("Unknown priority."), field="priority")
    if owner_kind == OwnerKind.COUNTRY:
        if not country:
            raise ServiceError(_("Choose the country that owns this action."), field="country")
        agency = None
    elif owner_kind == OwnerKind.AGENCY:
        if agency is None or not agency.country:
            raise ServiceError(
                _("Choose an agency of a country to own this action."), field="agency"
            )
        if country and country != agency.country:
            raise ServiceError(_("The agency must belong to the chosen country."), field="agency")
        country = str(agency.country)
    elif owner_kind == OwnerKind.NETWORK:
        country, agency = "", None
    else:
        raise ServiceError(_("Unknown owner."), field="owner_kind")
    action = FollowUpAction.objects.create(
        recommendation=recommendation,
        description=description,
        owner_kind=owner_kind,
        country=country,
        agency=agency,
        due_date=due_date,
        priority=priority,
        indicator=_clean(indicator),
        created_by=actor,
    )
    audit_record(
        event_type=ActionPlanEvent.ACTION_CREATED,
        actor=actor,
        object_type="followup_action",
        object_id=action.pk,
        object_country=country,
        changes={
            "recommendation": [None, recommendation.pk],
            "owner_kind": [None, owner_kind],
            "country": [None, country],
            "agency": [None, agency.pk if agency else None],
            "due_date": [None, due_date.isoformat()],
            "priority": [None, priority],
        },
    )
    return action


def may_update_action(actor: Any, action: FollowUpAction) -> bool:
    """Whether ``actor`` may change the action: the same rule as ``access_action`` with
    ``Need.CHANGE``."""
    return FollowUpAction.objects.visible_to(actor, Need.CHANGE).filter(pk=action.pk).exists()


@transaction.atomic
def action_report_progress(
    *,
    actor: User,
    action: FollowUpAction,
    status: str,
    text: str,
    evidence: str = "",
    evidence_file: UploadedFile | None = None,
) -> ProgressUpdate:
    """The owner reports progress: a note, the status it is now in and the evidence (a text,
    and optionally a file checked by its content)."""
    if not may_update_action(actor, action):
        raise ServiceError(_("Only the owner of this action can report on it."))
    if status not in ActionStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    text = _clean(text)
    if not text:
        raise ServiceError(_("Describe the progress made."), field="text")
    stored = None
    if evidence_file is not None:
        data, name, content_type = evidence_files.check(evidence_file, evidence_file.name or "")
        stored = evidence_files.store(data, name, content_type)
    try:
        return _record_progress(
            actor=actor, action=action, status=status, text=text, evidence=evidence, stored=stored
        )
    except Exception:
        if stored is not None:
            evidence_files.discard(stored)
        raise


def _record_progress(
    *,
    actor: User,
    action: FollowUpAction,
    status: str,
    text: str,
    evidence: str,
    stored: evidence_files.StoredEvidence | None,
) -> ProgressUpdate:
    locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    before_status, before_completed = locked.status, locked.completed_on
    today = timezone.localdate()
    locked.status = status
    if status == ActionStatus.DONE:
        locked.completed_on = locked.completed_on or today
    else:
        locked.completed_on = None
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "completed_on", "updated_at"])
    update = ProgressUpdate.objects.create(
        action=locked,
        author=actor,
        text=text,
        evidence=_clean(evidence),
        evidence_file_name=stored.name if stored else "",
        evidence_file_path=stored.path if stored else "",
        evidence_file_type=stored.content_type if stored else "",
        evidence_file_size=stored.size if stored else 0,
        evidence_file_sha256=stored.sha256 if stored else "",
        status_before=before_status,
        status_after=status,
    )
    changes: dict[str, Any] = {}
    if before_status != status:
        changes["status"] = [before_status, status]
    if before_completed != locked.completed_on:
        changes["completed_on"] = [
            before_completed.isoformat() if before_completed else None,
            locked.completed_on.isoformat() if locked.completed_on else None,
        ]
    audit_record(
        event_type=ActionPlanEvent.ACTION_UPDATED,
        actor=actor,
        object_type="followup_action",
        object_id=action.pk,
        object_country=str(action.country or ""),
        changes=changes,
        details={
            "progress_update": update.pk,
            "has_evidence": bool(update.evidence),
            "evidence_file_sha256": update.evidence_file_sha256,
        },
    )
    action.status, action.completed_on = locked.status, locked.completed_on
    return update


@transaction.atomic
def action_mark_reminded(
    *, action: FollowUpAction, kind: str, today: datetime.date, recipients: list[str]
) -> None:
    """Record that a reminder went out (the platform is the actor)."""
    if kind == "due_soon":
        FollowUpAction.objects.filter(pk=action.pk).update(reminded_due_soon_for=action.due_date)
    else:
        FollowUpAction.objects.filter(pk=action.pk).update(reminded_overdue_on=today)
    audit_record(
        event_type=ActionPlanEvent.ACTION_REMINDED,
        actor=None,
        object_type="followup_action",
        object_id=action.pk,
        object_country=str(action.country or ""),
        details={"kind": kind, "due_date": action.due_date.isoformat(), "recipients": recipients},
    )
