"""Every write to secure messaging: one function per action, one transaction, one audit event.

Notification e-mails never carry case content (no subject, no body, no file name): they say
that something is waiting and link to it, since mail leaves the platform's protection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from tawasul.audit.services import audit_record
from tawasul.core.access import can_read_case_content
from tawasul.core.errors import ServiceError
from tawasul.core.handling import (
    HandlingCode,
    InformationAccuracy,
    SourceReliability,
    most_restrictive,
)
from tawasul.messaging import files, references
from tawasul.messaging.events import MessagingEvent
from tawasul.messaging.models import (
    Attachment,
    EmailMode,
    ForwardPermission,
    Message,
    MessagingPreference,
    Participant,
    PermissionStatus,
    Thread,
)
from tawasul.messaging.references import ReferenceKind

if TYPE_CHECKING:
    from tawasul.accounts.models import User

logger = logging.getLogger(__name__)

MAX_BODY = 20_000
MAX_SUBJECT = 200


# --- Checks shared by the services ------------------------------------------------------------


def is_eligible_participant(user: Any) -> bool:
    """A focal point or other case-role user of a country, who may read case content."""
    return can_read_case_content(user)


def _require_case_user(actor: User) -> None:
    if not is_eligible_participant(actor):
        raise ServiceError(_("Only users with a case role can use secure messaging."))


def active_participation(actor: User, thread: Thread) -> Participant | None:
    """The user's current participation in the thread (not left), or None."""
    return Participant.objects.filter(thread=thread, user=actor, left_at__isnull=True).first()


def _require_participant(actor: User, thread: Thread) -> Participant:
    _require_case_user(actor)
    participation = active_participation(actor, thread)
    if participation is None:
        raise ServiceError(_("You do not take part in this thread."))
    return participation


def _require_open(thread: Thread) -> None:
    if thread.is_archived:
        raise ServiceError(
            _("This thread is archived: it can be read but not continued. Open a new thread.")
        )


def party_countries(thread: Thread) -> set[str]:
    """Every country that has taken part in the thread (including participants who left)."""
    return set(Participant.objects.filter(thread=thread).values_list("country", flat=True))


def active_countries(thread: Thread) -> set[str]:
    """The countries of the thread's current participants (those who left are not counted)."""
    return set(
        Participant.objects.filter(thread=thread, left_at__isnull=True).values_list(
            "country", flat=True
        )
    )


def _clean_codes(
    *, handling_code: str, restriction: str, source_reliability: str, information_accuracy: str
) -> tuple[str, str]:
    if handling_code not in HandlingCode.values:
        raise ServiceError(_("Choose a handling code."), field="handling_code")
    if source_reliability not in SourceReliability.values:
        raise ServiceError(_("Choose the source's reliability."), field="source_reliability")
    if information_accuracy not in InformationAccuracy.values:
        raise ServiceError(_("Choose the information's accuracy."), field="information_accuracy")
    restriction = restriction.strip()
    if handling_code == HandlingCode.H3:
        if not restriction:
            raise ServiceError(_("H3 needs the restriction stated in words."), field="restriction")
        if len(restriction) > 500:
            raise ServiceError(
                _("State the restriction in at most 500 characters."), field="restriction"
            )
    else:
        restriction = ""
    return handling_code, restriction


def _clean_body(body: str, *, has_files: bool) -> str:
    body = body.strip()
    if not body and not has_files:
        raise ServiceError(_("Write a message or attach a file."), field="body")
    if len(body) > MAX_BODY:
        raise ServiceError(
            _("A message holds at most %(count)d characters.") % {"count": MAX_BODY},
            field="body",
        )
    return body


def _check_files(incoming: Sequence[files.IncomingFile]) -> list[files.CheckedFile]:
    if len(incoming) > files.MAX_ATTACHMENTS_PER_MESSAGE:
        raise ServiceError(
            _("Attach at most %(count)d files to one message.")
            % {"count": files.MAX_ATTACHMENTS_PER_MESSAGE},
            field="attachments",
        )
    return [files.check_upload(f) for f in incoming]


