"""Gateways for accounts: the only way a view or API handler reaches another user's record."""

from __future__ import annotations

from typing import Any

from tawasul.accounts.models import ApiToken, User
from tawasul.core.access import Need, fetch_or_404


def access_user(actor: Any, user_id: object, *, need: Need) -> User:
    """A user record the actor may ``need``: national admins their own country's users,
    anyone themselves (view only). Anything else is a 404, audited."""
    return fetch_or_404(User.objects.all(), actor, user_id, need=need, object_type="user")


def access_api_token(actor: Any, token_id: object, *, need: Need) -> ApiToken:
    """One of the actor's own API tokens; anybody else's is a 404, audited."""
    return fetch_or_404(ApiToken.objects.all(), actor, token_id, need=need, object_type="api_token")
