"""Who is acting, from where: the request context every audit entry records.

A middleware fills it for web and API requests; outside a request (management commands,
scripts) the channel is ``cli`` and there is no IP.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django_guid import get_guid


@dataclass(frozen=True)
class RequestContext:
    channel: str
    ip_address: str


_current: ContextVar[RequestContext | None] = ContextVar("tawasul_audit_context", default=None)


def current_context() -> RequestContext:
    return _current.get() or RequestContext(channel="cli", ip_address="")


def current_request_id() -> str:
    return get_guid() or ""


def client_ip(request: HttpRequest) -> str:
    """The peer address. Behind the reverse proxy, gunicorn's forwarded-allow-ips makes
    REMOTE_ADDR the client's; we never trust a header the client can set."""
    raw = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return ""


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        token = _current.set(RequestContext(channel=channel, ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
