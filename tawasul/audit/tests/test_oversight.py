from __future__ import annotations

import pytest

from tawasul.audit.models import AuditEvent, EventType
from tawasul.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_oversight_sees_events_of_own_country_only(
    signed_in, oversight_ma, focal_point_ma, focal_point_tn
):
    audit_record(
        event_type=EventType.USER_UPDATED,
        actor=focal_point_ma,
        object_type="user",
        object_id=1,
        object_country="MA",
        details={"marker": "moroccan-event"},
    )
    audit_record(
        event_type=EventType.USER_UPDATED,
        actor=focal_point_tn,
        object_type="user",
        object_id=2,
        object_country="TN",
        details={"marker": "tunisian-event"},
    )
    client = signed_in(oversight_ma)
    response = client.get("/audit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "moroccan-event" in body
    assert "tunisian-event" not in body


def test_oversight_filters_by_event_type(signed_in, oversight_ma, focal_point_ma):
    audit_record(
        event_type=EventType.USER_DISABLED,
        actor=focal_point_ma,
        object_country="MA",
        details={"marker": "disabled-one"},
    )
    audit_record(
        event_type=EventType.USER_ENABLED,
        actor=focal_point_ma,
        object_country="MA",
        details={"marker": "enabled-one"},
    )
    body = signed_in(oversight_ma).get("/audit/", {"event_type": "user.disabled"}).content.decode()
    assert "disabled-one" in body
    assert "enabled-one" not in body


@pytest.mark.parametrize("persona", ["focal_point_ma", "admin_ma", "coordinator"])
def test_non_oversight_users_get_404_for_the_audit_log(request, signed_in, persona):
    user = request.getfixturevalue(persona)
    response = signed_in(user).get("/audit/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor=user).exists()


def test_audit_page_offers_no_way_to_change_entries(signed_in, oversight_ma):
    audit_record(event_type=EventType.USER_UPDATED, actor=oversight_ma, object_country="MA")
    client = signed_in(oversight_ma)
    body = client.get("/audit/").content.decode()
    assert 'method="post"' not in body.split("<main", 1)[1].split("</main>")[0]
    assert client.post("/audit/").status_code in {404, 405}
