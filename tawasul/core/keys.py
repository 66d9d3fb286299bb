"""The AES-256 keys the product encrypts with, read from settings in one way."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def aes_key(setting: str) -> bytes:
    """The 32-byte key held by ``settings.<setting>`` as URL-safe base64, or
    ImproperlyConfigured naming the setting and how to make one (outside production the
    settings file provides fixed development keys)."""
    raw = str(getattr(settings, setting))
    try:
        key = base64.urlsafe_b64decode(raw.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(
            f"{setting} must be 32 random bytes in URL-safe base64 "
            "(python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')"
        )
    return key
