"""Reads for secure messaging, filtered by the same rules as the gateways."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.core.access import Need, can_read_case_content
from tawasul.core.handling import H1_NOTICE, HandlingCode
from tawasul.messaging.models import (
    ForwardPermission,
    Message,
    Participant,
    PermissionStatus,
    Thread,
)

if TYPE_CHECKING:
    from tawasul.accounts.models import User


def threads_for(user: Any, *, archived: bool = False) -> QuerySet[Thread]:
    """The user's threads with their unread count (messages from others after the user's
    read position)."""
    mine = Participant.objects.filter(thread=OuterRef("pk"), user=user, left_at__isnull=True)
    threads = Thread.objects.visible_to(user).filter(archived_at__isnull=not archived)
    return (
        threads.annotate(
            my_last_read=Subquery(mine.values("last_read_message_id")[:1]),
        )
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__pk__gt=F("my_last_read")) & ~Q(messages__sender=user),
            ),
            message_count=Count("messages"),
        )
        .order_by("-last_message_at", "-pk")
    )


def with_countries(threads: Iterable[Thread]) -> list[tuple[Thread, list[str]]]:
    """Each thread with the sorted countries of its active participants (one query)."""
    threads = list(threads)
    countries: dict[int, set[str]] = {t.pk: set() for t in threads}
    for thread_id, country in Participant.objects.filter(
        thread_id__in=countries, left_at__isnull=True
    ).values_list("thread_id", "country"):
        countries[thread_id].add(country)
    return [(t, sorted(countries[t.pk])) for t in threads]


def unread_of(thread: Thread) -> int:
    """The unread count annotated by ``threads_for``."""
    return int(getattr(thread, "unread", 0) or 0)


def unread_total(user: Any) -> int:
    if not can_read_case_content(user):
        return 0
    # One COUNT, starting from the user's own active participations (an index on the user),
    # then their threads' messages after the last one read: on a million messages this is a
    # few milliseconds, where a filter on every message with an EXISTS scanned the table.
    return (
        Message.objects.filter(
            thread__participants__user=user,
            thread__participants__left_at__isnull=True,
            thread__archived_at__isnull=True,
            pk__gt=F("thread__participants__last_read_message_id"),
        )
        .exclude(sender=user)
        .count()
    )


def messages_of(thread: Thread, *, after: int = 0) -> QuerySet[Message]:
    return (
        thread.messages.filter(pk__gt=after)
        .select_related("sender", "sender__agency", "origin", "origin__sender")
        .prefetch_related("attachments")
        .order_by("pk")
    )


def participants_of(thread: Thread) -> QuerySet[Participant]:
    return (
        thread.participants.filter(left_at__isnull=True)
        .select_related("user", "user__agency")
        .order_by("country", "pk")
    )


def restrictions_of(thread: Thread) -> list[str]:
    """The stated H3 restrictions of the thread's messages, shown wherever it is shown."""
    return list(
        thread.messages.filter(handling_code=HandlingCode.H3)
        .values_list("restriction", flat=True)
        .distinct()
    )


def has_h1(thread: Thread) -> bool:
    return thread.messages.filter(handling_code=HandlingCode.H1).exists()


@dataclass(frozen=True)
class ThreadMarks:
    """What a list of threads shows beside each one: its H3 restrictions, whether an H1
    message is in it, and its active participants."""

    restrictions: list[str]
    has_h1: bool
    participants: list[Participant]


def marks_of(threads: Iterable[Thread]) -> dict[int, ThreadMarks]:
    """``restrictions_of``, ``has_h1`` and ``participants_of`` for many threads in two queries
    (a list of 200 threads would otherwise make 600)."""
    ids = [t.pk for t in threads]
    restrictions: dict[int, set[str]] = {pk: set() for pk in ids}
    h1: set[int] = set()
    for thread_id, code, restriction in (
        Message.objects.filter(
            thread_id__in=ids, handling_code__in=[HandlingCode.H1, HandlingCode.H3]
        )
        .values_list("thread_id", "handling_code", "restriction")
        .distinct()
        .order_by()
    ):
        if code == HandlingCode.H1:
            h1.add(thread_id)
        else:
            restrictions[thread_id].add(restriction)
    participants: dict[int, list[Participant]] = {pk: [] for pk in ids}
    for participant in (
        Participant.objects.filter(thread_id__in=ids, left_at__isnull=True)
        .select_related("user", "user__agency")
        .order_by("country", "pk")
    ):
        participants[participant.thread_id].append(participant)
    return {pk: ThreadMarks(sorted(restrictions[pk]), pk in h1, participants[pk]) for pk in ids}


def permissions_to_decide(user: Any) -> list[ForwardPermission]:
    from tawasul.messaging.services import may_decide

    pending = (
        ForwardPermission.objects.visible_to(user)
        .filter(status=PermissionStatus.PENDING)
        .select_related("message", "message__thread", "message__sender", "requested_by")
    )
    return [p for p in pending if may_decide(user, p)]


