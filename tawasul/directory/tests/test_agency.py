from __future__ import annotations

import pytest
from django.core.management import call_command

from tawasul.accounts.models import User
from tawasul.audit.models import AuditEvent, EventType
from tawasul.core.errors import ServiceError
from tawasul.directory.models import Agency, AgencyKind
from tawasul.directory.services import agency_create

pytestmark = pytest.mark.django_db


def test_national_admin_creates_agency_of_own_country_only(admin_ma):
    agency = agency_create(actor=admin_ma, kind=AgencyKind.POLICE, name_en="Police", country="MA")
    assert AuditEvent.objects.filter(
        event_type=EventType.AGENCY_CREATED, object_id=str(agency.pk)
    ).exists()
    with pytest.raises(ServiceError):
        agency_create(actor=admin_ma, kind=AgencyKind.POLICE, name_en="Police", country="TN")


def test_focal_point_cannot_create_agencies(focal_point_ma):
    with pytest.raises(ServiceError):
        agency_create(actor=focal_point_ma, kind=AgencyKind.POLICE, name_en="Police", country="MA")


def test_agency_belongs_to_country_or_organisation_not_both(coordinator):
    with pytest.raises(ServiceError):
        agency_create(
            actor=coordinator,
            kind=AgencyKind.POLICE,
            name_en="X",
            country="MA",
            organisation="UNODC",
        )
    with pytest.raises(ServiceError):
        agency_create(actor=coordinator, kind=AgencyKind.POLICE, name_en="X")


def test_agency_name_follows_the_language():
    agency = Agency(name_en="Police", name_fr="Police nationale", name_ar="الشرطة الوطنية")
    assert agency.localized_name("ar") == "الشرطة الوطنية"
    assert agency.localized_name("fr") == "Police nationale"
    assert Agency(name_en="Police").localized_name("ar") == "Police"


def test_platform_cli_creates_agency_and_oversight_user(capsys):
    call_command(
        "platform_user", "agency", "--country", "tn", "--kind", "ca_mla", "--name-en", "Ministry"
    )
    agency = Agency.objects.get(name_en="Ministry")
    call_command(
        "platform_user",
        "create",
        "--username",
        "tn.dpo",
        "--email",
        "dpo@example.invalid",
        "--full-name",
        "DPO",
        "--country",
        "TN",
        "--agency-id",
        str(agency.pk),
        "--role",
        "oversight",
    )
    user = User.objects.get(username="tn.dpo")
    assert user.role_set == {"oversight"}
    event = AuditEvent.objects.get(event_type=EventType.USER_CREATED, object_id=str(user.pk))
    assert event.channel == "cli"
    assert event.actor is None
