"""The pages people read: my country, a programme, a meeting — in Arabic too."""

import datetime

import pytest
from django.urls import reverse

from tawasul.actionplans.models import OwnerKind
from tawasul.actionplans.tests.factories import ActionFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def test_my_country_lists_what_we_owe_and_what_is_overdue(focal_point_ma, signed_in):
    late = ActionFactory(country="MA", due_date=datetime.date(2020, 1, 1), description="Late one")
    ActionFactory(country="MA", due_date=datetime.date(2099, 1, 1), description="Future one")
    ActionFactory(country="TN", description="Tunisian one")
    page = signed_in(focal_point_ma).get(reverse("actionplans:my_actions")).content.decode()
    assert "Late one" in page and "Future one" in page
    assert "Tunisian one" not in page
    assert page.index("Late one") < page.index("Future one")  # overdue first
    assert reverse("actionplans:action_detail", args=[late.pk]) in page


def test_coordinator_sees_what_the_network_owes(coordinator, signed_in):
    ActionFactory(owner_kind=OwnerKind.NETWORK, country="", description="Network one")
    ActionFactory(country="MA", description="Moroccan one")
    page = signed_in(coordinator).get(reverse("actionplans:my_actions")).content.decode()
    assert "Network one" in page and "Moroccan one" not in page


def test_programme_page_in_arabic_has_rtl_charts(focal_point_ma, signed_in):
    focal_point_ma.language = "ar"
    focal_point_ma.save()
    action = ActionFactory(country="MA")
    ParticipationFactory(meeting=action.recommendation.meeting)
    programme = action.recommendation.meeting.programme
    page = (
        signed_in(focal_point_ma)
        .get(reverse("actionplans:programme_detail", args=[programme.pk]))
        .content.decode()
    )
    assert '<html lang="ar" dir="rtl">' in page
    assert "التقدم عبر البلدان" in page  # "Progress across countries"
    assert 'direction="rtl"' in page
    assert "style=" not in page.split("<body", 1)[1]


def test_meeting_page_shows_participation_and_recommendations(focal_point_tn, signed_in):
    row = ParticipationFactory(country="NE", women=8, men=17)
    ActionFactory(recommendation__meeting=row.meeting)
    page = (
        signed_in(focal_point_tn)
        .get(reverse("actionplans:meeting_detail", args=[row.meeting_id]))
        .content.decode()
    )
    assert "25 participants, 8 of them women." in page
    assert "Set up a shared database" in page
    assert "New recommendation" not in page  # coordinators only
