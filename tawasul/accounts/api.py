from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from tawasul.accounts.models import User

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    full_name_ar: str
    country: str
    organisation: str
    agency: str
    roles: list[str]
    language: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


@router.get("/me", response=MeOut, summary="The authenticated user")
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        full_name_ar=user.full_name_ar,
        country=str(user.country or ""),
        organisation=user.organisation,
        agency=str(user.agency) if user.agency_id else "",
        roles=sorted(user.role_set),
        language=user.language,
    )


@router.get("/me/tokens", response=list[TokenOut], summary="The authenticated user's API tokens")
def my_tokens(request: HttpRequest) -> list[TokenOut]:
    from tawasul.accounts.selectors import api_tokens_of

    return [TokenOut.model_validate(t, from_attributes=True) for t in api_tokens_of(request.user)]
