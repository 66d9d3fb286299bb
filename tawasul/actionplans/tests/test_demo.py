import io

import pytest
from django.core.management import call_command

from tawasul.actionplans import demo
from tawasul.actionplans.models import FollowUpAction, Meeting, Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEMO_MODE = True
    call_command("demo_seed", stdout=io.StringIO())


def test_demo_has_the_four_meetings_from_the_articles(seeded):
    assert Meeting.objects.count() == 4
    casablanca = Meeting.objects.get(programme__code="glo-act")
    assert (casablanca.start_date.isoformat(), casablanca.place) == ("2019-04-24", "Casablanca")
    assert casablanca.recommendations.count() == 8
    assert all(r.text_fr and r.text_ar for r in casablanca.recommendations.all())
    amman = Meeting.objects.get(programme__code="matf")
    assert amman.place == "Amman" and amman.start_date.isoformat() == "2018-04-25"
    bsm = Meeting.objects.get(programme__code="bsm")
    rows = Participation.objects.filter(meeting=bsm)
    assert sum(r.total for r in rows) == 25
    assert sum(r.women for r in rows) == 8
    assert {str(r.country) for r in rows} == {"BF", "ML", "NE"}
    assert Meeting.objects.filter(programme__code="marrakesh-platform").exists()
    assert FollowUpAction.objects.overdue().exists()
    assert FollowUpAction.objects.filter(status="done").exists()


def test_demo_seed_is_idempotent(seeded):
    before = FollowUpAction.objects.count()
    assert demo.seed() == 0
    assert FollowUpAction.objects.count() == before
