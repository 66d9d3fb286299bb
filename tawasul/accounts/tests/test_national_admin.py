from __future__ import annotations

import re

import pytest
from django.core import mail

from tawasul.accounts.models import User
from tawasul.accounts.services import user_create, user_set_roles
from tawasul.audit.models import AuditEvent, EventType
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Role
from tawasul.core.tests.factories import AgencyFactory
from tawasul.core.tests.html import without_tokens

pytestmark = pytest.mark.django_db


def test_national_admin_lists_only_own_country_users(
    signed_in, admin_ma, focal_point_ma, focal_point_tn
):
    body = signed_in(admin_ma).get("/accounts/users/").content.decode()
    assert "fp.ma" in body
    assert "fp.tn" not in body


def test_foreign_user_gets_404_for_national_admin(signed_in, admin_ma, focal_point_tn):
    client = signed_in(admin_ma)
    assert client.get(f"/accounts/users/{focal_point_tn.pk}/").status_code == 404
    assert (
        client.post(f"/accounts/users/{focal_point_tn.pk}/active/", {"active": "0"}).status_code
        == 404
    )
    focal_point_tn.refresh_from_db()
    assert focal_point_tn.is_active
    assert AuditEvent.objects.filter(
        event_type=EventType.ACCESS_DENIED, actor=admin_ma, object_id=str(focal_point_tn.pk)
    ).exists()


def test_missing_user_gets_the_same_404(signed_in, admin_ma, focal_point_tn):
    client = signed_in(admin_ma)
    foreign = client.get(f"/accounts/users/{focal_point_tn.pk}/")
    missing = client.get("/accounts/users/999999/")
    assert foreign.status_code == missing.status_code == 404

    def normalised(body: bytes) -> str:  # per-response tokens and the echoed path aside
        return re.sub(r"/accounts/users/\d+/", "/accounts/users/ID/", without_tokens(body))

    assert normalised(foreign.content) == normalised(missing.content)


def test_national_admin_creates_user_in_own_country_and_sends_activation(
    signed_in, admin_ma, django_capture_on_commit_callbacks
):
    agency = AgencyFactory(country="MA")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(admin_ma).post(
            "/accounts/users/new/",
            {
                "username": "new.officer",
                "full_name": "New Officer",
                "full_name_ar": "ضابط جديد",
                "email": "new@example.invalid",
                "agency": agency.pk,
                "roles": [Role.FOCAL_POINT],
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="new.officer")
    assert user.country == "MA"
    assert user.role_set == {Role.FOCAL_POINT}
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(event_type=EventType.USER_CREATED, actor=admin_ma).exists()


def test_national_admin_cannot_use_a_foreign_agency(signed_in, admin_ma):
    foreign = AgencyFactory(country="TN")
    response = signed_in(admin_ma).post(
        "/accounts/users/new/",
        {
            "username": "x",
            "full_name": "X",
            "email": "x@example.invalid",
            "agency": foreign.pk,
            "roles": [Role.FOCAL_POINT],
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="x").exists()


def test_national_admin_cannot_create_users_in_another_country(admin_ma):
    with pytest.raises(ServiceError):
        user_create(
            actor=admin_ma,
            username="tn.new",
            email="t@example.invalid",
            full_name="T",
            country="TN",
            agency=AgencyFactory(country="TN"),
            roles=[Role.FOCAL_POINT],
        )
    assert not User.objects.filter(username="tn.new").exists()


@pytest.mark.parametrize("role", [Role.OVERSIGHT, Role.COORDINATOR])
def test_national_admin_never_grants_platform_roles(admin_ma, focal_point_ma, role):
    with pytest.raises(ServiceError):
        user_set_roles(actor=admin_ma, user=focal_point_ma, roles=[Role.FOCAL_POINT, role])
    assert focal_point_ma.role_set == {Role.FOCAL_POINT}


def test_platform_role_cannot_be_posted_through_the_form(signed_in, admin_ma, focal_point_ma):
    signed_in(admin_ma).post(
        f"/accounts/users/{focal_point_ma.pk}/",
        {
            "full_name": "x",
            "email": "x@example.invalid",
            "agency": focal_point_ma.agency_id,
            "roles": [Role.FOCAL_POINT, Role.OVERSIGHT],
        },
    )
    focal_point_ma.refresh_from_db()
    assert Role.OVERSIGHT not in set(focal_point_ma.roles.values_list("role", flat=True))


def test_role_change_is_audited_with_old_and_new(signed_in, admin_ma, focal_point_ma):
    signed_in(admin_ma).post(
        f"/accounts/users/{focal_point_ma.pk}/",
        {
            "full_name": focal_point_ma.full_name,
            "email": focal_point_ma.email,
            "agency": focal_point_ma.agency_id,
            "roles": [Role.FOCAL_POINT, Role.BORDER_OFFICER],
        },
    )
    event = AuditEvent.objects.get(event_type=EventType.USER_ROLES_CHANGED)
    assert event.changes["roles"] == [
        [Role.FOCAL_POINT],
        sorted([Role.BORDER_OFFICER, Role.FOCAL_POINT]),
    ]


def test_focal_point_cannot_manage_users(signed_in, focal_point_ma, admin_ma):
    client = signed_in(focal_point_ma)
    assert client.get("/accounts/users/").status_code == 404
    assert client.get(f"/accounts/users/{admin_ma.pk}/").status_code == 404


def test_national_admin_cannot_disable_self(admin_ma):
    from tawasul.accounts.services import user_disable

    with pytest.raises(ServiceError):
        user_disable(actor=admin_ma, user=admin_ma)
