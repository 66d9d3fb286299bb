"""The vocabulary of the URL walk (tawasul/core/tests/test_url_walk.py).

Every app lists its routes and API operations in its own ``tests/walk_table.py`` as ``ROUTES``
and ``API_OPERATIONS``; the walk collects them all and fails on any route or operation that no
app lists. Each entry says, for each persona it names, what the persona must get.

Personas (built in test_url_walk.py, all with MFA verified): anonymous, the UNODC coordinator
``coord``, and every other role in the objects' own country (Morocco, ``_ma``) and in another
country (Tunisia, ``_tn``): fp_ (focal point), bo_ (border officer), ca_ (central authority),
vp_ (victim protection), admin_ (national admin), dpo_ (oversight). Objects are built for
Morocco's personas; background objects of a third country (Algeria) exist in every case.

The walk is an authorization matrix: every persona tries every entry, with every HTTP method
the page accepts. A persona an entry does not name must be refused (404 or 403; anonymous: the
sign-in redirect, or 401 on the API), unless the entry says what everyone else gets with
``others`` (a page every signed-in user may open). So a new endpoint is closed to everyone the
author did not think of.

Methods: a route's ``method`` is the one it is mainly walked with; ``also`` lists every other
method the view accepts (read from its ``require_http_methods``/``require_GET``/``require_POST``
decorator; a view without one answers every method). The walk fails when a view accepts a
method its entry does not list, and checks that a method it does not list is answered 405. A
persona refused the page's GET must get the very same refusal with every other method, and a
refused request must leave the database as it was (only the session and access-denied audit
events may be written).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ANON = "anonymous"
LOGIN = "login-redirect"  # expected: 302 to the sign-in page

# The methods the walk calls every route with (HEAD and OPTIONS follow GET and are not walked).
METHODS = ("get", "post", "put", "patch", "delete")

Personas = dict[str, Any]
KwargsBuilder = Callable[[Personas], dict[str, Any]]
Expect = Mapping[str, int | str]


def no_kwargs(personas: Personas) -> dict[str, Any]:
    return {}


def is_refusal(expected: int | str) -> bool:
    return expected in (LOGIN, 401, 403, 404)


def with_allowed(expect: Expect, code: int | str) -> dict[str, int | str]:
    """``expect`` with every persona it lets in answered ``code`` instead, its refusals kept:
    the same page called with another method (typically an empty form: 200 or 400 with the
    errors)."""
    return {persona: got if is_refusal(got) else code for persona, got in expect.items()}


@dataclass(frozen=True)
class Also:
    """Another method a route accepts: who gets what (the same refusals as the route's GET),
    with which form data. Empty data is enough: an allowed persona gets the form's errors."""

    expect: Expect
    data: dict[str, Any] = field(default_factory=dict)
    others: int | None = None


@dataclass(frozen=True)
class Route:
    """A named URL: the method to call, how to build its kwargs, who gets what; ``also``: the
    other methods the page accepts."""

    method: str
    expect: Expect
    kwargs: KwargsBuilder = no_kwargs
    data: dict[str, Any] = field(default_factory=dict)
    # What a signed-in persona the entry does not name gets; None: a refusal (404 or 403).
    others: int | None = None
    also: Mapping[str, Also] = field(default_factory=dict)

    def calls(self) -> dict[str, Also]:
        """Every method the entry walks, with its expectations."""
        return {self.method: Also(self.expect, self.data, self.others), **self.also}


def every_other_method(route_method: str, also: Also) -> dict[str, Also]:
    """``also`` for every walked method but ``route_method``: a view with no method decorator
    answers them all."""
    return {method: also for method in METHODS if method != route_method}


@dataclass(frozen=True)
class ApiOperation:
    """An OpenAPI operation (method, path template): who gets what; anonymous must get 401."""

    expect: Mapping[str, int]
    path_params: KwargsBuilder = no_kwargs
    body: dict[str, Any] | None = None
    others: int | None = None
