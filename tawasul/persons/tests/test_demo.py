from __future__ import annotations

import pytest

from tawasul.core.roles import Role
from tawasul.persons import demo
from tawasul.persons.models import Hit, PersonRecord, VictimRecord

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_holds_no_victims(make_user):
    for name in ("ma.police", "tn.police", "dz.police"):
        make_user(
            username=name, country=name[:2].upper(), roles=[Role.FOCAL_POINT, Role.BORDER_OFFICER]
        )
    assert demo.seed() == len(demo.PEOPLE)
    assert demo.seed() == 0
    assert PersonRecord.objects.count() == len(demo.PEOPLE)
    assert set(PersonRecord.objects.values_list("country", flat=True)) == {"MA", "TN", "DZ"}
    assert Hit.objects.filter(record__country="MA", searcher_country="TN").exists()
    assert not VictimRecord.objects.exists()


def test_demo_seed_waits_for_the_demo_users():
    assert demo.seed() == 0
