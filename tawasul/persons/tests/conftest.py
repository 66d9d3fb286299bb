from __future__ import annotations

import pytest


@pytest.fixture
def bo_tn(make_user):
    from tawasul.core.roles import Role

    return make_user(username="bo.tn", country="TN", roles=[Role.BORDER_OFFICER])


@pytest.fixture
def ca_tn(make_user):
    from tawasul.core.roles import Role

    return make_user(username="ca.tn", country="TN", roles=[Role.CENTRAL_AUTHORITY])


@pytest.fixture
def vp_ma(make_user):
    from tawasul.core.roles import Role

    return make_user(username="vp.ma", country="MA", roles=[Role.VICTIM_PROTECTION])


@pytest.fixture
def vp_tn(make_user):
    from tawasul.core.roles import Role

    return make_user(username="vp.tn", country="TN", roles=[Role.VICTIM_PROTECTION])


@pytest.fixture
def record_ma(focal_point_ma):
    from tawasul.persons.tests.factories import make_record

    return make_record(focal_point_ma)
