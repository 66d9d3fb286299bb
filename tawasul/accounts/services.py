"""Every write to accounts: one function per action, one transaction, one audit event."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from tawasul.accounts.models import ApiToken, User, UserRole, UserSession, hash_api_secret
from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record
from tawasul.core.access import has_role
from tawasul.core.errors import ServiceError
from tawasul.core.roles import PLATFORM_GRANTED_ROLES, Role
from tawasul.directory.models import Agency

RECOVERY_CODE_COUNT = 10


def _check_admin_scope(actor: User | None, *, country: str, roles: Iterable[str] = ()) -> None:
    """A national admin acts on their own country and never grants platform roles.
    ``actor=None`` is the platform itself (management commands), which may do both."""
    if actor is None:
        return
    if not has_role(actor, Role.NATIONAL_ADMIN) or not actor.country:
        raise ServiceError(_("Only a national administrator can manage users."))
    if country != actor.country:
        raise ServiceError(_("You can only manage users of your own country."))
    if set(roles) & PLATFORM_GRANTED_ROLES:
        raise ServiceError(
            _("Only a platform administrator can grant the coordinator or oversight role."),
            field="roles",
        )


def _validate_roles(roles: Iterable[str]) -> list[str]:
    valid = set(Role.values)
    cleaned = sorted(set(roles))
    unknown = [r for r in cleaned if r not in valid]
    if unknown:
        raise ServiceError(_("Unknown role: %(role)s") % {"role": unknown[0]}, field="roles")
    return cleaned


def _send_activation(user: User) -> None:
    """E-mail a new user the link to choose their password (Django's reset token: one use,
    expires after PASSWORD_RESET_TIMEOUT)."""
    from urllib.parse import urlsplit

    from django.contrib.auth.forms import PasswordResetForm
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    site = urlsplit(settings.SITE_URL)
    PasswordResetForm().send_mail(
        "accounts/email/password_reset_subject.txt",
        "accounts/email/password_reset.txt",
        {
            "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "protocol": site.scheme,
            "domain": site.netloc,
        },
        settings.DEFAULT_FROM_EMAIL,
        user.email,
    )


def _write_roles(user: User, roles: list[str]) -> None:
    UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
    existing = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles if r not in existing])
    user.__dict__.pop("role_set", None)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    email: str,
    full_name: str,
    full_name_ar: str = "",
    country: str = "",
    organisation: str = "",
    agency: Agency | None,
    roles: Iterable[str],
    password: str | None = None,
    language: str = "en",
) -> User:
    """Create a user in a country (or an international organisation) with roles."""
    cleaned_roles = _validate_roles(roles)
    _check_admin_scope(actor, country=country, roles=cleaned_roles)
    if bool(country) == bool(organisation):
        raise ServiceError(_("A user belongs to either a country or an organisation."))
    if agency is not None and (agency.country != country or agency.organisation != organisation):
        raise ServiceError(_("The agency must belong to the user's country."), field="agency")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(_("This username is already taken."), field="username")
    user = User(
        username=username,
        email=email,
        full_name=full_name,
        full_name_ar=full_name_ar,
        country=country,
        organisation=organisation,
        agency=agency,
        language=language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    _write_roles(user, cleaned_roles)
    if not password and email:
        transaction.on_commit(lambda: _send_activation(user))
    audit_record(
        event_type=EventType.USER_CREATED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        object_country=country,
        changes={
            "username": [None, username],
            "agency": [None, agency.pk if agency else None],
            "roles": [[], cleaned_roles],
            "password": [None, "set" if password else None],
        },
    )
    return user


@transaction.atomic
def user_update(
    *, actor: User, user: User, full_name: str, full_name_ar: str, email: str, agency: Agency | None
) -> User:
    """Change a user's names, e-mail or agency (within the same country)."""
    _check_admin_scope(actor, country=user.country)
    if agency is not None and agency.country != user.country:
        raise ServiceError(_("The agency must belong to the user's country."), field="agency")
    before = {
        "full_name": user.full_name,
        "full_name_ar": user.full_name_ar,
        "email": user.email,
        "agency": user.agency_id,
    }
    user.full_name, user.full_name_ar, user.email, user.agency = (
        full_name,
        full_name_ar,
        email,
        agency,
    )
    user.save(update_fields=["full_name", "full_name_ar", "email", "agency"])
    after = {
        "full_name": full_name,
        "full_name_ar": full_name_ar,
        "email": email,
        "agency": user.agency_id,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit_record(
        event_type=EventType.USER_UPDATED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        object_country=user.country,
        changes=changes,
    )
    return user


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> User:
    """Replace a user's roles. A national admin may not change the roles of a user who holds
    a platform role, nor their own (no self-promotion, no locking oneself out)."""
    cleaned = _validate_roles(roles)
    before = sorted(user.role_set)
    if actor is not None:
        if set(before) & PLATFORM_GRANTED_ROLES:
            raise ServiceError(_("Only a platform administrator can change this user's roles."))
        if actor.pk == user.pk:
            raise ServiceError(_("You cannot change your own roles."))
    _check_admin_scope(actor, country=user.country, roles=cleaned)
    _write_roles(user, cleaned)
    audit_record(
        event_type=EventType.USER_ROLES_CHANGED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        object_country=user.country,
        changes={"roles": [before, cleaned]},
    )
    return user


def _end_sessions(user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def user_disable(*, actor: User | None, user: User) -> User:
    """Disable a user: their sessions end now and their API tokens stop working."""
    _check_admin_scope(actor, country=user.country)
    if actor is not None and actor.pk == user.pk:
        raise ServiceError(_("You cannot disable your own account."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = _end_sessions(user)
    audit_record(
        event_type=EventType.USER_DISABLED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        object_country=user.country,
        changes={"is_active": [True, False]},
        details={"sessions_ended": ended},
    )
    return user


@transaction.atomic
def user_enable(*, actor: User | None, user: User) -> User:
    """Re-enable a disabled user."""
    _check_admin_scope(actor, country=user.country)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        event_type=EventType.USER_ENABLED,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        object_country=user.country,
        changes={"is_active": [False, True]},
    )
    return user


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    """Remember the interface language a user chose."""
    if language not in dict(settings.LANGUAGES):
        raise ServiceError(_("This language is not available."))
    before = actor.language
    if before != language:
        actor.language = language
        actor.save(update_fields=["language"])
        audit_record(
            event_type=EventType.USER_LANGUAGE_CHANGED,
            actor=actor,
            object_type="user",
            object_id=actor.pk,
            object_country=actor.country,
            changes={"language": [before, language]},
        )
    return actor


def session_register(*, user: User, session_key: str) -> None:
    """Link a new server-side session to its user (the sign-in itself is audited by signal)."""
    UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


def session_forget(*, session_key: str) -> None:
    """Stop tracking a session that is ending (sign-out or expiry); the caller
    ends the session itself."""
    UserSession.objects.filter(session_key=session_key).delete()


# --- MFA ---------------------------------------------------------------------------------


def mfa_has_device(user: User) -> bool:
    """Whether the user has a confirmed TOTP authenticator (a key still being set up does
    not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_new_totp_key() -> str:
    """A fresh TOTP secret (hex) for the user to scan; nothing is stored until confirmed."""
    return random_hex(20)


def mfa_totp_device_for(*, user: User, key: str) -> TOTPDevice:
    """An unsaved device for a pending key, to draw the QR code and check codes."""
    return TOTPDevice(user=user, name="authenticator", key=key, confirmed=False)


# No look-alike characters (0/o, 1/l/i): codes are copied from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _recovery_code() -> str:
    """xxxx-xxxx-xxxx: about 59 bits, within django-otp's 16-character token column."""
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def mfa_totp_enrol(*, user: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Enrol the authenticator holding ``key`` once a code from it checks out; replaces any
    earlier authenticator and returns the recovery codes, shown once."""
    candidate = mfa_totp_device_for(user=user, key=key)
    code = token.strip().replace(" ", "")
    totp = TOTP(candidate.bin_key, candidate.step, candidate.t0, candidate.digits)
    if not (
        code.isdigit() and len(code) == candidate.digits and totp.verify(int(code), tolerance=1)
    ):
        audit_record(
            event_type=EventType.MFA_FAILED,
            actor=user,
            object_type="user",
            object_id=user.pk,
            object_country=user.country,
            details={"step": "enrolment"},
        )
        raise ServiceError(
            _("That code is not valid. Check the time on your phone and try again."), field="token"
        )
    TOTPDevice.objects.filter(user=user).delete()
    candidate.confirmed = True
    candidate.save()
    codes = _new_recovery_codes(user)
    audit_record(
        event_type=EventType.MFA_ENROLLED,
        actor=user,
        object_type="user",
        object_id=user.pk,
        object_country=user.country,
        changes={"totp_device": [None, candidate.pk], "recovery_codes": [None, "generated"]},
    )
    return candidate, codes


@transaction.atomic
def mfa_recovery_regenerate(*, actor: User) -> list[str]:
    """New recovery codes for the actor; the old ones stop working."""
    if not mfa_has_device(actor):
        raise ServiceError(_("Set up an authenticator first."))
    codes = _new_recovery_codes(actor)
    audit_record(
        event_type=EventType.MFA_RECOVERY_REGENERATED,
        actor=actor,
        object_type="user",
        object_id=actor.pk,
        object_country=actor.country,
    )
    return codes


@transaction.atomic
def mfa_reset(*, actor: User | None, user: User) -> User:
    """Remove a user's authenticator and recovery codes (lost phone); they enrol again at next
    sign-in, and their sessions end."""
    _check_admin_scope(actor, country=user.country)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ended = _end_sessions(user)
    audit_record(
        event_type=EventType.MFA_RESET,
        actor=actor,
        object_type="user",
        object_id=user.pk,
        object_country=user.country,
        details={"sessions_ended": ended},
    )
    return user


# --- API tokens ----------------------------------------------------------------------------

API_TOKEN_PREFIX = "tws"  # noqa: S105 - a public marker, not a secret


@transaction.atomic
def api_token_create(*, actor: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A personal API token; the plaintext is returned once and only its hash is stored."""
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ServiceError(
            _("A token lasts between 1 and %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS},
            field="days",
        )
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the token a name."), field="name")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=prefix,
        secret_hash=hash_api_secret(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        event_type=EventType.API_TOKEN_CREATED,
        actor=actor,
        object_type="api_token",
        object_id=token.pk,
        object_country=actor.country,
        details={"name": token.name, "expires_at": token.expires_at.isoformat()},
    )
    return token, f"{API_TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's tokens; it fails from the next request on."""
    if token.user_id != actor.pk:
        raise ServiceError(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            event_type=EventType.API_TOKEN_REVOKED,
            actor=actor,
            object_type="api_token",
            object_id=token.pk,
            object_country=actor.country,
        )
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a presented token, or None (refusals are audited)."""
    import hmac

    parts = raw.split("_", 2)
    token = None
    if len(parts) == 3 and parts[0] == API_TOKEN_PREFIX:
        candidate = ApiToken.objects.usable().select_related("user").filter(prefix=parts[1]).first()
        if candidate is not None and hmac.compare_digest(
            candidate.secret_hash, hash_api_secret(parts[2])
        ):
            token = candidate
    if token is None:
        audit_record(
            event_type=EventType.API_TOKEN_REJECTED,
            details={"prefix": parts[1][:12] if len(parts) == 3 else ""},
        )
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