# --- Notifications ----------------------------------------------------------------------------


def email_mode_of(user: User) -> str:
    """How the user is told of new messages by e-mail; immediately if they never chose."""
    preference = MessagingPreference.objects.filter(user=user).first()
    return preference.email_mode if preference else EmailMode.IMMEDIATE


def _send_notice(user: User, subject: str, text: str) -> None:
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # a mail outage must never undo or block a message
        logger.exception("messaging notification e-mail failed", extra={"user_id": user.pk})


def _notify_new_message(user: User, thread_id: int) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("messaging:thread", args=[thread_id])
    with translation.override(user.language or "en"):
        subject = _("Tawasul: a new secure message is waiting for you")
        text = _(
            "A participant has written to you in a Tawasul thread.\n\n"
            "For your protection this e-mail contains nothing of the message. "
            "Sign in to read it:\n%(link)s\n"
        ) % {"link": link}
        _send_notice(user, subject, text)


def _deliver(message: Message) -> None:
    """Mark the message delivered to the recipients who get an immediate e-mail, and send
    those e-mails once the transaction has committed."""
    recipients = (
        Participant.objects.filter(thread=message.thread, left_at__isnull=True)
        .exclude(user=message.sender)
        .select_related("user")
    )
    for participation in recipients:
        user = participation.user
        if not user.is_active or not user.email or email_mode_of(user) != EmailMode.IMMEDIATE:
            continue
        Participant.objects.filter(pk=participation.pk).update(last_delivered_message_id=message.pk)
        thread_id = message.thread_id
        transaction.on_commit(partial(_notify_new_message, user, thread_id))


# --- Messages and attachments ---------------------------------------------------------------


def _store_attachments(
    *, actor: User, message: Message, checked: Iterable[files.CheckedFile], written: list[str]
) -> None:
    for item in checked:
        storage_name = files.store_encrypted(item.data)
        written.append(storage_name)
        attachment = Attachment.objects.create(
            message=message,
            filename=item.filename,
            kind=item.kind.code,
            content_type=item.kind.content_type,
            size=len(item.data),
            sha256=item.sha256,
            storage_name=storage_name,
            uploaded_by=actor,
        )
        audit_record(
            event_type=MessagingEvent.ATTACHMENT_STORED,
            actor=actor,
            object_type="message_attachment",
            object_id=attachment.pk,
            object_country=message.sender_country,
            details={
                "thread": message.thread_id,
                "message": message.pk,
                "sha256": item.sha256,
                "size": attachment.size,
                "type": item.kind.code,
            },
        )


def _create_message(
    *,
    actor: User,
    thread: Thread,
    body: str,
    handling_code: str,
    restriction: str,
    source_reliability: str,
    information_accuracy: str,
    checked: Sequence[files.CheckedFile],
    origin: Message | None = None,
) -> Message:
    written: list[str] = []
    try:
        message = Message.objects.create(
            thread=thread,
            sender=actor,
            sender_country=str(actor.country),
            body=body,
            handling_code=handling_code,
            restriction=restriction,
            source_reliability=source_reliability,
            information_accuracy=information_accuracy,
            origin=origin,
        )
        _store_attachments(actor=actor, message=message, checked=checked, written=written)
    except BaseException:
        for name in written:
            files.delete_stored(name)
        raise
    thread.handling_code = most_restrictive([thread.handling_code, handling_code])
    thread.last_message_at = message.created_at
    thread.save(update_fields=["handling_code", "last_message_at"])
    Participant.objects.filter(thread=thread, user=actor, left_at__isnull=True).update(
        last_read_message_id=message.pk,
        last_delivered_message_id=message.pk,
        last_read_at=message.created_at,
    )
    _deliver(message)
    return message


def _message_audit(actor: User, message: Message, event: str, **extra: Any) -> None:
    audit_record(
        event_type=event,
        actor=actor,
        object_type="message",
        object_id=message.pk,
        object_country=message.sender_country,
        changes={
            "handling_code": [None, message.handling_code],
            "evaluation": [None, f"{message.source_reliability}{message.information_accuracy}"],
        },
        details={
            "thread": message.thread_id,
            "attachments": message.attachments.count(),
            **extra,
        },
    )


