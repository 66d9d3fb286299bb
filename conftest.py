"""Personas shared by every test: who acts, from which country, with which roles.

Imports are inside the fixtures so that plain-Python suites (tawasul.names) load this file
without Django."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _english_and_fresh_cache(settings: Any) -> None:
    from django.core.cache import cache
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    cache.clear()


@pytest.fixture
def make_user(db: Any) -> Any:
    from tawasul.core.tests.factories import UserFactory

    def make(**kwargs: Any) -> Any:
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def focal_point_ma(make_user: Any) -> Any:
    from tawasul.core.roles import Role

    return make_user(username="fp.ma", country="MA", roles=[Role.FOCAL_POINT])


@pytest.fixture
def focal_point_tn(make_user: Any) -> Any:
    from tawasul.core.roles import Role

    return make_user(username="fp.tn", country="TN", roles=[Role.FOCAL_POINT])


@pytest.fixture
def admin_ma(make_user: Any) -> Any:
    from tawasul.core.roles import Role

    return make_user(username="admin.ma", country="MA", roles=[Role.NATIONAL_ADMIN])


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    from tawasul.core.roles import Organisation, Role

    return make_user(
        username="coord", country="", organisation=Organisation.UNODC, roles=[Role.COORDINATOR]
    )


@pytest.fixture
def oversight_ma(make_user: Any) -> Any:
    from tawasul.core.roles import Role

    return make_user(username="dpo.ma", country="MA", roles=[Role.OVERSIGHT])


@pytest.fixture
def signed_in(client: Any) -> Any:
    """Sign a user in with a verified second factor, as after a full MFA sign-in."""

    def sign_in(user: Any) -> Any:
        from tawasul.core.tests.factories import sign_in_with_second_factor

        return sign_in_with_second_factor(client, user)

    return sign_in
