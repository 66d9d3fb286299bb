from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.audit.models import AuditEvent, EventType
from tawasul.core.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client, username, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_login_page_renders(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_successful_and_failed_sign_ins_are_audited(client, focal_point_ma):
    _login(client, "fp.ma", "wrong password")
    _login(client, "fp.ma")
    assert AuditEvent.objects.filter(
        event_type=EventType.LOGIN_FAILED, object_id=str(focal_point_ma.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        event_type=EventType.LOGIN_SUCCEEDED, actor=focal_point_ma
    ).exists()


def test_lockout_after_configured_number_of_failures(client, settings, focal_point_ma):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "fp.ma", "wrong password")
    response = _login(client, "fp.ma")  # the right password no longer helps
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN_LOCKED_OUT).exists()


def test_failures_below_the_limit_do_not_lock(client, settings, focal_point_ma):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        _login(client, "fp.ma", "wrong password")
    assert _login(client, "fp.ma").status_code == 302


def test_mfa_setup_is_required_outside_demo_mode(client, settings, focal_point_ma):
    settings.MFA_REQUIRED = True
    response = _login(client, "fp.ma")
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == reverse("accounts:mfa_setup")
    setup = client.get(reverse("accounts:mfa_setup"))
    assert setup.status_code == 200
    assert b"data:image/svg+xml;base64," in setup.content
    assert not TOTPDevice.objects.filter(user=focal_point_ma).exists()  # a GET stores nothing
    pending = TOTPDevice(key=client.session["tawasul_pending_totp_key"])
    wrong = client.post(reverse("accounts:mfa_setup"), {"token": "12345"})
    assert b"That code is not valid" in wrong.content
    confirm = client.post(reverse("accounts:mfa_setup"), {"token": _code(pending)})
    assert confirm.status_code == 200
    assert b"Recovery codes" in confirm.content
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        event_type=EventType.MFA_ENROLLED, actor=focal_point_ma
    ).exists()


def test_user_with_authenticator_must_enter_a_code(client, settings, focal_point_ma):
    settings.MFA_REQUIRED = True
    device = TOTPDevice.objects.create(user=focal_point_ma, name="phone", confirmed=True)
    _login(client, "fp.ma")
    assert client.get("/")["Location"] == reverse("accounts:mfa_verify")
    wrong_code = f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"
    wrong = client.post(reverse("accounts:mfa_verify"), {"token": wrong_code})
    assert wrong.status_code == 200
    assert b"That code is not valid" in wrong.content
    assert client.get("/").status_code == 302
    TOTPDevice.objects.get(
        pk=device.pk
    ).throttle_reset()  # django-otp slows retries after a failure
    right = client.post(reverse("accounts:mfa_verify"), {"token": _code(device)})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_recovery_code_works_once(client, settings, focal_point_ma):
    from tawasul.accounts.services import mfa_new_totp_key, mfa_totp_enrol

    settings.MFA_REQUIRED = True
    key = mfa_new_totp_key()
    _, codes = mfa_totp_enrol(user=focal_point_ma, key=key, token=_code(TOTPDevice(key=key)))
    _login(client, "fp.ma")
    assert client.post(reverse("accounts:mfa_verify"), {"token": codes[0]}).status_code == 302
    assert AuditEvent.objects.filter(event_type=EventType.MFA_RECOVERY_USED).exists()
    client.post(reverse("accounts:logout"))
    _login(client, "fp.ma")
    assert client.post(reverse("accounts:mfa_verify"), {"token": codes[0]}).status_code == 200


def test_demo_mode_does_not_require_mfa(client, settings, focal_point_ma):
    settings.MFA_REQUIRED = False
    _login(client, "fp.ma")
    assert client.get("/").status_code == 200


def test_logout_ends_the_server_side_session(client, settings, focal_point_ma):
    settings.MFA_REQUIRED = False
    _login(client, "fp.ma")
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.filter(event_type=EventType.LOGOUT, actor=focal_point_ma).exists()


def test_logout_by_get_changes_nothing(client, settings, focal_point_ma):
    settings.MFA_REQUIRED = False
    _login(client, "fp.ma")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get("/").status_code == 200


def test_open_redirect_after_login_is_refused(client, settings, focal_point_ma):
    settings.MFA_REQUIRED = False
    response = client.post(
        LOGIN, {"username": "fp.ma", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