@transaction.atomic
def thread_create(
    *,
    actor: User,
    subject: str,
    participants: Iterable[User],
    body: str,
    handling_code: str = HandlingCode.H0,
    restriction: str = "",
    source_reliability: str = SourceReliability.X,
    information_accuracy: str = InformationAccuracy.FOUR,
    attachments: Sequence[files.IncomingFile] = (),
    reference_kind: str = "",
    reference_id: int | None = None,
) -> Thread:
    """Open a thread between the actor and counterparts of at least one other country, with
    its first message, optionally about a meeting (validated through its app's gateway)."""
    _require_case_user(actor)
    has_reference = bool(reference_kind) or reference_id is not None
    if has_reference and (
        reference_kind not in ReferenceKind.values
        or reference_id is None
        or references.resolve(actor, reference_kind, reference_id) is None
    ):
        raise ServiceError(
            _("What this thread is about does not exist or is not available to you."),
            field="meeting",
        )
    subject = subject.strip()
    if not subject:
        raise ServiceError(_("Give the thread a subject."), field="subject")
    if len(subject) > MAX_SUBJECT:
        raise ServiceError(
            _("A subject holds at most %(count)d characters.") % {"count": MAX_SUBJECT},
            field="subject",
        )
    others = {u.pk: u for u in participants if u.pk != actor.pk}
    for user in others.values():
        if not is_eligible_participant(user):
            raise ServiceError(
                _("%(name)s cannot take part in secure messaging.") % {"name": user},
                field="participants",
            )
    if {str(u.country) for u in others.values()} <= {str(actor.country)}:
        raise ServiceError(
            _("A thread joins counterparts of at least two countries: add a foreign participant."),
            field="participants",
        )
    handling_code, restriction = _clean_codes(
        handling_code=handling_code,
        restriction=restriction,
        source_reliability=source_reliability,
        information_accuracy=information_accuracy,
    )
    body = _clean_body(body, has_files=bool(attachments))
    checked = _check_files(attachments)
    now = timezone.now()
    thread = Thread.objects.create(
        subject=subject,
        country=str(actor.country),
        created_by=actor,
        created_at=now,
        last_message_at=now,
        reference_kind=reference_kind,
        reference_id=reference_id,
    )
    Participant.objects.bulk_create(
        [Participant(thread=thread, user=actor, country=str(actor.country), added_by=actor)]
        + [
            Participant(thread=thread, user=u, country=str(u.country), added_by=actor)
            for u in others.values()
        ]
    )
    audit_record(
        event_type=MessagingEvent.THREAD_CREATED,
        actor=actor,
        object_type="message_thread",
        object_id=thread.pk,
        object_country=thread.country,
        details={
            "participants": sorted([actor.pk, *others]),
            "countries": sorted({str(actor.country)} | {str(u.country) for u in others.values()}),
            "about": f"{reference_kind}:{reference_id}" if reference_kind else "",
        },
    )
    message = _create_message(
        actor=actor,
        thread=thread,
        body=body,
        handling_code=handling_code,
        restriction=restriction,
        source_reliability=source_reliability,
        information_accuracy=information_accuracy,
        checked=checked,
    )
    _message_audit(actor, message, MessagingEvent.MESSAGE_POSTED)
    return thread


@transaction.atomic
def message_post(
    *,
    actor: User,
    thread: Thread,
    body: str,
    handling_code: str = HandlingCode.H0,
    restriction: str = "",
    source_reliability: str = SourceReliability.X,
    information_accuracy: str = InformationAccuracy.FOUR,
    attachments: Sequence[files.IncomingFile] = (),
) -> Message:
    """Reply in a thread the actor takes part in."""
    _require_participant(actor, thread)
    _require_open(thread)
    handling_code, restriction = _clean_codes(
        handling_code=handling_code,
        restriction=restriction,
        source_reliability=source_reliability,
        information_accuracy=information_accuracy,
    )
    body = _clean_body(body, has_files=bool(attachments))
    checked = _check_files(attachments)
    message = _create_message(
        actor=actor,
        thread=thread,
        body=body,
        handling_code=handling_code,
        restriction=restriction,
        source_reliability=source_reliability,
        information_accuracy=information_accuracy,
        checked=checked,
    )
    _message_audit(actor, message, MessagingEvent.MESSAGE_POSTED)
    return message


