import pytest

from tawasul.accounts.services import api_token_create
from tawasul.actionplans.models import ActionStatus
from tawasul.actionplans.tests.factories import ActionFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/action-plans"


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        _, token = api_token_create(actor=user, name="t", days=1)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            return getattr(client, method)(
                BASE + path, body, content_type="application/json", **headers
            )
        return getattr(client, method)(BASE + path, **headers)

    return call


def test_lists_meetings_with_participation(api, focal_point_tn):
    p = ParticipationFactory(women=8, men=17)
    data = api(focal_point_tn, "get", "/meetings").json()
    assert data[0]["id"] == p.meeting_id
    assert data[0]["participants_women"] == 8


def test_actions_mine_and_overdue_filters(api, focal_point_ma):
    import datetime

    mine = ActionFactory(country="MA", due_date=datetime.date(2020, 1, 1))
    ActionFactory(country="TN")
    data = api(focal_point_ma, "get", "/actions?mine=true&overdue=true").json()
    assert [a["id"] for a in data] == [mine.pk]
    assert data[0]["overdue"] is True


def test_owner_updates_status_through_api(api, focal_point_ma):
    action = ActionFactory(country="MA")
    response = api(
        focal_point_ma, "post", f"/actions/{action.pk}/progress", {"status": "done", "text": "ok"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"


def test_foreign_country_gets_404_through_api(api, focal_point_tn):
    action = ActionFactory(country="MA")
    response = api(
        focal_point_tn, "post", f"/actions/{action.pk}/progress", {"status": "done", "text": "ok"}
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_bad_status_is_400_with_message(api, focal_point_ma):
    action = ActionFactory(country="MA")
    response = api(
        focal_point_ma, "post", f"/actions/{action.pk}/progress", {"status": "won", "text": "ok"}
    )
    assert response.status_code == 400
    assert "status" in response.json()["detail"].lower()
