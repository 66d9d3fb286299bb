from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from tawasul.audit.services import audit_access_denied
from tawasul.core.access import has_role
from tawasul.core.roles import Role

View = Callable[..., HttpResponse]


def role_required(role: Role) -> Callable[[View], View]:
    """A page for one role: signed-in users without it get the same audited 404 as a
    missing page, so the page's existence tells them nothing."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, role):
                audit_access_denied(
                    actor=request.user,
                    object_type="page",
                    object_id=request.path[:64],
                    need=f"role:{role}",
                )
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
