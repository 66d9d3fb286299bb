"""Personas of cooperation requests: both sides of a Morocco → Spain request, with the shipped
country profiles loaded."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def profiles(db: Any) -> None:
    from tawasul.directory.tests.test_profiles import load_shipped

    load_shipped()


@pytest.fixture
def ma_agency(db: Any) -> Any:
    from tawasul.core.tests.factories import AgencyFactory
    from tawasul.directory.models import AgencyKind

    return AgencyFactory(country="MA", kind=AgencyKind.PROSECUTION, name_en="Rabat prosecution")


@pytest.fixture
def es_agency(db: Any) -> Any:
    from tawasul.core.tests.factories import AgencyFactory
    from tawasul.directory.models import AgencyKind

    return AgencyFactory(
        country="ES", kind=AgencyKind.CENTRAL_AUTHORITY_MLA, name_en="Spanish central authority"
    )


@pytest.fixture
def drafter_ma(make_user: Any, ma_agency: Any) -> Any:
    from tawasul.core.roles import Role

    return make_user(
        username="drafter.ma", country="MA", agency=ma_agency, roles=[Role.FOCAL_POINT]
    )


@pytest.fixture
def checker_ma(make_user: Any, ma_agency: Any) -> Any:
    from tawasul.core.roles import Role

    return make_user(
        username="checker.ma", country="MA", agency=ma_agency, roles=[Role.CENTRAL_AUTHORITY]
    )


@pytest.fixture
def central_es(make_user: Any, es_agency: Any) -> Any:
    from tawasul.core.roles import Role

    return make_user(
        username="central.es", country="ES", agency=es_agency, roles=[Role.CENTRAL_AUTHORITY]
    )


@pytest.fixture
def fp_es(make_user: Any, es_agency: Any) -> Any:
    from tawasul.core.roles import Role

    return make_user(username="fp.es", country="ES", agency=es_agency, roles=[Role.FOCAL_POINT])


@pytest.fixture
def draft(drafter_ma: Any, es_agency: Any) -> Any:
    from tawasul.cooperation.tests.factories import CooperationRequestFactory

    return CooperationRequestFactory(
        created_by=drafter_ma,
        requesting_agency=drafter_ma.agency,
        requested_agency=es_agency,
    )
