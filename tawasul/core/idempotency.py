"""Safe retries for every API write: a POST under /api/v1/ sent with an ``Idempotency-Key``
header runs once per user and key.

The first request with a key runs in one transaction that also inserts the key's row; a 2xx
answer is stored in that row (encrypted) and commits with the write, any other answer
releases the key. A retry with the same key and the same request gets the stored answer
(header ``Idempotent-Replayed: true``) and writes nothing; the same key with a different
method, path or body gets 422. A retry that arrives while the first is still running waits
on the row's unique constraint, then gets the stored answer. Keys expire after 24 hours.

Two NinjaAPI decorators (tawasul.core.api): ``keep_response`` around the whole operation
(authentication included) holds the transaction; ``replay_or_claim`` runs once the caller is
authenticated and the input validated.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from tawasul.core.keys import aes_key
from tawasul.core.models import IdempotentResponse

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
_CLAIM = "_tawasul_idempotency_claim"


def _key_of(request: HttpRequest) -> str:
    if request.method != "POST" or not request.path.startswith("/api/v1/"):
        return ""
    return request.headers.get(HEADER, "").strip()


def _cipher() -> AESGCM:
    # A key of its own, derived from the attachments' key: no new secret to keep.
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"tawasul idempotent responses"
    ).derive(aes_key("TAWASUL_FILE_KEY"))
    return AESGCM(derived)


def _associated(row: IdempotentResponse) -> bytes:
    return f"{row.user_id}\n{row.key}\n{row.method}\n{row.path}".encode()


def _seal(row: IdempotentResponse, body: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + _cipher().encrypt(nonce, body, _associated(row))


def _open(row: IdempotentResponse) -> bytes:
    raw = bytes(row.response_body)
    return _cipher().decrypt(raw[:12], raw[12:], _associated(row))


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of what the request asks: its JSON body, or for a multipart upload its form
    fields and each file's name and content (the raw multipart body differs per retry)."""
    digest = hashlib.sha256()
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, uploads in sorted(request.FILES.lists()):
            for upload in uploads:
                digest.update(repr((name, upload.name, upload.size)).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(row: IdempotentResponse) -> HttpResponse:
    try:
        body = _open(row)
    except InvalidTag:
        # Sealed under another file key: the answer is lost, and the write must not repeat.
        raise HttpError(
            409, _("This Idempotency-Key was already used; its answer can no longer be read.")
        ) from None
    response = HttpResponse(body, status=row.status, content_type=row.content_type or None)
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(request: HttpRequest, key: str) -> HttpResponse | None:
    """Insert the key's row, or answer from the row a previous request stored."""
    user: Any = request.user  # authenticated by the API token (replay_or_claim checks)
    path = request.get_full_path()[:2000]
    body_sha256 = fingerprint(request)
    try:
        with transaction.atomic():
            row = IdempotentResponse.objects.create(
                user=user, key=key, method="POST", path=path, body_sha256=body_sha256
            )
    except IntegrityError:
        stored = IdempotentResponse.objects.filter(user=user, key=key).first()
        if stored is None or stored.status == 0:
            raise HttpError(
                409, _("A request with this Idempotency-Key is still running; retry shortly.")
            ) from None
        if (stored.method, stored.path, stored.body_sha256) != ("POST", path, body_sha256):
            raise HttpError(
                422,
                _(
                    "This Idempotency-Key was used for a different request in the last 24 "
                    "hours; use a new key for a new request."
                ),
            ) from None
        return _replay(stored)
    setattr(request, _CLAIM, row)
    return None


def replay_or_claim(view: Callable[..., Any]) -> Callable[..., Any]:
    """Operation decorator: runs after authentication and validation, before the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = _key_of(request)
        if not key or not getattr(request.user, "is_authenticated", False):
            return view(request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise HttpError(
                422,
                _("An Idempotency-Key is at most %(count)d printable characters.")
                % {"count": MAX_KEY_LENGTH},
            )
        stored = _claim(request, key)
        if stored is not None:
            return stored
        return view(request, *args, **kwargs)

    return wrapper


def keep_response(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """View decorator around the whole operation: one transaction for the key's row and the
    write, and the answer stored (2xx) or the key released (anything else)."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _key_of(request):
            return run(request, *args, **kwargs)
        IdempotentResponse.objects.filter(created_at__lt=timezone.now() - LIFETIME).delete()
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            row: IdempotentResponse | None = getattr(request, _CLAIM, None)
            if row is not None:
                if 200 <= response.status_code < 300 and isinstance(response, HttpResponse):
                    row.status = response.status_code
                    row.content_type = response.get("Content-Type", "")[:200]
                    row.response_body = _seal(row, response.content)
                    row.save(update_fields=["status", "content_type", "response_body"])
                else:
                    row.delete()
        return response

    return wrapper
