from __future__ import annotations

import pytest

from tawasul.core.handling import HandlingCode
from tawasul.core.roles import Role
from tawasul.messaging.demo import seed
from tawasul.messaging.models import Thread

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_threads_once(make_user):
    make_user(username="ma.police", country="MA", roles=[Role.FOCAL_POINT, Role.BORDER_OFFICER])
    make_user(username="tn.police", country="TN", roles=[Role.FOCAL_POINT, Role.BORDER_OFFICER])
    make_user(username="tn.prosecutor", country="TN", roles=[Role.FOCAL_POINT])
    make_user(username="dz.prosecutor", country="DZ", roles=[Role.FOCAL_POINT])
    assert seed() == 2
    assert seed() == 0
    codes = set(Thread.objects.values_list("handling_code", flat=True))
    assert codes == {HandlingCode.H2, HandlingCode.H3}


def test_demo_seed_does_nothing_without_the_demo_users():
    assert seed() == 0