# --- Handling codes: who may pass what to whom ----------------------------------------------


def granted_countries(root: Message) -> set[str]:
    """The countries the originator has allowed ``root`` to be forwarded to (granted only)."""
    return set(
        ForwardPermission.objects.filter(message=root, status=PermissionStatus.GRANTED).values_list(
            "country", flat=True
        )
    )


def countries_needing_permission(*, actor: User, message: Message, countries: set[str]) -> set[str]:
    """The countries among ``countries`` to which passing ``message`` needs its originator's
    permission: for an H2 message, those not party to its original thread and not granted,
    unless the actor is the originator."""
    root = message.root
    if root.handling_code != HandlingCode.H2 or root.sender_id == actor.pk:
        return set()
    return countries - party_countries(root.thread) - granted_countries(root)


def _country_names(codes: Iterable[str]) -> str:
    return ", ".join(sorted(str(countries.name(c)) for c in codes))


@transaction.atomic
def participant_add(*, actor: User, thread: Thread, user: User) -> Participant:
    """Add a counterpart to a thread. A country new to the thread may not receive its H2
    messages without their originators' permission."""
    _require_participant(actor, thread)
    _require_open(thread)
    if not is_eligible_participant(user) or not user.is_active:
        raise ServiceError(
            _("%(name)s cannot take part in secure messaging.") % {"name": user}, field="user"
        )
    if active_participation(user, thread) is not None:
        raise ServiceError(_("%(name)s already takes part.") % {"name": user}, field="user")
    country = str(user.country)
    blocked = [
        m.pk
        for m in thread.messages.filter(handling_code=HandlingCode.H2).select_related(
            "origin", "origin__thread", "thread"
        )
        if countries_needing_permission(actor=actor, message=m, countries={country})
    ]
    if blocked:
        raise ServiceError(
            _(
                "This thread holds H2 messages that may not be passed to %(country)s without "
                "their originator's permission. Request permission on each of them first."
            )
            % {"country": _country_names([country])},
            field="user",
        )
    participation = Participant.objects.create(
        thread=thread, user=user, country=country, added_by=actor
    )
    audit_record(
        event_type=MessagingEvent.PARTICIPANT_ADDED,
        actor=actor,
        object_type="message_thread",
        object_id=thread.pk,
        object_country=thread.country,
        changes={"participants": [None, user.pk]},
        details={"country": country},
    )
    return participation


@transaction.atomic
def message_forward(*, actor: User, message: Message, target: Thread) -> Message:
    """Pass a message (and its attachments, same SHA-256) into another thread. Its handling
    and evaluation codes travel with it; H2 needs permission for any new country."""
    _require_participant(actor, message.thread)
    _require_participant(actor, target)
    _require_open(target)
    if target.pk == message.thread_id:
        raise ServiceError(_("Choose another thread."), field="target")
    missing = countries_needing_permission(
        actor=actor, message=message, countries=active_countries(target)
    )
    if missing:
        raise ServiceError(
            _(
                "This H2 message may not be passed to %(countries)s without its originator's "
                "permission. Request it first."
            )
            % {"countries": _country_names(missing)},
            field="target",
        )
    root = message.root
    copies = [
        files.CheckedFile(
            a.filename,
            files.KINDS[a.kind],
            files.read_decrypted(a.storage_name, a.sha256),
            a.sha256,
        )
        for a in message.attachments.all()
    ]
    copy = _create_message(
        actor=actor,
        thread=target,
        body=message.body,
        handling_code=message.handling_code,
        restriction=message.restriction,
        source_reliability=message.source_reliability,
        information_accuracy=message.information_accuracy,
        checked=copies,
        origin=root,
    )
    _message_audit(
        actor,
        copy,
        MessagingEvent.MESSAGE_FORWARDED,
        forwarded_from=message.pk,
        origin=root.pk,
        from_thread=message.thread_id,
    )
    return copy


