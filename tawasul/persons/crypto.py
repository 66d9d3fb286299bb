"""Victim identity at rest: AES-256-GCM with the key of ``TAWASUL_VICTIM_KEY`` (32 random
bytes, URL-safe base64), the record's reference bound in as associated data so a ciphertext
cannot be moved to another record."""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from tawasul.core.keys import aes_key

_NONCE = 12
_VERSION = b"\x01"


def victim_key() -> bytes:
    """The 256-bit key of TAWASUL_VICTIM_KEY (a fixed development key outside production)."""
    return aes_key("TAWASUL_VICTIM_KEY")


def _aad(reference: str) -> bytes:
    return b"tawasul.persons.victim:" + reference.encode()


def seal_identity(reference: str, identity: dict[str, Any]) -> bytes:
    nonce = os.urandom(_NONCE)
    plain = json.dumps(identity, ensure_ascii=False, sort_keys=True).encode()
    return _VERSION + nonce + AESGCM(victim_key()).encrypt(nonce, plain, _aad(reference))


def open_identity(reference: str, blob: bytes) -> dict[str, Any]:
    data = bytes(blob)
    if data[:1] != _VERSION:
        raise ValueError("unknown victim ciphertext version")
    nonce, sealed = data[1 : 1 + _NONCE], data[1 + _NONCE :]
    plain = AESGCM(victim_key()).decrypt(nonce, sealed, _aad(reference))
    identity: dict[str, Any] = json.loads(plain)
    return identity


def seal_text(purpose: str, reference: str, text: str) -> bytes:
    nonce = os.urandom(_NONCE)
    aad = f"tawasul.persons.{purpose}:{reference}".encode()
    return _VERSION + nonce + AESGCM(victim_key()).encrypt(nonce, text.encode(), aad)


def open_text(purpose: str, reference: str, blob: bytes) -> str:
    data = bytes(blob)
    if data[:1] != _VERSION:
        raise ValueError("unknown ciphertext version")
    aad = f"tawasul.persons.{purpose}:{reference}".encode()
    nonce, sealed = data[1 : 1 + _NONCE], data[1 + _NONCE :]
    return AESGCM(victim_key()).decrypt(nonce, sealed, aad).decode()


def match_secret() -> bytes:
    return str(settings.TAWASUL_VICTIM_MATCH_SECRET).encode()
