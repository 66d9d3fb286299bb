"""The authorization matrix: every URL and API operation × every HTTP method it accepts × every
role × {own country, other country, anonymous} (+ the coordinator), with objects of three
countries present.

Each app lists its routes in ``tests/walk_table.py`` (see ``tawasul/core/tests/walk.py``); this
test fails when a route, a method a route's view accepts, or an operation exists that no table
lists, so an endpoint cannot ship without saying who may reach it; it fails on any answer other
than the one listed, on any access a table did not grant (deny by default), and on any database
write a refused request makes. The counts (endpoints, methods, cases, denials) are printed at
the end of the run.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tawasul
from tawasul.accounts.services import api_token_create
from tawasul.core.roles import Organisation, Role
from tawasul.core.tests.walk import ANON, LOGIN, METHODS, ApiOperation, Route, is_refusal

pytestmark = pytest.mark.django_db


def _tables() -> tuple[dict[str, Route], dict[tuple[str, str], ApiOperation]]:
    routes: dict[str, Route] = {}
    operations: dict[tuple[str, str], ApiOperation] = {}
    for app in pkgutil.iter_modules(tawasul.__path__):
        try:
            module = importlib.import_module(f"tawasul.{app.name}.tests.walk_table")
        except ModuleNotFoundError as missing:
            if missing.name not in {
                f"tawasul.{app.name}.tests",
                f"tawasul.{app.name}.tests.walk_table",
            }:
                raise
            continue
        routes.update(module.ROUTES)
        operations.update(module.API_OPERATIONS)
    return routes, operations


ROUTES, API_OPERATIONS = _tables()
# (route, method): each method a route is walked with is a case of its own.
ROUTE_METHODS = sorted((name, method) for name, route in ROUTES.items() for method in route.calls())


def _views(resolver: URLResolver, prefix: str = "") -> dict[str, list[Callable[..., Any]]]:
    """Every named URL and the view(s) behind it."""
    views: dict[str, list[Callable[..., Any]]] = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            for name, found in _views(pattern, ns).items():
                views.setdefault(name, []).extend(found)
        elif isinstance(pattern, URLPattern) and pattern.name:
            views.setdefault(f"{prefix}{pattern.name}", []).append(pattern.callback)
    return views


def _names(resolver: URLResolver) -> set[str]:
    return set(_views(resolver))


def accepted_methods(view: Callable[..., Any]) -> frozenset[str]:
    """The walked methods ``view`` answers: a class-based view's handlers, else the list of the
    ``require_http_methods`` decorator (``require_GET``, ``require_POST`` and ``require_safe``
    are made with it) found down the chain of ``functools.wraps``; a view without one answers
    every method."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(
            m for m in METHODS if m in view_class.http_method_names and hasattr(view_class, m)
        )
    seen: set[int] = set()
    current: Any = view
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, functools.partial):
            current = current.func
            continue
        code = getattr(current, "__code__", None)
        if code is not None:
            for name, cell in zip(code.co_freevars, current.__closure__ or (), strict=True):
                if name == "request_method_list":
                    return frozenset(m.lower() for m in cell.cell_contents) & set(METHODS)
        current = getattr(current, "__wrapped__", None)
    return frozenset(METHODS)


def _openapi(client: Any) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()["paths"]


# Every role but the coordinator's (an organisation's, without a country), in the objects' own
# country and in another one.
COUNTRY_ROLES = {
    "fp": Role.FOCAL_POINT,
    "bo": Role.BORDER_OFFICER,
    "ca": Role.CENTRAL_AUTHORITY,
    "vp": Role.VICTIM_PROTECTION,
    "admin": Role.NATIONAL_ADMIN,
    "dpo": Role.OVERSIGHT,
}
PERSONAS = [
    ANON,
    "coord",
    *(f"{short}_{cc}" for short in COUNTRY_ROLES for cc in ("ma", "tn")),
]
# A signed-in persona refused: the object is not theirs (404, as for a missing one) or the page
# is not for their role (403 or 404).
REFUSALS = frozenset({403, 404})
STATS: Counter[str] = Counter()


@pytest.fixture
def personas(make_user) -> dict[str, Any]:
    found = {
        f"{short}_{cc}": make_user(username=f"w.{short}.{cc}", country=cc.upper(), roles=[role])
        for short, role in COUNTRY_ROLES.items()
        for cc in ("ma", "tn")
    }
    found["coord"] = make_user(
        username="w.coord", country="", organisation=Organisation.UNODC, roles=[Role.COORDINATOR]
    )
    _third_country_objects(make_user, found)
    return found