@transaction.atomic
def forward_permission_request(
    *, actor: User, message: Message, country: str, reason: str
) -> ForwardPermission:
    """Ask an H2 message's originator to let it pass to another country."""
    _require_participant(actor, message.thread)
    root = message.root
    if root.handling_code != HandlingCode.H2:
        raise ServiceError(_("Only H2 messages need the originator's permission to be passed on."))
    country = country.upper()
    if country not in dict(countries):
        raise ServiceError(_("Choose a country."), field="country")
    if country in party_countries(root.thread) or country in granted_countries(root):
        raise ServiceError(
            _("%(country)s may already receive this message.")
            % {"country": _country_names([country])},
            field="country",
        )
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Say why you need to pass it on."), field="reason")
    if ForwardPermission.objects.filter(
        message=root, country=country, status=PermissionStatus.PENDING
    ).exists():
        raise ServiceError(
            _("A request for this country is already awaiting the originator."), field="country"
        )
    permission = ForwardPermission.objects.create(
        message=root, country=country, reason=reason[:500], requested_by=actor
    )
    audit_record(
        event_type=MessagingEvent.PERMISSION_REQUESTED,
        actor=actor,
        object_type="forward_permission",
        object_id=permission.pk,
        object_country=root.sender_country,
        details={"message": root.pk, "country": country},
    )
    return permission


def may_decide(actor: User, permission: ForwardPermission) -> bool:
    """The originator decides; when they no longer take part in the thread (handover), an
    active participant of the originator's country does."""
    root = permission.message
    if not is_eligible_participant(actor) or active_participation(actor, root.thread) is None:
        return False
    if root.sender_id == actor.pk:
        return True
    return (
        str(actor.country) == root.sender_country
        and active_participation(root.sender, root.thread) is None
    )


@transaction.atomic
def forward_permission_decide(
    *, actor: User, permission: ForwardPermission, grant: bool
) -> ForwardPermission:
    """Grant or refuse a pending forwarding request and audit it. Only the originator (after
    a handover, an active participant of their country; see ``may_decide``) decides, once."""
    if not may_decide(actor, permission):
        raise ServiceError(_("Only the originator of the message can decide."))
    if permission.status != PermissionStatus.PENDING:
        raise ServiceError(_("This request has already been decided."))
    before = permission.status
    permission.status = PermissionStatus.GRANTED if grant else PermissionStatus.REFUSED
    permission.decided_by = actor
    permission.decided_at = timezone.now()
    permission.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        event_type=(
            MessagingEvent.PERMISSION_GRANTED if grant else MessagingEvent.PERMISSION_REFUSED
        ),
        actor=actor,
        object_type="forward_permission",
        object_id=permission.pk,
        object_country=permission.message.sender_country,
        changes={"status": [before, permission.status]},
        details={"message": permission.message_id, "country": permission.country},
    )
    return permission


# --- Reading ------------------------------------------------------------------------------


@transaction.atomic
def thread_mark_read(*, actor: User, thread: Thread, up_to: int) -> int:
    """Record that the actor has read the thread's messages up to the given id; returns the
    new read position (unchanged when nothing new was read)."""
    participation = _require_participant(actor, thread)
    newest = thread.messages.filter(pk__lte=up_to).aggregate(m=Max("pk"))["m"] or 0
    if newest <= participation.last_read_message_id:
        return participation.last_read_message_id
    before = participation.last_read_message_id
    participation.last_read_message_id = newest
    participation.last_delivered_message_id = max(participation.last_delivered_message_id, newest)
    participation.last_read_at = timezone.now()
    participation.save(
        update_fields=["last_read_message_id", "last_delivered_message_id", "last_read_at"]
    )
    audit_record(
        event_type=MessagingEvent.THREAD_READ,
        actor=actor,
        object_type="message_thread",
        object_id=thread.pk,
        object_country=thread.country,
        changes={"last_read_message": [before, newest]},
    )
    return newest


