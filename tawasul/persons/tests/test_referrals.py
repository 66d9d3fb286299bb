"""Referral of a victim between origin, transit and destination countries."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Role
from tawasul.persons.models import ReferralStatus, VictimReferral
from tawasul.persons.services import referral_send, referral_set_status
from tawasul.persons.tests.factories import make_victim

pytestmark = pytest.mark.django_db

MESSAGE = "Fictional victim Zoubida needs shelter on arrival in Tunis."


@pytest.fixture
def referral(vp_ma, vp_tn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return referral_send(
            actor=vp_ma,
            victim=make_victim(vp_ma),
            to_country="TN",
            to_role="destination",
            message=MESSAGE,
            consent_confirmed=True,
        )


def test_referral_is_sent_encrypted_and_the_receiver_told(referral, vp_tn):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM persons_victimreferral")
        row = cursor.fetchone()
    dump = b" ".join(
        bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row
    )
    assert b"Zoubida" not in dump
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [vp_tn.email]
    assert "Zoubida" not in mail.outbox[0].body
    assert AuditEvent.objects.filter(event_type="persons.referral_sent").exists()


def test_receiver_reads_it_and_the_read_is_audited(client, signed_in, vp_tn, referral):
    signed_in(vp_tn)
    response = client.get(reverse("persons:referral", args=[referral.pk]))
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert AuditEvent.objects.filter(event_type="persons.referral_read", actor=vp_tn).exists()


def test_third_country_and_other_roles_get_404(
    client, signed_in, make_user, referral, focal_point_tn
):
    vp_dz = make_user(username="vp.dz", country="DZ", roles=[Role.VICTIM_PROTECTION])
    for user in (vp_dz, focal_point_tn):
        signed_in(user)
        assert client.get(reverse("persons:referral", args=[referral.pk])).status_code == 404


def test_receiver_moves_the_status_sender_cannot(client, signed_in, vp_ma, vp_tn, referral):
    signed_in(vp_ma)
    url = reverse("persons:referral_status", args=[referral.pk])
    assert client.post(url, {"status": "accepted"}).status_code == 404
    signed_in(vp_tn)
    assert client.post(url, {"status": "closed"}).status_code == 400
    assert client.post(url, {"status": "accepted"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.status_by == vp_tn
    assert AuditEvent.objects.filter(event_type="persons.referral_status").exists()


def test_decline_needs_a_note(vp_tn, referral):
    with pytest.raises(ServiceError):
        referral_set_status(actor=vp_tn, referral=referral, status="declined", note="")
    referral_set_status(actor=vp_tn, referral=referral, status="declined", note="No capacity")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to_country": "MA"}, "to_country"),
        ({"to_country": "XX"}, "to_country"),
        ({"consent_confirmed": False}, "consent"),
        ({"message": " "}, "message"),
        ({"to_role": "elsewhere"}, "to_role"),
    ],
)
def test_bad_referral_is_refused(change, field, vp_ma):
    victim = make_victim(vp_ma)
    kwargs = {"to_country": "TN", "to_role": "origin", "message": "x", "consent_confirmed": True}
    with pytest.raises(ServiceError) as refused:
        referral_send(actor=vp_ma, victim=victim, **{**kwargs, **change})
    assert refused.value.field == field
    assert not VictimReferral.objects.exists()


def test_referral_page_without_consent_creates_nothing(client, signed_in, vp_ma):
    victim = make_victim(vp_ma)
    signed_in(vp_ma)
    response = client.post(
        reverse("persons:referral_new", args=[victim.pk]),
        {"to_country": "TN", "to_role": "transit", "message": "Help"},
    )
    assert response.status_code == 200
    assert not VictimReferral.objects.exists()


def test_referral_list_splits_in_and_out(client, signed_in, vp_ma, vp_tn, referral):
    signed_in(vp_tn)
    response = client.get(reverse("persons:referrals"))
    assert response.context["incoming"] == [referral] and response.context["outgoing"] == []