def _third_country_objects(make_user, found: dict[str, Any]) -> None:
    """Algeria's own records in every case: a request to Tunisia, a person record, a thread
    with Tunisia — none of which any persona's answers may depend on."""
    from tawasul.cooperation.lifecycle import Status
    from tawasul.cooperation.tests.factories import CooperationRequestFactory
    from tawasul.messaging.tests.factories import make_thread
    from tawasul.persons.tests.factories import make_record

    fp_dz = make_user(username="w.fp.dz", country="DZ", roles=[Role.FOCAL_POINT])
    CooperationRequestFactory(
        created_by=fp_dz,
        requesting_country="DZ",
        requesting_agency=fp_dz.agency,
        requested_country="TN",
        status=Status.TRANSMITTED,
    )
    make_record(fp_dz, name="Walk Third Country Demo", nationalities=("DZ",), documents=())
    make_thread(fp_dz, found["fp_tn"], subject="Third-country thread (fictional)")


def _expected(entry: Any, persona: str, api: bool = False) -> int | str | frozenset[int]:
    if persona in entry.expect:
        return entry.expect[persona]
    if persona == ANON:
        return 401 if api else LOGIN
    return entry.others if entry.others is not None else REFUSALS


def _refused(expected: Any) -> bool:
    return isinstance(expected, frozenset) or is_refusal(expected)


def _check(persona: str, expected: Any, response: Any) -> str:
    """'' when ``response`` is what the table expects of ``persona``, else what went wrong."""
    STATS["cases"] += 1
    got = response.status_code
    if _refused(expected):
        STATS["denials"] += 1
    if expected == LOGIN:
        if got != 302 or not response["Location"].startswith(reverse("accounts:login")):
            return f"{persona}: expected the sign-in redirect, got {got}"
    elif isinstance(expected, frozenset):
        if got not in expected:
            return f"{persona}: got {got}, which the walk table does not grant"
    elif got != expected:
        return f"{persona}: expected {expected}, got {got}"
    return ""


# What a refused request may write: the session (saved on every request) and the audit trail of
# the refusal itself.
_WRITE = re.compile(
    r'\s*(INSERT|UPDATE|DELETE|REPLACE)\s+(?:OR\s+\w+\s+)?(?:INTO\s+|FROM\s+)?"?(\w+)"?',
    re.IGNORECASE,
)
REFUSAL_WRITES = frozenset(
    {
        *((verb, "django_session") for verb in ("INSERT", "UPDATE", "DELETE")),
        ("INSERT", "audit_auditevent"),  # its events checked to be refusals
        ("UPDATE", "audit_auditchainhead"),
        ("INSERT", "audit_auditchainhead"),
    }
)
# On the API, the bearer token's last-use stamp (accounts.services, once a minute at most).
API_REFUSAL_WRITES = REFUSAL_WRITES | {("UPDATE", "accounts_apitoken")}
DENIAL_EVENTS = frozenset({"access.denied", "api_token.rejected"})