def attachment_open(*, actor: User, attachment: Attachment) -> bytes:
    """The decrypted file, after checking its SHA-256; every download is audited, and so is
    a file that fails the check (in its own transaction, so the refusal keeps its trace)."""
    _require_participant(actor, attachment.message.thread)
    try:
        data = files.read_decrypted(attachment.storage_name, attachment.sha256)
    except files.IntegrityError as failure:
        with transaction.atomic():
            _audit_integrity_failure(actor, attachment, str(failure))
        raise ServiceError(
            _(
                "This file failed its integrity check and cannot be delivered. "
                "The failure has been recorded."
            )
        ) from None
    with transaction.atomic():
        audit_record(
            event_type=MessagingEvent.ATTACHMENT_DOWNLOADED,
            actor=actor,
            object_type="message_attachment",
            object_id=attachment.pk,
            object_country=attachment.message.sender_country,
            details={"sha256": attachment.sha256, "message": attachment.message_id},
        )
    return data


def _audit_integrity_failure(actor: User, attachment: Attachment, reason: str) -> None:
    audit_record(
        event_type=MessagingEvent.ATTACHMENT_INTEGRITY_FAILED,
        actor=actor,
        object_type="message_attachment",
        object_id=attachment.pk,
        object_country=attachment.message.sender_country,
        details={"sha256": attachment.sha256, "reason": reason},
    )


@transaction.atomic
def thread_export_record(*, actor: User, thread: Thread) -> None:
    """Audit an export of the thread (the text itself is built by the selector)."""
    _require_participant(actor, thread)
    audit_record(
        event_type=MessagingEvent.THREAD_EXPORTED,
        actor=actor,
        object_type="message_thread",
        object_id=thread.pk,
        object_country=thread.country,
        details={"handling_code": thread.handling_code},
    )


@transaction.atomic
def preference_set(*, actor: User, email_mode: str) -> MessagingPreference:
    """Set the actor's e-mail notification mode, audited when it changes. Refused to anyone
    who may not use secure messaging, and for an unknown mode."""
    _require_case_user(actor)
    if email_mode not in EmailMode.values:
        raise ServiceError(_("Choose how to be notified."), field="email_mode")
    preference, _created = MessagingPreference.objects.get_or_create(user=actor)
    before = preference.email_mode
    if before != email_mode:
        preference.email_mode = email_mode
        preference.save(update_fields=["email_mode"])
        audit_record(
            event_type=MessagingEvent.PREFERENCES_CHANGED,
            actor=actor,
            object_type="user",
            object_id=actor.pk,
            object_country=actor.country,
            changes={"email_mode": [before, email_mode]},
        )
    return preference


# --- Scheduled work (management commands) -----------------------------------------------------


@transaction.atomic
def digest_send_one(*, preference: MessagingPreference, now: datetime) -> int:
    """E-mail one daily-digest user the number of messages not yet delivered to them;
    returns that number (0: nothing sent)."""
    user = preference.user
    if not user.is_active or not user.email or not is_eligible_participant(user):
        return 0
    pending: dict[int, tuple[int, int]] = {}
    for participation in Participant.objects.filter(
        user=user, left_at__isnull=True, thread__archived_at__isnull=True
    ):
        floor = max(participation.last_delivered_message_id, participation.last_read_message_id)
        new = Message.objects.filter(thread_id=participation.thread_id, pk__gt=floor).exclude(
            sender=user
        )
        stats = new.aggregate(m=Max("pk"))
        count = new.count()
        if count:
            pending[participation.pk] = (count, stats["m"])
    if not pending:
        return 0
    total = sum(c for c, _m in pending.values())
    for participation_id, (_count, newest) in pending.items():
        Participant.objects.filter(pk=participation_id).update(last_delivered_message_id=newest)
    preference.last_digest_at = now
    preference.save(update_fields=["last_digest_at"])
    audit_record(
        event_type=MessagingEvent.DIGEST_SENT,
        object_type="user",
        object_id=user.pk,
        object_country=user.country,
        details={"messages": total, "threads": len(pending)},
    )
    link = settings.SITE_URL.rstrip("/") + reverse("messaging:inbox")
    with translation.override(user.language or "en"):
        subject = _("Tawasul: your daily message digest")
        text = _(
            "Secure messages waiting for you: %(messages)d. Threads concerned: %(threads)d.\n\n"
            "For your protection this e-mail contains nothing of the messages. "
            "Sign in to read them:\n%(link)s\n"
        ) % {"messages": total, "threads": len(pending), "link": link}
    transaction.on_commit(lambda: _send_notice(user, subject, text))
    return total


