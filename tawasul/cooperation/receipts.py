"""Signed receipts: every transition of a request yields a receipt (request reference, action,
status, time, the content version and the SHA-256 of the formal request's document) signed with
the instance's Ed25519 key (TAWASUL_RECEIPT_KEY). Anyone holding the public key can check a
receipt without trusting the database; ``manage.py receipt_verify`` does it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

RECEIPT_VERSION = 1
SIGNED_FIELDS = (
    "version",
    "instance",
    "key_id",
    "request",
    "transition",
    "action",
    "from_status",
    "status",
    "at",
    "side",
    "actor_country",
    "content_version",
    "document_sha256",
)


class ReceiptError(Exception):
    """A receipt that does not verify; the message says why."""


def _private_key() -> Ed25519PrivateKey:
    raw = settings.TAWASUL_RECEIPT_KEY
    try:
        seed = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError) as error:
        raise ReceiptError("TAWASUL_RECEIPT_KEY is not URL-safe base64") from error
    if len(seed) != 32:
        raise ReceiptError("TAWASUL_RECEIPT_KEY must decode to 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key() -> Ed25519PublicKey:
    return _private_key().public_key()


def public_key_bytes(key: Ed25519PublicKey | None = None) -> bytes:
    return (key or public_key()).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def key_id(key: Ed25519PublicKey | None = None) -> str:
    return hashlib.sha256(public_key_bytes(key)).hexdigest()[:16]


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes that are signed: the signed fields only, sorted, compact, UTF-8."""
    body = {name: payload.get(name) for name in SIGNED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` (the signed fields but ``version``, ``instance`` and ``key_id``) completed
    and signed; the result is what is stored and handed out."""
    receipt = dict(payload)
    receipt["version"] = RECEIPT_VERSION
    receipt["instance"] = settings.TAWASUL_INSTANCE_NAME
    receipt["key_id"] = key_id()
    signature = _private_key().sign(canonical(receipt))
    receipt["signature"] = base64.b64encode(signature).decode("ascii")
    return receipt


def verify(receipt: Any, key: Ed25519PublicKey | None = None) -> None:
    """Raise ReceiptError unless ``receipt`` carries a valid signature of this instance's key
    (or of ``key``) over its signed fields."""
    if not isinstance(receipt, dict):
        raise ReceiptError("a receipt is a JSON object")
    missing = [name for name in (*SIGNED_FIELDS, "signature") if name not in receipt]
    if missing:
        raise ReceiptError(f"missing fields: {', '.join(missing)}")
    key = key or public_key()
    if receipt["key_id"] != key_id(key):
        raise ReceiptError("signed with another key")
    try:
        signature = base64.b64decode(str(receipt["signature"]), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ReceiptError("the signature is not base64") from error
    try:
        key.verify(signature, canonical(receipt))
    except InvalidSignature as error:
        raise ReceiptError("the signature does not match the content") from error


def load_public_key(pem_or_base64: str) -> Ed25519PublicKey:
    """A public key given as PEM or as the raw 32 bytes in base64 (what the instance
    publishes on its receipts page)."""
    text = pem_or_base64.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ReceiptError("not an Ed25519 public key")
        return key
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError) as error:
        raise ReceiptError("not an Ed25519 public key") from error
