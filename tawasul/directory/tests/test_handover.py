from __future__ import annotations

import pytest

from tawasul.accounts.models import User
from tawasul.audit.models import AuditEvent, EventType
from tawasul.core import handover as core_handover
from tawasul.core.access import can_read_case_content
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Role
from tawasul.directory.events import DirectoryEvent
from tawasul.directory.models import FocalPoint, Handover
from tawasul.directory.services import focal_point_handover
from tawasul.directory.tests.factories import FocalPointFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_items(monkeypatch):
    """Stands for another app's step (messaging moves threads): items owned by a user."""
    items: dict[str, list[str]] = {}

    def move(*, predecessor, successor, actor):
        moved = items.pop(predecessor.username, [])
        items.setdefault(successor.username, []).extend(moved)
        return len(moved)

    monkeypatch.setitem(core_handover._STEPS, "test_open_items", move)
    return items


@pytest.fixture
def rotation(make_user):
    old = make_user(username="old.fp", country="MA", roles=[Role.FOCAL_POINT, Role.BORDER_OFFICER])
    new = make_user(username="new.fp", country="MA", roles=[Role.FOCAL_POINT])
    entry = FocalPointFactory(user=old)
    MembershipFactory(focal_point=entry)
    MembershipFactory(focal_point=entry)
    return old, new, entry


def test_handover_moves_open_items_and_duties_and_removes_case_access(
    admin_ma, rotation, open_items
):
    old, new, entry = rotation
    open_items["old.fp"] = ["request 1", "thread 7"]
    assert can_read_case_content(old)

    record = focal_point_handover(
        actor=admin_ma, predecessor=old, successor=new, note="Files in the safe."
    )

    assert open_items == {"new.fp": ["request 1", "thread 7"]}
    entry.refresh_from_db()
    assert entry.user == new
    assert entry.memberships.count() == 2
    assert entry.last_verified is None  # the successor confirms the contacts
    old = User.objects.get(pk=old.pk)
    assert old.role_set == frozenset()
    assert not can_read_case_content(old)
    assert record.counts["test_open_items"] == 2
    assert record.counts["focal_point_entries"] == 1
    assert record.counts["network_memberships"] == 2
    # every registered step ran (messaging moves threads), each with its count
    assert set(core_handover._STEPS) <= set(record.counts)


def test_handover_writes_exactly_one_audit_event_with_counts_and_note(
    admin_ma, rotation, open_items
):
    old, new, _entry = rotation
    open_items["old.fp"] = ["thread 1"]
    before = AuditEvent.objects.count()
    focal_point_handover(actor=admin_ma, predecessor=old, successor=new, note="See the note.")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.last()
    assert event.event_type == DirectoryEvent.HANDOVER
    assert event.details["counts"]["test_open_items"] == 1
    assert event.details["note"] == "See the note."
    assert event.changes["roles"] == [["border_officer", "focal_point"], []]
    assert not AuditEvent.objects.filter(event_type=EventType.USER_ROLES_CHANGED).exists()


def test_coordinator_may_hand_over_any_country(coordinator, rotation, open_items):
    old, new, _ = rotation
    focal_point_handover(actor=coordinator, predecessor=old, successor=new, note="Rotation.")
    assert Handover.objects.count() == 1


@pytest.mark.parametrize("who", ["admin_tn", "focal_point", "oversight"])
def test_others_may_not_hand_over(make_user, rotation, open_items, who):
    old, new, entry = rotation
    actor = {
        "admin_tn": lambda: make_user(country="TN", roles=[Role.NATIONAL_ADMIN]),
        "focal_point": lambda: make_user(country="MA", roles=[Role.FOCAL_POINT]),
        "oversight": lambda: make_user(country="MA", roles=[Role.OVERSIGHT]),
    }[who]()
    open_items["old.fp"] = ["thread"]
    with pytest.raises(ServiceError):
        focal_point_handover(actor=actor, predecessor=old, successor=new, note="x")
    assert open_items == {"old.fp": ["thread"]}
    assert FocalPoint.objects.get(pk=entry.pk).user == old


