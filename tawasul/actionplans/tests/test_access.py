"""Who may change what: countries their own actions, coordinators meetings, recommendations
and the network's actions; nothing here is case content."""

import pytest
from django.apps import apps
from django.urls import reverse

from tawasul.actionplans import services
from tawasul.actionplans.access import access_action
from tawasul.actionplans.models import ActionStatus, FollowUpAction, OwnerKind
from tawasul.actionplans.tests.factories import ActionFactory, MeetingFactory
from tawasul.audit.models import AuditEvent
from tawasul.core.access import Need, ScopedQuerySet
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Role
from tawasul.core.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PROGRESS = {"status": "done", "text": "Done.", "evidence": "Decision 12/2026"}


def test_focal_point_updates_own_country_action(focal_point_ma, signed_in):
    action = ActionFactory(country="MA")
    client = signed_in(focal_point_ma)
    response = client.post(reverse("actionplans:action_progress", args=[action.pk]), PROGRESS)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_on is not None
    assert action.updates.get().evidence == "Decision 12/2026"


def test_foreign_focal_point_gets_404_and_nothing_changes(focal_point_tn, signed_in):
    action = ActionFactory(country="MA")
    client = signed_in(focal_point_tn)
    response = client.post(reverse("actionplans:action_progress", args=[action.pk]), PROGRESS)
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    assert not action.updates.exists()
    assert AuditEvent.objects.filter(
        event_type="access.denied", object_type="followup_action", object_id=str(action.pk)
    ).exists()


def test_foreign_user_may_still_read_the_action(focal_point_tn, signed_in):
    action = ActionFactory(country="MA")
    response = signed_in(focal_point_tn).get(reverse("actionplans:action_detail", args=[action.pk]))
    assert response.status_code == 200
    assert b'action="/action-plans/actions/' not in response.content  # no progress form


def test_foreign_country_service_call_is_refused(focal_point_tn):
    action = ActionFactory(country="MA")
    with pytest.raises(ServiceError):
        services.action_report_progress(
            actor=focal_point_tn, action=action, status="done", text="x"
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_agency_action_is_updated_by_users_of_that_country(make_user):
    agency = AgencyFactory(country="MA")
    action = ActionFactory(owner_kind=OwnerKind.AGENCY, agency=agency, country="MA")
    colleague = make_user(country="MA", roles=[Role.CENTRAL_AUTHORITY])
    services.action_report_progress(actor=colleague, action=action, status="in_progress", text="x")
    assert FollowUpAction.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS


def test_coordinator_cannot_update_a_country_action(coordinator):
    action = ActionFactory(country="MA")
    with pytest.raises(ServiceError):
        services.action_report_progress(actor=coordinator, action=action, status="done", text="x")


def test_coordinator_updates_network_action_and_countries_cannot(coordinator, focal_point_ma):
    action = ActionFactory(owner_kind=OwnerKind.NETWORK, country="")
    services.action_report_progress(actor=coordinator, action=action, status="done", text="x")
    assert FollowUpAction.objects.get(pk=action.pk).status == ActionStatus.DONE
    with pytest.raises(ServiceError):
        services.action_report_progress(
            actor=focal_point_ma, action=action, status="planned", text="x"
        )


def test_oversight_of_the_owning_country_cannot_update(oversight_ma):
    action = ActionFactory(country="MA")
    from django.http import Http404

    with pytest.raises(Http404):
        access_action(oversight_ma, action.pk, need=Need.CHANGE)


def test_only_coordinators_create_meetings_and_recommendations(focal_point_ma, admin_ma):
    meeting = MeetingFactory()
    for user in (focal_point_ma, admin_ma):
        with pytest.raises(ServiceError):
            services.recommendation_create(actor=user, meeting=meeting, text_en="x")
        with pytest.raises(ServiceError):
            services.meeting_create(
                actor=user,
                programme=meeting.programme,
                kind="workshop",
                title_en="x",
                start_date=meeting.start_date,
                end_date=meeting.end_date,
                place="Rabat",
            )


def test_action_plans_never_link_to_case_content():
    """Action pages show only action-plan records: no model here points to a record whose
    queryset is case content (requests, messages, person or victim records)."""
    for model in apps.get_app_config("actionplans").get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related is None or related._meta.app_label == "actionplans":
                continue
            queryset = related._default_manager.all()
            if isinstance(queryset, ScopedQuerySet):
                assert not queryset.case_content, (model, field.name, related)


def test_action_page_shows_no_case_content_to_a_coordinator(coordinator, signed_in):
    """A coordinator, who never reads case content, sees the action page in full: what it
    shows is network data only."""
    action = ActionFactory(country="MA", description="Name the two focal points")
    response = signed_in(coordinator).get(reverse("actionplans:action_detail", args=[action.pk]))
    assert response.status_code == 200
    assert "Name the two focal points" in response.content.decode()


def test_action_page_in_arabic(focal_point_ma, signed_in):
    focal_point_ma.language = "ar"
    focal_point_ma.save()
    action = ActionFactory(country="MA")
    html = (
        signed_in(focal_point_ma)
        .get(reverse("actionplans:action_detail", args=[action.pk]))
        .content.decode()
    )
    assert 'dir="rtl"' in html
    assert "إجراء متابعة" in html
    assert "إنشاء قاعدة بيانات مشتركة" in html  # the recommendation, in Arabic
