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
    from django.http import Http404

    from tawasul.audit.services import audit_access_denied
    from tawasul.core.access import is_active_user

    if is_active_user(actor):
        token = ApiToken.objects.filter(user=actor, pk=_as_int(token_id)).first()
        if token is not None:
            return token
    audit_access_denied(
        actor=actor, object_type="api_token", object_id=str(token_id), need=str(need)
    )
    raise Http404


def _as_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return -1