def permissions_requested_by(user: Any) -> QuerySet[ForwardPermission]:
    return (
        ForwardPermission.objects.visible_to(user)
        .filter(requested_by=user)
        .select_related("message", "message__thread")[:20]
    )


def search_messages(user: Any, query: str) -> QuerySet[Message]:
    """Messages the user may see whose text, thread subject or attachment name matches."""
    query = query.strip()
    if not query:
        return Message.objects.none()
    return (
        Message.objects.visible_to(user)
        .filter(
            Q(body__icontains=query)
            | Q(thread__subject__icontains=query)
            | Q(attachments__filename__icontains=query)
        )
        .distinct()
        .select_related("thread", "sender")
        .order_by("-pk")
    )


def eligible_users(actor: Any, *, exclude_thread: Thread | None = None) -> QuerySet[User]:
    """Users who may take part in a thread: active, of a country, with a case role and none
    of the roles that exclude case content."""
    from tawasul.accounts.models import User
    from tawasul.core.roles import CASE_ROLES, NO_CASE_CONTENT_ROLES

    users = (
        User.objects.filter(is_active=True, roles__role__in=CASE_ROLES)
        .exclude(country="")
        .exclude(roles__role__in=NO_CASE_CONTENT_ROLES)
        .exclude(pk=actor.pk)
        .select_related("agency")
        .distinct()
        .order_by("country", "full_name", "username")
    )
    if exclude_thread is not None:
        users = users.exclude(
            thread_participations__thread=exclude_thread,
            thread_participations__left_at__isnull=True,
        )
    return users


def forward_targets(user: Any, message: Message) -> QuerySet[Thread]:
    return (
        Thread.objects.visible_to(user, Need.CHANGE)
        .filter(archived_at__isnull=True)
        .exclude(pk=message.thread_id)
        .order_by("-last_message_at")
    )


def thread_export_text(thread: Thread) -> str:
    """A plain-text record of the thread, every H1 message marked, the H3 restrictions
    stated, each attachment with its SHA-256."""
    lines = [
        _("Tawasul — secure message thread"),
        _("Subject: %(subject)s") % {"subject": thread.subject},
        _("Handling code of the thread: %(code)s") % {"code": thread.get_handling_code_display()},
    ]
    if has_h1(thread):
        lines.append(str(H1_NOTICE))
    for restriction in restrictions_of(thread):
        lines.append(_("Restriction (H3): %(text)s") % {"text": restriction})
    lines.append(
        _("Exported on %(date)s UTC") % {"date": timezone.now().strftime("%Y-%m-%d %H:%M")}
    )
    lines.append("")
    for message in messages_of(thread):
        lines.append("=" * 72)
        lines.append(
            _("#%(id)s · %(date)s UTC · %(sender)s (%(country)s)")
            % {
                "id": message.pk,
                "date": message.created_at.strftime("%Y-%m-%d %H:%M"),
                "sender": message.sender.display_name(),
                "country": message.sender_country,
            }
        )
        lines.append(
            _("Handling code: %(code)s · Evaluation: %(source)s%(info)s")
            % {
                "code": message.handling_code,
                "source": message.source_reliability,
                "info": message.information_accuracy,
            }
        )
        if message.is_h1:
            lines.append(str(H1_NOTICE))
        if message.restriction:
            lines.append(_("Restriction (H3): %(text)s") % {"text": message.restriction})
        if message.origin_id:
            lines.append(_("Forwarded message #%(id)s") % {"id": message.origin_id})
        lines.append("")
        lines.append(message.body)
        for attachment in message.attachments.all():
            lines.append(
                _("Attachment: %(name)s · %(size)s bytes · SHA-256 %(hash)s")
                % {"name": attachment.filename, "size": attachment.size, "hash": attachment.sha256}
            )
        lines.append("")
    return "\n".join(lines)


def delivery_status(thread: Thread, message: Message) -> dict[str, int]:
    """For one message: to how many of the other participants it was delivered, and by how
    many read."""
    others = thread.participants.filter(left_at__isnull=True).exclude(user_id=message.sender_id)
    return {
        "recipients": others.count(),
        "delivered": others.filter(
            Q(last_delivered_message_id__gte=message.pk) | Q(last_read_message_id__gte=message.pk)
        ).count(),
        "read": others.filter(last_read_message_id__gte=message.pk).count(),
    }


def reference_of(thread: Thread, user: Any) -> dict[str, str] | None:
    """What the thread is about, for display: the object's name and page, or — if it has
    since gone or is no longer visible — its kind and id only."""
    from tawasul.messaging import references

    if not thread.reference_kind or thread.reference_id is None:
        return None
    kind_label = str(thread.get_reference_kind_display())
    target = references.resolve(user, thread.reference_kind, thread.reference_id)
    if target is None:
        return {"kind": kind_label, "name": f"#{thread.reference_id}", "url": ""}
    return {
        "kind": kind_label,
        "name": str(target),
        "url": references.url_of(thread.reference_kind, thread.reference_id),
    }
