from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tawasul.core.access import is_mfa_verified
from tawasul.core.navigation import nav_for


def tawasul(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    verified = is_mfa_verified(user)
    mfa_pending = bool(
        user is not None and user.is_authenticated and not verified and settings.MFA_REQUIRED
    )
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "nav_items": nav_for(user, request.path) if user is not None and not mfa_pending else [],
        "mfa_pending": mfa_pending,
    }
