"""Gateways for secure messaging: the only way a view or API handler reaches a thread, a
message, an attachment or a forwarding permission. Non-participants, coordinators, national
administrators and oversight users get the same audited 404 as for a missing object."""

from __future__ import annotations

from typing import Any

from tawasul.core.access import Need, fetch_or_404
from tawasul.messaging.models import Attachment, ForwardPermission, Message, Thread


def access_thread(user: Any, thread_id: object, *, need: Need = Need.VIEW) -> Thread:
    """A thread the user takes part in (VIEW and CHANGE); anyone else — non-participants,
    coordinators, national admins, oversight — gets the same audited 404 as for a missing thread."""
    return fetch_or_404(
        Thread.objects.all(), user, thread_id, need=need, object_type="message_thread"
    )


def access_message(user: Any, message_id: object, *, need: Need = Need.VIEW) -> Message:
    """A message in a thread the user takes part in (VIEW and CHANGE); anyone else —
    non-participants, coordinators, national admins, oversight — gets the audited 404."""
    return fetch_or_404(
        Message.objects.select_related("thread", "origin", "origin__thread", "sender"),
        user,
        message_id,
        need=need,
        object_type="message",
    )


def access_attachment(user: Any, attachment_id: object, *, need: Need = Need.VIEW) -> Attachment:
    """An attachment of a message in a thread the user takes part in (VIEW and CHANGE); anyone
    else — non-participants, coordinators, national admins, oversight — gets the audited 404."""
    return fetch_or_404(
        Attachment.objects.select_related("message", "message__thread"),
        user,
        attachment_id,
        need=need,
        object_type="message_attachment",
    )


def access_forward_permission(
    user: Any, permission_id: object, *, need: Need = Need.VIEW
) -> ForwardPermission:
    """A forwarding permission, for a participant of the message's thread or the user who
    requested it (VIEW and CHANGE; deciding is further checked by the service); anyone else —
    including coordinators, national admins, oversight — gets the audited 404."""
    return fetch_or_404(
        ForwardPermission.objects.select_related("message", "message__thread", "message__sender"),
        user,
        permission_id,
        need=need,
        object_type="forward_permission",
    )
