"""The authorization matrix: every URL and API operation × every role × {own country, other
country, anonymous} (+ the coordinator), with objects of three countries present.

Each app lists its routes in ``tests/walk_table.py`` (see ``tawasul/core/tests/walk.py``); this
test fails when a route or an operation exists that no table lists, so an endpoint cannot ship
without saying who may reach it; it fails on any answer other than the one listed, and on any
access a table did not grant (deny by default). The counts (endpoints, cases, denials) are
printed at the end of the run.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tawasul
from tawasul.accounts.services import api_token_create
from tawasul.core.roles import Organisation, Role
from tawasul.core.tests.walk import ANON, LOGIN, ApiOperation, Route

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


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


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


def _expected(entry: Any, persona: str) -> int | str | frozenset[int]:
    if persona in entry.expect:
        return entry.expect[persona]
    if persona == ANON:
        return 401 if isinstance(entry, ApiOperation) else LOGIN
    return entry.others if entry.others is not None else REFUSALS


def _check(persona: str, expected: Any, response: Any) -> str:
    """'' when ``response`` is what the table expects of ``persona``, else what went wrong."""
    STATS["cases"] += 1
    got = response.status_code
    if expected == LOGIN:
        STATS["denials"] += 1
        if got != 302 or not response["Location"].startswith(reverse("accounts:login")):
            return f"{persona}: expected the sign-in redirect, got {got}"
    elif isinstance(expected, frozenset):
        STATS["denials"] += 1
        if got not in expected:
            return f"{persona}: got {got}, which the walk table does not grant"
    else:
        if expected in (401, 403, 404):
            STATS["denials"] += 1
        if got != expected:
            return f"{persona}: expected {expected}, got {got}"
    return ""


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


def test_every_api_operation_is_in_a_walk_table(client):
    operations = {(method, path) for path, ops in _openapi(client).items() for method in ops}
    missing = operations - set(API_OPERATIONS)
    assert not missing, (
        f"add these operations to their app's tests/walk_table.py: {sorted(missing)}"
    )
    assert not set(API_OPERATIONS) - operations, "walk table lists operations that do not exist"


def test_every_entry_tries_anonymous_and_a_refused_persona():
    for name, route in ROUTES.items():
        assert ANON in route.expect, name
    for key, operation in API_OPERATIONS.items():
        assert operation.expect.get(ANON) == 401, key


def test_walk_tables_name_only_known_personas():
    for key, entry in [*ROUTES.items(), *API_OPERATIONS.items()]:
        assert set(entry.expect) <= set(PERSONAS), (key, set(entry.expect) - set(PERSONAS))


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_persona_as_expected(name, personas, client, signed_in, settings):
    settings.MFA_REQUIRED = True
    route = ROUTES[name]
    STATS["endpoints"] += 1
    problems = []
    for persona in PERSONAS:
        client.logout()
        if persona != ANON:
            signed_in(personas[persona])
        url = reverse(name, kwargs=route.kwargs(personas) or None)
        response = getattr(client, route.method)(url, route.data)
        problems.append(_check(persona, _expected(route, persona), response))
    assert not any(problems), f"{name}: " + "; ".join(p for p in problems if p)


@pytest.mark.parametrize("key", sorted(API_OPERATIONS))
def test_api_operation_answers_each_persona_as_expected(key, personas, client):
    method, template = key
    operation = API_OPERATIONS[key]
    STATS["endpoints"] += 1
    problems = []
    for persona in PERSONAS:
        headers = {}
        if persona != ANON:
            _, plaintext = api_token_create(actor=personas[persona], name="walk", days=5)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
        path = template.format(**operation.path_params(personas))
        if operation.body is not None:
            response = getattr(client, method)(
                path, operation.body, content_type="application/json", **headers
            )
        else:
            response = getattr(client, method)(path, **headers)
        problems.append(_check(persona, _expected(operation, persona), response))
    assert not any(problems), f"{key}: " + "; ".join(p for p in problems if p)