@transaction.atomic
def threads_archive_inactive(*, now: datetime, days: int) -> int:
    """Archive the open threads without a message for ``days`` days; returns how many."""
    if days < 1:
        raise ServiceError(_("The inactivity period must be at least one day."))
    cutoff = now - timedelta(days=days)
    archived = 0
    for thread in Thread.objects.select_for_update().filter(
        archived_at__isnull=True, last_message_at__lt=cutoff
    ):
        thread.archived_at = now
        thread.save(update_fields=["archived_at"])
        audit_record(
            event_type=MessagingEvent.THREAD_ARCHIVED,
            object_type="message_thread",
            object_id=thread.pk,
            object_country=thread.country,
            changes={"archived_at": [None, now.isoformat()]},
            details={"inactive_days": days, "last_message_at": thread.last_message_at.isoformat()},
        )
        archived += 1
    return archived


@transaction.atomic
def threads_delete_archived(*, now: datetime, archived_days: int, policy: str) -> int:
    """Delete, under a named retention policy, the threads archived more than
    ``archived_days`` days ago, with their encrypted files. Each deletion is audited with
    what it removed (counts and file hashes, never content)."""
    if archived_days < 1:
        raise ServiceError(_("The retention period must be at least one day."))
    policy = policy.strip()
    if not policy:
        raise ServiceError(_("Name the retention policy that orders the deletion."))
    cutoff = now - timedelta(days=archived_days)
    stored: list[str] = []
    deleted = 0
    for thread in Thread.objects.select_for_update().filter(archived_at__lt=cutoff):
        attachments = list(Attachment.objects.filter(message__thread=thread))
        stored.extend(a.storage_name for a in attachments)
        audit_record(
            event_type=MessagingEvent.THREAD_DELETED,
            object_type="message_thread",
            object_id=thread.pk,
            object_country=thread.country,
            details={
                "policy": policy[:200],
                "archived_at": thread.archived_at.isoformat() if thread.archived_at else "",
                "messages": thread.messages.count(),
                "participants": thread.participants.count(),
                "attachment_sha256": sorted(a.sha256 for a in attachments),
            },
        )
        ForwardPermission.objects.filter(message__thread=thread).delete()
        Message.objects.filter(thread=thread, origin__isnull=False).update(origin=None)
        Message.objects.filter(origin__thread=thread).update(origin=None)
        thread.delete()
        deleted += 1
    transaction.on_commit(partial(_delete_files, stored))
    return deleted


def _delete_files(storage_names: list[str]) -> None:
    for name in storage_names:
        files.delete_stored(name)


# --- Handover (run by the directory's handover service) ---------------------------------------


def handover_threads(*, predecessor: User, successor: User, actor: User | None) -> int:
    """Put the successor in the predecessor's place in every open thread; returns how many.

    Runs inside the handover's transaction and writes no audit event of its own (the
    handover's event carries the count)."""
    moved = 0
    for participation in Participant.objects.filter(
        user=predecessor, left_at__isnull=True, thread__archived_at__isnull=True
    ).select_related("thread"):
        now = timezone.now()
        participation.left_at = now
        participation.save(update_fields=["left_at"])
        if active_participation(successor, participation.thread) is None:
            Participant.objects.create(
                thread=participation.thread,
                user=successor,
                country=str(successor.country),
                added_by=actor,
                added_at=now,
            )
        moved += 1
    return moved
