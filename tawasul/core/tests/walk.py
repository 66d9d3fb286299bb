"""The vocabulary of the URL walk (tawasul/core/tests/test_url_walk.py).

Every app lists its routes and API operations in its own ``tests/walk.py`` as ``ROUTES`` and
``API_OPERATIONS``; the walk collects them all and fails on any route or operation that no app
lists. Each entry says, for each persona it names, what the persona must get.

Personas (built in test_url_walk.py, all with MFA verified): anonymous, the UNODC coordinator
``coord``, and every other role in the objects' own country (Morocco, ``_ma``) and in another
country (Tunisia, ``_tn``): fp_ (focal point), bo_ (border officer), ca_ (central authority),
vp_ (victim protection), admin_ (national admin), dpo_ (oversight). Objects are built for
Morocco's personas; background objects of a third country (Algeria) exist in every case.

The walk is an authorization matrix: every persona tries every entry. A persona an entry does
not name must be refused (404 or 403; anonymous: the sign-in redirect, or 401 on the API),
unless the entry says what everyone else gets with ``others`` (a page every signed-in user
may open). So a new endpoint is closed to everyone the author did not think of.
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
    # What a signed-in persona the entry does not name gets; None: a refusal (404 or 403).
    others: int | None = None


@dataclass(frozen=True)
class ApiOperation:
    """An OpenAPI operation (method, path template): who gets what; anonymous must get 401."""

    expect: Mapping[str, int]
    path_params: KwargsBuilder = no_kwargs
    body: dict[str, Any] | None = None
    others: int | None = None
