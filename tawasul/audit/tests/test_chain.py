from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tawasul.audit.models import AuditEvent, EventType
from tawasul.audit.services import audit_record
from tawasul.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _events(n: int = 5) -> list[AuditEvent]:
    return [
        audit_record(
            event_type=EventType.USER_UPDATED,
            object_type="user",
            object_id=i,
            changes={"full_name": ["A", f"B{i}"]},
        )
        for i in range(n)
    ]


def _tamper(sql: str, params: list[int | str]) -> None:
    """Change rows behind the ORM's back, as a database administrator could. On PostgreSQL the
    append-only trigger is bypassed for this transaction only (replica mode), like an attacker
    with superuser rights would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def _verify_fails_at(seq: int) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode == 1
    assert f"#{seq}" in str(excinfo.value)
    return str(excinfo.value)


def test_chain_of_fresh_events_verifies(capsys):
    _events(5)
    call_command("audit_verify")
    assert "5 entries verified" in capsys.readouterr().out
    assert verify_chain().ok


def test_each_entry_links_to_the_previous_one():
    first, second = _events(2)
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1


def test_audit_verify_detects_an_edited_entry():
    events = _events(5)
    _tamper(
        "UPDATE audit_auditevent SET actor_username = %s WHERE seq = %s",
        ["intruder", events[2].seq],
    )
    _verify_fails_at(events[2].seq)


def test_audit_verify_detects_a_deleted_last_entry():
    events = _events(5)
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    message = _verify_fails_at(events[-1].seq)
    assert "head" in message


def test_audit_verify_detects_a_removed_middle_entry():
    events = _events(5)
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[2].seq])
    assert "missing" in _verify_fails_at(events[2].seq)


def test_audit_verify_detects_reordered_entries():
    events = _events(5)
    a, b = events[1].seq, events[3].seq
    _tamper("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [10_000, a])
    _tamper("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [a, b])
    _tamper("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [b, 10_000])
    _verify_fails_at(a)


def test_orm_refuses_to_update_an_entry():
    event = _events(1)[0]
    event.actor_username = "someone else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(actor_username="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_update([event], ["actor_username"])


def test_orm_refuses_to_delete_an_entry():
    event = _events(1)[0]
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET actor_username = 'x'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
)
def test_postgresql_trigger_refuses_update_delete_and_truncate(statement):
    _events(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 2
    assert verify_chain().ok


def test_secrets_are_masked_in_changes():
    event = audit_record(
        event_type=EventType.USER_UPDATED,
        changes={"password": ["old", "new"], "api_token": "abc", "email": ["a@x", "b@x"]},
    )
    assert event.changes["password"] == ["***", "***"]
    assert event.changes["api_token"] == "***"
    assert event.changes["email"] == ["a@x", "b@x"]


def test_entry_records_cli_channel_outside_requests():
    event = _events(1)[0]
    assert event.channel == "cli"
    assert event.ip_address == ""
