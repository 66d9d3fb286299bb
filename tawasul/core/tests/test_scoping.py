from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tawasul.audit.models import AuditEvent, EventType
from tawasul.core.access import Need, can_read_case_content, fetch_or_404
from tawasul.core.roles import Role
from tawasul.core.tests.casefiles.models import CaseFile

pytestmark = pytest.mark.django_db


def _fetch(user, pk):
    return fetch_or_404(CaseFile.objects.all(), user, pk, need=Need.VIEW, object_type="casefile")


@pytest.fixture
def moroccan_case():
    return CaseFile.objects.create(country="MA", summary="Moroccan case")


def test_own_country_focal_point_reads_the_case(focal_point_ma, moroccan_case):
    assert _fetch(focal_point_ma, moroccan_case.pk) == moroccan_case


def test_foreign_focal_point_gets_404(focal_point_tn, moroccan_case):
    with pytest.raises(Http404):
        _fetch(focal_point_tn, moroccan_case.pk)
    assert AuditEvent.objects.filter(
        event_type=EventType.ACCESS_DENIED, actor=focal_point_tn, object_id=str(moroccan_case.pk)
    ).exists()


def test_missing_object_gets_the_same_404_and_is_audited(focal_point_ma):
    with pytest.raises(Http404):
        _fetch(focal_point_ma, 424242)
    assert AuditEvent.objects.filter(
        event_type=EventType.ACCESS_DENIED, object_id="424242"
    ).exists()


@pytest.mark.parametrize("bad_id", ["abc", None, "1; DROP TABLE x", "", "9" * 40])
def test_malformed_id_gets_404_not_500(focal_point_ma, bad_id):
    with pytest.raises(Http404):
        _fetch(focal_point_ma, bad_id)


def test_anonymous_gets_404(moroccan_case):
    with pytest.raises(Http404):
        _fetch(AnonymousUser(), moroccan_case.pk)


def test_coordinator_refused_case_content(coordinator, moroccan_case):
    with pytest.raises(Http404):
        _fetch(coordinator, moroccan_case.pk)
    assert not CaseFile.objects.visible_to(coordinator).exists()


@pytest.mark.parametrize("extra_role", [Role.COORDINATOR, Role.NATIONAL_ADMIN, Role.OVERSIGHT])
def test_case_role_combined_with_excluding_role_is_refused(make_user, moroccan_case, extra_role):
    user = make_user(country="MA", roles=[Role.FOCAL_POINT, extra_role])
    assert not can_read_case_content(user)
    with pytest.raises(Http404):
        _fetch(user, moroccan_case.pk)


def test_national_admin_and_oversight_refused_case_content(admin_ma, oversight_ma, moroccan_case):
    for user in (admin_ma, oversight_ma):
        with pytest.raises(Http404):
            _fetch(user, moroccan_case.pk)


def test_disabled_user_sees_nothing(focal_point_ma, moroccan_case):
    focal_point_ma.is_active = False
    assert not CaseFile.objects.visible_to(focal_point_ma).exists()


def test_user_without_role_sees_nothing(make_user, moroccan_case):
    assert not CaseFile.objects.visible_to(make_user(country="MA", roles=[])).exists()


def test_list_filters_by_the_same_rules(focal_point_ma, focal_point_tn, moroccan_case):
    CaseFile.objects.create(country="TN", summary="Tunisian case")
    assert list(CaseFile.objects.visible_to(focal_point_ma).values_list("country", flat=True)) == [
        "MA"
    ]
    assert list(CaseFile.objects.visible_to(focal_point_tn).values_list("country", flat=True)) == [
        "TN"
    ]
