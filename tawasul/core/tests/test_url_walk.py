"""Every URL and API operation, walked by personas: anonymous, another country, other roles.

Each app lists its routes in ``tests/walk_table.py`` (see ``tawasul/core/tests/walk.py``); this
test fails when a route or an operation exists that no table lists, so an endpoint cannot ship
without saying who may reach it, and fails on any answer other than the one listed.
"""

from __future__ import annotations

import importlib
import pkgutil
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


@pytest.fixture
def personas(make_user) -> dict[str, Any]:
    return {
        "fp_ma": make_user(username="w.fp.ma", country="MA", roles=[Role.FOCAL_POINT]),
        "fp_tn": make_user(username="w.fp.tn", country="TN", roles=[Role.FOCAL_POINT]),
        "bo_ma": make_user(username="w.bo.ma", country="MA", roles=[Role.BORDER_OFFICER]),
        "ca_ma": make_user(username="w.ca.ma", country="MA", roles=[Role.CENTRAL_AUTHORITY]),
        "vp_ma": make_user(username="w.vp.ma", country="MA", roles=[Role.VICTIM_PROTECTION]),
        "vp_tn": make_user(username="w.vp.tn", country="TN", roles=[Role.VICTIM_PROTECTION]),
        "admin_ma": make_user(username="w.admin.ma", country="MA", roles=[Role.NATIONAL_ADMIN]),
        "admin_tn": make_user(username="w.admin.tn", country="TN", roles=[Role.NATIONAL_ADMIN]),
        "coord": make_user(
            username="w.coord",
            country="",
            organisation=Organisation.UNODC,
            roles=[Role.COORDINATOR],
        ),
        "dpo_ma": make_user(username="w.dpo.ma", country="MA", roles=[Role.OVERSIGHT]),
    }


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


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_persona_as_expected(name, personas, client, signed_in, settings):
    settings.MFA_REQUIRED = True
    route = ROUTES[name]
    for persona, status in route.expect.items():
        client.logout()
        if persona != ANON:
            signed_in(personas[persona])
        url = reverse(name, kwargs=route.kwargs(personas) or None)
        response = getattr(client, route.method)(url, route.data)
        if status == LOGIN:
            assert response.status_code == 302, (name, persona, response.status_code)
            assert response["Location"].startswith(reverse("accounts:login")), (name, persona)
        else:
            assert response.status_code == status, (name, persona, response.status_code)


@pytest.mark.parametrize("key", sorted(API_OPERATIONS))
def test_api_operation_answers_each_persona_as_expected(key, personas, client):
    method, template = key
    operation = API_OPERATIONS[key]
    for persona, status in operation.expect.items():
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
        assert response.status_code == status, (key, persona, response.status_code)
