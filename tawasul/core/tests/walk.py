"""The vocabulary of the URL walk (tawasul/core/tests/test_url_walk.py).

Every app lists its routes and API operations in its own ``tests/walk.py`` as ``ROUTES`` and
``API_OPERATIONS``; the walk collects them all and fails on any route or operation that no app
lists. Each entry says, for each persona it names, what the persona must get.

Personas (built in test_url_walk.py, all with MFA verified):
    anonymous; fp_ma, fp_tn (focal points of Morocco and Tunisia); bo_ma (border officer, MA);
    ca_ma (central authority, MA); vp_ma, vp_tn (victim protection); admin_ma, admin_tn
    (national admins); coord (UNODC coordinator); dpo_ma (oversight, MA).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ANON = "anonymous"
LOGIN = "login-redirect"  # expected: 302 to the sign-in page

Personas = dict[str, Any]
KwargsBuilder = Callable[[Personas], dict[str, Any]]


def no_kwargs(personas: Personas) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    """A named URL: the method to call, how to build its kwargs, who gets what."""

    method: str
    expect: Mapping[str, int | str]
    kwargs: KwargsBuilder = no_kwargs
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ApiOperation:
    """An OpenAPI operation (method, path template): who gets what; anonymous must get 401."""

    expect: Mapping[str, int]
    path_params: KwargsBuilder = no_kwargs
    body: dict[str, Any] | None = None