def test_successor_of_another_country_is_refused_and_nothing_changes(
    admin_ma, rotation, make_user, open_items
):
    old, _new, entry = rotation
    foreign = make_user(country="TN", roles=[Role.FOCAL_POINT])
    with pytest.raises(ServiceError):
        focal_point_handover(actor=admin_ma, predecessor=old, successor=foreign, note="x")
    assert FocalPoint.objects.get(pk=entry.pk).user == old
    assert User.objects.get(pk=old.pk).role_set == {"focal_point", "border_officer"}


def test_successor_without_case_role_is_refused(admin_ma, rotation, make_user):
    old, _new, _ = rotation
    admin_like = make_user(country="MA", roles=[Role.OVERSIGHT])
    with pytest.raises(ServiceError):
        focal_point_handover(actor=admin_ma, predecessor=old, successor=admin_like, note="x")


def test_handover_needs_a_note(admin_ma, rotation):
    old, new, _ = rotation
    with pytest.raises(ServiceError) as refused:
        focal_point_handover(actor=admin_ma, predecessor=old, successor=new, note="  ")
    assert refused.value.field == "note"


def test_a_failing_step_rolls_everything_back(admin_ma, rotation, monkeypatch):
    old, new, entry = rotation

    def broken(**kwargs):
        raise ServiceError("thread locked")

    monkeypatch.setitem(core_handover._STEPS, "zz_broken", broken)
    with pytest.raises(ServiceError):
        focal_point_handover(actor=admin_ma, predecessor=old, successor=new, note="x")
    assert FocalPoint.objects.get(pk=entry.pk).user == old
    assert User.objects.get(pk=old.pk).role_set == {"focal_point", "border_officer"}
    assert not AuditEvent.objects.filter(event_type=DirectoryEvent.HANDOVER).exists()


def test_handover_page_for_national_admin(admin_ma, rotation, signed_in, client, open_items):
    old, new, entry = rotation
    signed_in(admin_ma)
    response = client.post(
        "/directory/handover/",
        {"predecessor": old.pk, "successor": new.pk, "note": "Keys handed.", "confirm": "on"},
    )
    assert response.status_code == 302
    assert FocalPoint.objects.get(pk=entry.pk).user == new


def test_handover_page_refuses_without_confirmation(admin_ma, rotation, signed_in, client):
    old, new, entry = rotation
    signed_in(admin_ma)
    response = client.post(
        "/directory/handover/", {"predecessor": old.pk, "successor": new.pk, "note": "x"}
    )
    assert response.status_code == 200
    assert FocalPoint.objects.get(pk=entry.pk).user == old


def test_handover_page_does_not_offer_foreign_users(
    admin_ma, rotation, make_user, signed_in, client
):
    make_user(
        username="someone.tn", full_name="Foreign Person", country="TN", roles=[Role.FOCAL_POINT]
    )
    old, _new, _ = rotation
    signed_in(admin_ma)
    body = client.get("/directory/handover/").content.decode()
    assert old.full_name in body
    assert "Foreign Person" not in body


def test_successor_reads_the_handover_note_on_the_directory_page(
    admin_ma, rotation, signed_in, client
):
    old, new, _ = rotation
    focal_point_handover(
        actor=admin_ma, predecessor=old, successor=new, note="The Tunis file is urgent."
    )
    signed_in(new)
    assert "The Tunis file is urgent." in client.get("/directory/").content.decode()
    signed_in(admin_ma)
    assert "The Tunis file is urgent." not in client.get("/directory/").content.decode()


def test_successor_is_told_by_email_without_the_note(
    admin_ma, rotation, django_capture_on_commit_callbacks
):
    from django.core import mail

    old, new, _ = rotation
    with django_capture_on_commit_callbacks(execute=True):
        focal_point_handover(actor=admin_ma, predecessor=old, successor=new, note="Secret plan.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [new.email]
    assert "Secret plan." not in mail.outbox[0].body
    assert "/directory/" in mail.outbox[0].body
