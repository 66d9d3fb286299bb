from __future__ import annotations

import pytest

from tawasul.core.roles import Role
from tawasul.directory import demo
from tawasul.directory.models import CountryProfile, FocalPoint, Network

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_entries_and_networks_and_is_idempotent(make_user):
    for username, country in [
        ("ma.police", "MA"),
        ("ma.prosecutor", "MA"),
        ("tn.police", "TN"),
        ("ml.focal", "ML"),
    ]:
        make_user(username=username, country=country, roles=[Role.FOCAL_POINT])
    created = demo.seed()
    assert created > 0
    assert FocalPoint.objects.count() == 4
    prosecutor = FocalPoint.objects.get(user__username="ma.prosecutor")
    assert prosecutor.substitute.user.username == "ma.police"
    matf = Network.objects.get(code="matf")
    assert set(matf.memberships.values_list("focal_point__user__username", flat=True)) == {
        "ma.police",
        "ma.prosecutor",
        "tn.police",
    }
    sahel = Network.objects.get(code="sahel-platform")
    assert list(sahel.memberships.values_list("focal_point__user__username", flat=True)) == [
        "ml.focal"
    ]
    assert CountryProfile.objects.current().count() == 15
    assert demo.seed() == 0
