"""The JSON API of secure messaging: threads, messages and attachments.

Same gateways and services as the pages: a non-participant gets 404 for a thread, its
messages and its attachments; coordinators, national administrators and oversight users
get 404 for everything here. H1 messages carry the H1 notice in every answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from tawasul.audit.services import audit_access_denied
from tawasul.core.access import Need, can_read_case_content
from tawasul.core.errors import ServiceError
from tawasul.core.handling import H1_NOTICE, HandlingCode
from tawasul.messaging import selectors, services
from tawasul.messaging.access import access_attachment, access_thread
from tawasul.messaging.files import IncomingFile
from tawasul.messaging.models import Attachment, Message, Thread
from tawasul.messaging.references import ReferenceKind

router = Router(tags=["messaging"])


def _case_user(request: HttpRequest) -> Any:
    user = request.user
    if not can_read_case_content(user):
        audit_access_denied(
            actor=user, object_type="api", object_id="messaging", need="case_content"
        )
        raise Http404
    return user


class ParticipantOut(Schema):
    user_id: int
    username: str
    name: str
    country: str
    last_read_message_id: int
    last_delivered_message_id: int


class ThreadOut(Schema):
    id: int
    subject: str
    handling_code: str
    created_at: datetime
    last_message_at: datetime
    archived_at: datetime | None
    unread: int
    restrictions: list[str]
    h1_notice: str | None
    about: ReferenceOut | None
    participants: list[ParticipantOut]


class AttachmentOut(Schema):
    id: int
    message_id: int
    filename: str
    type: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    download_url: str


class MessageOut(Schema):
    id: int
    thread_id: int
    sender: str
    sender_country: str
    body: str
    handling_code: str
    restriction: str
    source_reliability: str
    information_accuracy: str
    h1_notice: str | None
    forwarded_from: int | None
    created_at: datetime
    attachments: list[AttachmentOut]


class ReferenceOut(Schema):
    kind: str
    id: int


class ThreadIn(Schema):
    subject: str
    participant_ids: list[int]
    body: str
    meeting_id: int | None = None
    request_id: int | None = None
    handling_code: str = HandlingCode.H0
    restriction: str = ""
    source_reliability: str = "X"
    information_accuracy: str = "4"


class MessageIn(Schema):
    body: str = ""
    handling_code: str = HandlingCode.H0
    restriction: str = ""
    source_reliability: str = "X"
    information_accuracy: str = "4"


class AfterQuery(Schema):
    after: int = 0


def _attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=a.pk,
        message_id=a.message_id,
        filename=a.filename,
        type=a.kind,
        content_type=a.content_type,
        size=a.size,
        sha256=a.sha256,
        uploaded_at=a.uploaded_at,
        download_url=f"/api/v1/messaging/attachments/{a.pk}/download",
    )


def _message_out(m: Message) -> MessageOut:
    return MessageOut(
        id=m.pk,
        thread_id=m.thread_id,
        sender=m.sender.username,
        sender_country=m.sender_country,
        body=m.body,
        handling_code=m.handling_code,
        restriction=m.restriction,
        source_reliability=m.source_reliability,
        information_accuracy=m.information_accuracy,
        h1_notice=str(H1_NOTICE) if m.is_h1 else None,
        forwarded_from=m.origin_id,
        created_at=m.created_at,
        attachments=[_attachment_out(a) for a in m.attachments.all()],
    )


def _thread_out(t: Thread, unread: int, marks: selectors.ThreadMarks | None = None) -> ThreadOut:
    marks = marks or selectors.marks_of([t])[t.pk]
    return ThreadOut(
        id=t.pk,
        subject=t.subject,
        handling_code=t.handling_code,
        created_at=t.created_at,
        last_message_at=t.last_message_at,
        archived_at=t.archived_at,
        unread=unread,
        restrictions=marks.restrictions,
        h1_notice=str(H1_NOTICE) if marks.has_h1 else None,
        about=(
            ReferenceOut(kind=t.reference_kind, id=t.reference_id)
            if t.reference_kind and t.reference_id is not None
            else None
        ),
        participants=[
            ParticipantOut(
                user_id=p.user_id,
                username=p.user.username,
                name=p.user.display_name(),
                country=p.country,
                last_read_message_id=p.last_read_message_id,
                last_delivered_message_id=p.last_delivered_message_id,
            )
            for p in marks.participants
        ],
    )


def _refused(error: ServiceError) -> HttpError:
    return HttpError(400, error.message)


@router.get("/threads", response=list[ThreadOut], summary="Your message threads")
def list_threads(request: HttpRequest, archived: bool = False) -> list[ThreadOut]:
    user = _case_user(request)
    threads = list(selectors.threads_for(user, archived=archived)[:200])
    marks = selectors.marks_of(threads)
    return [_thread_out(t, selectors.unread_of(t), marks[t.pk]) for t in threads]


def _reference(payload: ThreadIn) -> dict[str, Any]:
    if payload.meeting_id is not None and payload.request_id is not None:
        from django.utils.translation import gettext

        raise HttpError(400, gettext("A thread is about one meeting or one request, not both."))
    if payload.meeting_id is not None:
        return {"reference_kind": ReferenceKind.MEETING, "reference_id": payload.meeting_id}
    if payload.request_id is not None:
        return {"reference_kind": ReferenceKind.REQUEST, "reference_id": payload.request_id}
    return {"reference_kind": "", "reference_id": None}


@router.post("/threads", response={201: ThreadOut}, summary="Open a thread with its first message")
def create_thread(request: HttpRequest, payload: ThreadIn) -> Status[ThreadOut]:
    user = _case_user(request)
    # Only eligible users can be chosen; an unknown or ineligible id is refused, not revealed.
    wanted = [i for i in payload.participant_ids if 0 < i < 2**63]  # beyond: no such row
    chosen = list(selectors.eligible_users(user).filter(pk__in=wanted))
    if len(chosen) != len(set(payload.participant_ids) - {user.pk}):
        raise HttpError(400, str(_unknown_participant()))
    try:
        thread = services.thread_create(
            actor=user,
            subject=payload.subject,
            participants=chosen,
            body=payload.body,
            handling_code=payload.handling_code,
            restriction=payload.restriction,
            source_reliability=payload.source_reliability,
            information_accuracy=payload.information_accuracy,
            **_reference(payload),
        )
    except ServiceError as error:
        raise _refused(error) from None
    return Status(201, _thread_out(thread, 0))


def _unknown_participant() -> str:
    from django.utils.translation import gettext

    return gettext("One of the participants cannot take part in secure messaging.")


@router.get("/threads/{thread_id}", response=ThreadOut, summary="One thread")
def get_thread(request: HttpRequest, thread_id: int) -> ThreadOut:
    user = _case_user(request)
    thread = access_thread(user, thread_id)
    annotated = selectors.threads_for(user, archived=thread.is_archived).filter(pk=thread.pk)
    unread = sum(selectors.unread_of(t) for t in annotated)
    return _thread_out(thread, unread)


@router.get(
    "/threads/{thread_id}/messages",
    response=list[MessageOut],
    summary="A thread's messages (after an id, for polling)",
)
def list_messages(
    request: HttpRequest, thread_id: int, query: Query[AfterQuery]
) -> list[MessageOut]:
    user = _case_user(request)
    thread = access_thread(user, thread_id)
    return [_message_out(m) for m in selectors.messages_of(thread, after=max(0, query.after))[:500]]


@router.post(
    "/threads/{thread_id}/messages", response={201: MessageOut}, summary="Reply in a thread"
)
def create_message(request: HttpRequest, thread_id: int, payload: MessageIn) -> Status[MessageOut]:
    user = _case_user(request)
    thread = access_thread(user, thread_id, need=Need.CHANGE)
    try:
        message = services.message_post(
            actor=user,
            thread=thread,
            body=payload.body,
            handling_code=payload.handling_code,
            restriction=payload.restriction,
            source_reliability=payload.source_reliability,
            information_accuracy=payload.information_accuracy,
        )
    except ServiceError as error:
        raise _refused(error) from None
    return Status(201, _message_out(message))


@router.post(
    "/threads/{thread_id}/uploads",
    response={201: MessageOut},
    summary="Reply with attachments (multipart/form-data)",
)
def create_message_with_files(
    request: HttpRequest,
    thread_id: int,
    payload: Form[MessageIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[MessageOut]:
    user = _case_user(request)
    thread = access_thread(user, thread_id, need=Need.CHANGE)
    incoming = [IncomingFile(name=f.name or "", stream=f, size=f.size or 0) for f in files or []]
    try:
        message = services.message_post(
            actor=user,
            thread=thread,
            body=payload.body,
            handling_code=payload.handling_code,
            restriction=payload.restriction,
            source_reliability=payload.source_reliability,
            information_accuracy=payload.information_accuracy,
            attachments=incoming,
        )
    except ServiceError as error:
        raise _refused(error) from None
    return Status(201, _message_out(message))


@router.get(
    "/attachments/{attachment_id}", response=AttachmentOut, summary="An attachment's record"
)
def get_attachment(request: HttpRequest, attachment_id: int) -> AttachmentOut:
    user = _case_user(request)
    return _attachment_out(access_attachment(user, attachment_id))


@router.get(
    "/attachments/{attachment_id}/download",
    summary="Download an attachment (audited; its SHA-256 is checked first)",
)
def download_attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    from tawasul.messaging.views import file_response

    user = _case_user(request)
    attachment = access_attachment(user, attachment_id)
    try:
        data = services.attachment_open(actor=user, attachment=attachment)
    except ServiceError as error:
        raise HttpError(409, error.message) from None
    return file_response(data, attachment.content_type, attachment.filename)
