"""Every URL and API operation, walked by personas: anonymous, another country, another role.

The test fails when a route exists that the table below does not list, so a new endpoint
cannot ship without saying who may reach it. (The full role × country matrix is built on
this as the case apps land.)
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tawasul.accounts.services import api_token_create
from tawasul.core.roles import Role

pytestmark = pytest.mark.django_db

ANON = "anonymous"
LOGIN_REDIRECT = "login"

# url name -> (method, kwargs builder key, {persona: expected status})
# Personas: anonymous, fp_ma (case role, own country), fp_tn (another country), admin_ma,
# admin_tn (national admin of another country), coord (coordinator), dpo_ma (oversight).
PUBLIC = {ANON: 200, "fp_ma": 200}
SIGNED_IN = {ANON: LOGIN_REDIRECT, "fp_ma": 200, "coord": 200, "dpo_ma": 200}
ADMIN_PAGE = {ANON: LOGIN_REDIRECT, "admin_ma": 200, "fp_ma": 404, "coord": 404, "dpo_ma": 404}
OWN_USER_PAGE = {ANON: LOGIN_REDIRECT, "admin_ma": 200, "admin_tn": 404, "fp_ma": 404, "coord": 404}
OWN_USER_POST = {ANON: LOGIN_REDIRECT, "admin_tn": 404, "fp_tn": 404, "coord": 404, "dpo_ma": 404}
TABLE: dict[str, tuple[str, str | None, dict[str, Any]]] = {
    "core:home": ("get", None, SIGNED_IN),
    "core:set_language": ("post", None, {ANON: 302, "fp_ma": 302}),
    "healthz": ("get", None, PUBLIC),
    "accounts:login": ("get", None, PUBLIC | {"fp_ma": 302}),
    "accounts:logout": ("post", None, {ANON: 302, "fp_ma": 302}),
    "accounts:mfa_verify": ("get", None, {ANON: LOGIN_REDIRECT, "fp_ma": 302}),
    "accounts:mfa_setup": ("get", None, {ANON: LOGIN_REDIRECT, "fp_ma": 200}),
    "accounts:mfa_recovery_regenerate": ("post", None, {ANON: LOGIN_REDIRECT, "fp_ma": 200}),
    "accounts:account": ("get", None, SIGNED_IN),
    "accounts:api_token_create": ("post", None, {ANON: LOGIN_REDIRECT, "fp_ma": 302}),
    "accounts:api_token_revoke": (
        "post",
        "token",
        {ANON: LOGIN_REDIRECT, "fp_tn": 404, "admin_ma": 404, "fp_ma": 302},
    ),
    "accounts:user_list": ("get", None, ADMIN_PAGE),
    "accounts:user_create": ("get", None, ADMIN_PAGE),
    "accounts:user_detail": ("get", "user", OWN_USER_PAGE),
    "accounts:user_set_active": ("post", "user", OWN_USER_POST),
    "accounts:user_mfa_reset": ("post", "user", OWN_USER_POST),
    "accounts:password_reset": ("get", None, PUBLIC),
    "accounts:password_reset_done": ("get", None, PUBLIC),
    "accounts:password_reset_confirm": ("get", "reset", {ANON: 200}),
    "audit:event_list": (
        "get",
        None,
        {ANON: LOGIN_REDIRECT, "dpo_ma": 200, "fp_ma": 404, "admin_ma": 404, "coord": 404},
    ),
    "api:openapi-json": ("get", None, PUBLIC),
    "api:api-root": ("get", None, {ANON: 404, "fp_ma": 404}),
}
# API operations: (method, path) -> {persona: status}; anonymous always 401.
API_TABLE: dict[tuple[str, str], dict[str, int]] = {
    ("get", "/api/v1/accounts/me"): {ANON: 401, "fp_ma": 200, "coord": 200},
    ("get", "/api/v1/accounts/me/tokens"): {ANON: 401, "fp_ma": 200},
    ("get", "/api/v1/audit/events"): {
        ANON: 401,
        "dpo_ma": 200,
        "fp_ma": 404,
        "admin_ma": 404,
        "coord": 404,
    },
}


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


@pytest.fixture
def personas(make_user, signed_in) -> dict[str, Any]:
    from tawasul.core.roles import Organisation

    return {
        "fp_ma": make_user(username="w.fp.ma", country="MA", roles=[Role.FOCAL_POINT]),
        "fp_tn": make_user(username="w.fp.tn", country="TN", roles=[Role.FOCAL_POINT]),
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


def _url(name: str, kind: str | None, personas: dict[str, Any]) -> str:
    if kind is None:
        return reverse(name)
    if kind == "user":
        return reverse(name, kwargs={"user_id": personas["fp_ma"].pk})
    if kind == "token":
        token, _ = api_token_create(actor=personas["fp_ma"], name="walk", days=5)
        return reverse(name, kwargs={"token_id": token.pk})
    return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})


def test_every_route_is_in_the_table(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    api_operation_names = {
        f"api:{op['operationId'].rsplit('_api_', 1)[-1]}"
        for ops in paths.values()
        for op in ops.values()
    }
    routes = _names(get_resolver()) - api_operation_names  # walked below, by operation
    assert routes == set(TABLE), "add new routes to the walk table"


def test_every_api_operation_is_in_the_table(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = {(method, path) for path, ops in paths.items() for method in ops}
    assert operations == set(API_TABLE), "add new API operations to the walk table"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_route_answers_each_persona_as_expected(name, personas, client, signed_in, settings):
    settings.MFA_REQUIRED = True
    method, kind, expected = TABLE[name]
    for persona, status in expected.items():
        client.logout()
        if persona != ANON:
            signed_in(personas[persona])
        url = _url(name, kind, personas)
        response = getattr(client, method)(url)
        if status == LOGIN_REDIRECT:
            assert response.status_code == 302, (name, persona)
            assert response["Location"].startswith(reverse("accounts:login")), (name, persona)
        else:
            assert response.status_code == status, (name, persona, response.status_code)


@pytest.mark.parametrize("operation", sorted(API_TABLE))
def test_api_operation_answers_each_persona_as_expected(operation, personas, client):
    method, path = operation
    for persona, status in API_TABLE[operation].items():
        headers = {}
        if persona != ANON:
            _, plaintext = api_token_create(actor=personas[persona], name="walk", days=5)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
        response = getattr(client, method)(path, **headers)
        assert response.status_code == status, (operation, persona, response.status_code)
