"""Test data for secure messaging, built through the services so every invariant holds."""

from __future__ import annotations

import io

from tawasul.core.handling import HandlingCode
from tawasul.messaging.files import IncomingFile
from tawasul.messaging.models import ForwardPermission, Message, Thread
from tawasul.messaging.services import (
    forward_permission_request,
    message_post,
    thread_create,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nSECRET-PLAINTEXT-MARKER\n%%EOF\n"


def incoming(name: str, data: bytes) -> IncomingFile:
    return IncomingFile(name=name, stream=io.BytesIO(data), size=len(data))


def make_thread(
    creator,
    *others,
    subject="Case: fictional route",
    body="First message",
    handling_code=HandlingCode.H0,
    restriction="",
    attachments=(),
) -> Thread:
    return thread_create(
        actor=creator,
        subject=subject,
        participants=list(others),
        body=body,
        handling_code=handling_code,
        restriction=restriction,
        source_reliability="B",
        information_accuracy="2",
        attachments=list(attachments),
    )


def post(actor, thread, body="A reply", handling_code=HandlingCode.H0, **kwargs) -> Message:
    return message_post(
        actor=actor, thread=thread, body=body, handling_code=handling_code, **kwargs
    )


def thread_ma_tn(p) -> Thread:
    """A thread between the Moroccan and the Tunisian focal points of the walk."""
    return make_thread(p["fp_ma"], p["fp_tn"])


def attachment_ma_tn(p):
    thread = make_thread(p["fp_ma"], p["fp_tn"], attachments=[incoming("report.pdf", PDF)])
    return thread.messages.get().attachments.get()


def permission_ma_tn(p) -> ForwardPermission:
    thread = make_thread(p["fp_ma"], p["fp_tn"], handling_code=HandlingCode.H2, body="H2 info")
    return forward_permission_request(
        actor=p["fp_tn"], message=thread.messages.get(), country="DZ", reason="Algerian link"
    )
