"""The JSON API under /api/v1/: token authentication and the routers of every app.

The OpenAPI document is served at /api/v1/openapi.json. The interactive docs page is off:
it loads scripts from a CDN, which an air-gapped deployment cannot reach.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import BaseModel

from tawasul.accounts.api import router as accounts_router
from tawasul.actionplans.api import router as actionplans_router
from tawasul.audit.api import router as audit_router
from tawasul.cooperation.api import router as cooperation_router
from tawasul.core.idempotency import keep_response, replay_or_claim
from tawasul.directory.api import router as directory_router
from tawasul.messaging.api import router as messaging_router
from tawasul.persons.api import router as persons_router


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer tws_<prefix>_<secret>``: a personal, expiring, revocable token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from tawasul.accounts.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, BaseModel):
        return _has_nul(value.model_dump())
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul(view: Callable[..., Any]) -> Callable[..., Any]:
    """Operation decorator: text with a NUL character is refused (400), as Django's forms do;
    PostgreSQL cannot store or even compare it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if _has_nul(kwargs):
            raise HttpError(400, _("Text cannot contain NUL characters."))
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="Tawasul API",
    version="1",
    description="Cross-border judicial and police cooperation. Every operation needs a personal API token.",
    auth=ApiTokenAuth(),
    docs_url=None,
    urls_namespace="api",
)
# A POST with an Idempotency-Key header runs once per user and key (tawasul.core.idempotency).
api.add_decorator(keep_response, mode="view")
api.add_decorator(refuse_nul, mode="operation")
api.add_decorator(replay_or_claim, mode="operation")
api.add_router("/accounts/", accounts_router)
api.add_router("/audit/", audit_router)
api.add_router("/directory/", directory_router)
api.add_router("/messaging/", messaging_router)
api.add_router("/action-plans/", actionplans_router)
api.add_router("/persons/", persons_router)
api.add_router("/cooperation/", cooperation_router)
