"""Session limits, the user's language and the MFA gate, applied to every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record
from tawasul.core.access import is_mfa_verified

SESSION_STARTED = "tawasul_started_at"
SESSION_LAST_SEEN = "tawasul_last_seen"

Handler = Callable[[HttpRequest], HttpResponse]


class SessionLimitsMiddleware:
    """End a session after inactivity and at an absolute limit, server-side."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith("/api/"):
            now = time.time()
            started = request.session.get(SESSION_STARTED, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            reason = ""
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                reason = "absolute"
            elif now - last_seen > settings.SESSION_IDLE_SECONDS:
                reason = "inactivity"
            if reason:
                audit_record(
                    event_type=EventType.SESSION_EXPIRED,
                    actor=user,
                    object_type="user",
                    object_id=user.pk,
                    object_country=getattr(user, "country", ""),
                    details={"reason": reason},
                )
                from tawasul.accounts.services import session_forget

                session_forget(session_key=request.session.session_key or "")
                request.session.flush()
                from django.contrib.auth.models import AnonymousUser

                request.user = AnonymousUser()
                messages.info(request, _("Your session has ended. Please sign in again."))
                return HttpResponseRedirect(f"{reverse('accounts:login')}?next={request.path}")
            request.session[SESSION_STARTED] = started
            request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


MFA_EXEMPT_NAMES = {
    "accounts:mfa_setup",
    "accounts:mfa_verify",
    "accounts:logout",
    "core:set_language",
}


class MFARequiredMiddleware:
    """A signed-in user who has not passed the second factor reaches only the MFA pages."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._exempt_paths: set[str] | None = None

    def _exempt(self) -> set[str]:
        if self._exempt_paths is None:
            self._exempt_paths = {reverse(name) for name in MFA_EXEMPT_NAMES}
        return self._exempt_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not is_mfa_verified(user)
            and not request.path.startswith(("/api/", settings.STATIC_URL, "/healthz"))
            and request.path not in self._exempt()
        ):
            from tawasul.accounts.services import mfa_has_device

            has_device = mfa_has_device(user)
            if settings.MFA_REQUIRED or has_device:
                target = "accounts:mfa_verify" if has_device else "accounts:mfa_setup"
                return HttpResponseRedirect(reverse(target))
        return self.get_response(request)
