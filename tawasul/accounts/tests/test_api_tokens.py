from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tawasul.accounts.models import ApiToken
from tawasul.accounts.services import api_token_create, api_token_revoke, user_disable
from tawasul.audit.models import AuditEvent, EventType
from tawasul.core.errors import ServiceError

pytestmark = pytest.mark.django_db
ME = "/api/v1/accounts/me"


def _get(client, token):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_token_authenticates_its_user(client, focal_point_ma):
    _, plaintext = api_token_create(actor=focal_point_ma, name="script", days=30)
    response = _get(client, plaintext)
    assert response.status_code == 200
    assert response.json()["username"] == "fp.ma"
    assert response.json()["roles"] == ["focal_point"]


def test_token_is_stored_hashed(focal_point_ma):
    token, plaintext = api_token_create(actor=focal_point_ma, name="script", days=30)
    secret = plaintext.rsplit("_", 1)[1]
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in stored.secret_hash
    assert len(stored.secret_hash) == 64


def test_token_expires(client, focal_point_ma):
    _, plaintext = api_token_create(actor=focal_point_ma, name="script", days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert _get(client, plaintext).status_code == 401


def test_revoked_token_is_refused(client, focal_point_ma):
    token, plaintext = api_token_create(actor=focal_point_ma, name="script", days=30)
    api_token_revoke(actor=focal_point_ma, token=token)
    assert _get(client, plaintext).status_code == 401
    assert AuditEvent.objects.filter(event_type=EventType.API_TOKEN_REJECTED).exists()


def test_token_of_disabled_user_is_refused(client, focal_point_ma, admin_ma):
    _, plaintext = api_token_create(actor=focal_point_ma, name="script", days=30)
    user_disable(actor=admin_ma, user=focal_point_ma)
    assert _get(client, plaintext).status_code == 401


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer tws_abc_def", "Bearer garbage", "Basic Zm9vOmJhcg=="]
)
def test_missing_or_malformed_token_is_refused(client, header, focal_point_ma):
    kwargs = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get(ME, **kwargs).status_code == 401


def test_tampered_secret_is_refused(client, focal_point_ma):
    _, plaintext = api_token_create(actor=focal_point_ma, name="script", days=30)
    assert (
        _get(client, plaintext[:-2] + ("AA" if not plaintext.endswith("AA") else "BB")).status_code
        == 401
    )


@pytest.mark.parametrize("days", [0, -1, 10_000])
def test_token_lifetime_is_bounded(focal_point_ma, days):
    with pytest.raises(ServiceError):
        api_token_create(actor=focal_point_ma, name="script", days=days)


def test_token_shown_once_then_only_prefix(signed_in, focal_point_ma):
    client = signed_in(focal_point_ma)
    created = client.post("/accounts/account/tokens/", {"name": "laptop", "days": 30})
    assert created.status_code == 200
    token = ApiToken.objects.get(user=focal_point_ma)
    assert f"tws_{token.prefix}_" in created.content.decode()
    account = client.get("/accounts/account/").content.decode()
    assert token.prefix in account
    assert f"tws_{token.prefix}_" not in account


def test_user_cannot_revoke_someone_elses_token(signed_in, focal_point_ma, focal_point_tn):
    token, _ = api_token_create(actor=focal_point_tn, name="theirs", days=30)
    response = signed_in(focal_point_ma).post(f"/accounts/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_api_token_create_through_page_rejects_bad_input(signed_in, focal_point_ma):
    client = signed_in(focal_point_ma)
    response = client.post("/accounts/account/tokens/", {"name": "", "days": "abc"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