class _Writes:
    """Records the tables each SQL write goes to (a database execute wrapper)."""

    def __init__(self) -> None:
        self.writes: list[tuple[str, str]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        found = _WRITE.match(sql)
        if found:
            self.writes.append((found.group(1).upper(), found.group(2).lower()))
        return execute(sql, params, many, context)


def _call(persona: str, expected: Any, send: Callable[[], Any], api: bool = False) -> str:
    """Send one request and check its answer; a refused one must change nothing but the
    session and the audit trail of refusals (and, on the API, the token's last-use stamp)."""
    if not _refused(expected):
        return _check(persona, expected, send())
    writes = _Writes()
    with connection.execute_wrapper(writes):
        response = send()
    problem = _check(persona, expected, response)
    STATS["refusals checked for writes"] += 1
    changed = sorted(set(writes.writes) - (API_REFUSAL_WRITES if api else REFUSAL_WRITES))
    if changed:
        problem += f" {persona}: refused, yet wrote {changed}"
    audited = writes.writes.count(("INSERT", "audit_auditevent"))
    if audited:
        from tawasul.audit.models import AuditEvent

        events = AuditEvent.objects.order_by("-seq").values_list("event_type", flat=True)
        other = sorted(set(events[:audited]) - DENIAL_EVENTS)
        if other:
            problem += f" {persona}: refused, yet audited {other}"
    return problem.strip()


def _send(client: Any, method: str, url: str, data: dict[str, Any]) -> Any:
    if method in ("get", "post"):
        return getattr(client, method)(url, data)
    # put, patch, delete: the test client sends the body as given; a form's fields, encoded
    return getattr(client, method)(
        url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
    )


def test_every_route_is_in_a_walk_table(client):
    operation_names = {
        f"api:{op['operationId'].rsplit('_api_', 1)[-1]}"
        for ops in _openapi(client).values()
        for op in ops.values()
    }
    routes = _names(get_resolver()) - operation_names  # walked below, by operation
    missing = routes - set(ROUTES)
    assert not missing, f"add these routes to their app's tests/walk_table.py: {sorted(missing)}"
    assert not set(ROUTES) - routes, "walk table lists routes that do not exist"


def test_every_method_a_route_accepts_is_in_its_walk_table():
    views = _views(get_resolver())
    missing = {}
    for name, route in ROUTES.items():
        accepted = frozenset().union(*(accepted_methods(view) for view in views[name]))
        if accepted - set(route.calls()):
            missing[name] = sorted(accepted - set(route.calls()))
    # (A method listed that the view refuses is caught by the walk: 405 is not what it lists.)
    assert not missing, f"these views accept methods their walk-table entry lacks: {missing}"


def test_every_api_operation_is_in_a_walk_table(client):
    operations = {(method, path) for path, ops in _openapi(client).items() for method in ops}
    missing = operations - set(API_OPERATIONS)
    assert not missing, (
        f"add these operations to their app's tests/walk_table.py: {sorted(missing)}"
    )
    assert not set(API_OPERATIONS) - operations, "walk table lists operations that do not exist"


def test_every_entry_tries_anonymous_and_a_refused_persona():
    for name, method in ROUTE_METHODS:
        assert ANON in ROUTES[name].calls()[method].expect, (name, method)
    for key, operation in API_OPERATIONS.items():
        assert operation.expect.get(ANON) == 401, key


def test_walk_tables_name_only_known_personas():
    for key, entry in [
        *((key, ROUTES[key[0]].calls()[key[1]]) for key in ROUTE_METHODS),
        *API_OPERATIONS.items(),
    ]:
        assert set(entry.expect) <= set(PERSONAS), (key, set(entry.expect) - set(PERSONAS))


def test_a_persona_refused_a_page_is_refused_alike_with_every_method():
    """Who may not open a page may not post to it either, and learns no more from trying: the
    same 404 (or sign-in redirect) whatever the method."""
    problems = []
    for name, route in ROUTES.items():
        calls = route.calls()
        if "get" not in calls:
            continue
        for persona in PERSONAS:
            refusal = _expected(calls["get"], persona)
            if not _refused(refusal):
                continue
            for method, also in calls.items():
                if _expected(also, persona) != refusal:
                    problems.append(
                        f"{name} {method}: {persona} gets {refusal} on GET, "
                        f"{_expected(also, persona)} here"
                    )
    assert not problems, problems


@pytest.mark.parametrize(("name", "method"), ROUTE_METHODS)
def test_route_answers_each_persona_as_expected(
    name, method, personas, client, signed_in, settings
):
    settings.MFA_REQUIRED = True
    route = ROUTES[name]
    call = route.calls()[method]
    if method == route.method:
        STATS["endpoints"] += 1
    STATS[f"route {method.upper()}"] += 1
    problems = []
    for persona in PERSONAS:
        client.logout()
        if persona != ANON:
            signed_in(personas[persona])
        url = reverse(name, kwargs=route.kwargs(personas) or None)
        expected = _expected(call, persona)

        def send(url: str = url) -> Any:
            return _send(client, method, url, call.data)

        problems.append(_call(persona, expected, send))
    if method == route.method:
        problems.extend(_methods_not_listed_are_refused(name, route, personas, client, signed_in))
    assert not any(problems), f"{name} {method.upper()}: " + "; ".join(p for p in problems if p)


def _methods_not_listed_are_refused(name, route, personas, client, signed_in) -> list[str]:
    """The methods an entry does not list are answered 405 to a persona the page lets in (the
    others are refused before the method is looked at): the decorators say what they do."""
    allowed = next(
        (p for p in PERSONAS if not _refused(_expected(route.calls()[route.method], p))), None
    )
    if allowed is None:
        return []
    problems = []
    for method in sorted(set(METHODS) - set(route.calls())):
        client.logout()
        if allowed != ANON:
            signed_in(personas[allowed])
        url = reverse(name, kwargs=route.kwargs(personas) or None)
        STATS["method probes"] += 1
        got = _send(client, method, url, {}).status_code
        if got != 405:
            problems.append(f"{method.upper()} by {allowed}: expected 405, got {got}")
    return problems


@pytest.mark.parametrize("key", sorted(API_OPERATIONS))
def test_api_operation_answers_each_persona_as_expected(key, personas, client):
    method, template = key
    operation = API_OPERATIONS[key]
    STATS["endpoints"] += 1
    STATS[f"api {method.upper()}"] += 1
    problems = []
    for persona in PERSONAS:
        headers = {}
        if persona != ANON:
            _, plaintext = api_token_create(actor=personas[persona], name="walk", days=5)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
        path = template.format(**operation.path_params(personas))

        def send(path: str = path, headers: dict[str, str] = headers) -> Any:
            if operation.body is not None:
                return getattr(client, method)(
                    path, operation.body, content_type="application/json", **headers
                )
            return getattr(client, method)(path, **headers)

        problems.append(_call(persona, _expected(operation, persona, api=True), send, api=True))
    assert not any(problems), f"{key}: " + "; ".join(p for p in problems if p)
