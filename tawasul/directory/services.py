"""Writes to the directory: agencies, focal-point entries, networks, handovers, profiles.
One function per action, one transaction, one audit event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tawasul.accounts.models import User, UserRole
from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record
from tawasul.core.access import can_read_case_content, has_role, is_active_user
from tawasul.core.errors import ServiceError
from tawasul.core.handover import run_handover_steps
from tawasul.core.roles import CASE_ROLES, PLATFORM_GRANTED_ROLES, Role
from tawasul.directory.events import DirectoryEvent
from tawasul.directory.models import (
    Agency,
    AgencyChannel,
    AgencyKind,
    ChannelKind,
    Competence,
    CountryProfile,
    FocalPoint,
    Handover,
    Network,
    NetworkMembership,
    WorkingLanguage,
    codes_to_field,
)
from tawasul.directory.profile_schema import parse_profile
from tawasul.directory.staleness import stale_before


def _is_coordinator(actor: User | None) -> bool:
    return actor is None or has_role(actor, Role.COORDINATOR)


def _is_country_admin(actor: User | None, country: str) -> bool:
    return (
        actor is not None
        and has_role(actor, Role.NATIONAL_ADMIN)
        and bool(country)
        and actor.country == country
    )


# --- agencies ------------------------------------------------------------------------------


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    kind: str,
    name_en: str,
    name_fr: str = "",
    name_ar: str = "",
    country: str = "",
    organisation: str = "",
    address: str = "",
) -> Agency:
    """Create an agency of a country or an organisation. ``actor=None`` is the platform
    (command line); a coordinator may create any, a national admin only their country's."""
    may_create = (
        actor is None
        or has_role(actor, Role.COORDINATOR)
        or (has_role(actor, Role.NATIONAL_ADMIN) and bool(country) and country == actor.country)
    )
    if not may_create:
        raise ServiceError(_("You cannot create agencies for this country."))
    if bool(country) == bool(organisation):
        raise ServiceError(_("An agency belongs to either a country or an organisation."))
    if kind not in AgencyKind.values:
        raise ServiceError(_("Unknown kind of agency."), field="kind")
    if not name_en.strip():
        raise ServiceError(_("The English name is required."), field="name_en")
    agency = Agency.objects.create(
        country=country,
        organisation=organisation,
        kind=kind,
        name_en=name_en.strip(),
        name_fr=name_fr.strip(),
        name_ar=name_ar.strip(),
        address=address.strip(),
    )
    audit_record(
        event_type=EventType.AGENCY_CREATED,
        actor=actor,
        object_type="agency",
        object_id=agency.pk,
        object_country=country,
        changes={"name_en": [None, agency.name_en], "kind": [None, kind]},
    )
    return agency


def _may_change_agency(actor: User | None, agency: Agency) -> bool:
    return _is_coordinator(actor) or _is_country_admin(actor, str(agency.country or ""))


@transaction.atomic
def agency_update(
    *, actor: User, agency: Agency, name_en: str, name_fr: str, name_ar: str, address: str
) -> Agency:
    """Change an agency's names or address: a coordinator any, a national admin their own."""
    if not _may_change_agency(actor, agency):
        raise ServiceError(_("You cannot change this agency."))
    if not name_en.strip():
        raise ServiceError(_("The English name is required."), field="name_en")
    before = {
        "name_en": agency.name_en,
        "name_fr": agency.name_fr,
        "name_ar": agency.name_ar,
        "address": agency.address,
    }
    agency.name_en, agency.name_fr = name_en.strip(), name_fr.strip()
    agency.name_ar, agency.address = name_ar.strip(), address.strip()
    agency.save(update_fields=["name_en", "name_fr", "name_ar", "address"])
    after = {
        "name_en": agency.name_en,
        "name_fr": agency.name_fr,
        "name_ar": agency.name_ar,
        "address": agency.address,
    }
    audit_record(
        event_type=DirectoryEvent.AGENCY_UPDATED,
        actor=actor,
        object_type="agency",
        object_id=agency.pk,
        object_country=str(agency.country or ""),
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return agency


@transaction.atomic
def agency_channel_add(
    *, actor: User, agency: Agency, kind: str, value: str, note: str = ""
) -> AgencyChannel:
    """Record a secure way to reach an agency."""
    if not _may_change_agency(actor, agency):
        raise ServiceError(_("You cannot change this agency."))
    if kind not in ChannelKind.values:
        raise ServiceError(_("Unknown kind of channel."), field="kind")
    if not value.strip():
        raise ServiceError(_("Give the address or number."), field="value")
    channel = AgencyChannel.objects.create(
        agency=agency, kind=kind, value=value.strip(), note=note.strip()
    )
    audit_record(
        event_type=DirectoryEvent.AGENCY_UPDATED,
        actor=actor,
        object_type="agency",
        object_id=agency.pk,
        object_country=str(agency.country or ""),
        changes={"channel": [None, f"{kind}: {channel.value}"]},
    )
    return channel


@transaction.atomic
def agency_channel_remove(*, actor: User, channel: AgencyChannel) -> None:
    """Delete a contact channel of an agency, audited as an agency update: a coordinator any,
    a national admin their own country's; anyone else is refused."""
    agency = channel.agency
    if not _may_change_agency(actor, agency):
        raise ServiceError(_("You cannot change this agency."))
    old = f"{channel.kind}: {channel.value}"
    channel.delete()
    audit_record(
        event_type=DirectoryEvent.AGENCY_UPDATED,
        actor=actor,
        object_type="agency",
        object_id=agency.pk,
        object_country=str(agency.country or ""),
        changes={"channel": [old, None]},
    )


# --- focal-point entries -------------------------------------------------------------------


def _may_change_entry(actor: User | None, *, country: str, owner_id: int | None) -> bool:
    return (
        _is_coordinator(actor)
        or _is_country_admin(actor, country)
        or (actor is not None and owner_id is not None and actor.pk == owner_id)
    )


def _clean_codes(values: Iterable[str], allowed: Iterable[str], field: str) -> str:
    values = list(values)
    unknown = [v for v in values if v not in set(allowed)]
    if unknown:
        raise ServiceError(_("Unknown value: %(value)s") % {"value": unknown[0]}, field=field)
    return codes_to_field(values)


def _check_entry_fields(
    *,
    agency: Agency,
    substitute: FocalPoint | None,
    term_start: date | None,
    term_end: date | None,
    entry: FocalPoint | None = None,
) -> None:
    if term_start and term_end and term_end < term_start:
        raise ServiceError(_("The term cannot end before it starts."), field="term_end")
    if substitute is not None:
        if entry is not None and substitute.pk == entry.pk:
            raise ServiceError(_("An entry cannot be its own substitute."), field="substitute")
        if substitute.agency.country != agency.country:
            raise ServiceError(
                _("The substitute must be a focal point of the same country."),
                field="substitute",
            )


ENTRY_FIELDS = (
    "agency",
    "position",
    "competences",
    "languages",
    "phone",
    "mobile",
    "email",
    "reachable_24_7",
    "substitute",
    "term_start",
    "term_end",
)


def _snapshot(entry: FocalPoint) -> dict[str, Any]:
    return {
        "agency": entry.agency_id,
        "position": entry.position,
        "competences": entry.competences,
        "languages": entry.languages,
        "phone": entry.phone,
        "mobile": entry.mobile,
        "email": entry.email,
        "reachable_24_7": entry.reachable_24_7,
        "substitute": entry.substitute_id,
        "term_start": entry.term_start.isoformat() if entry.term_start else None,
        "term_end": entry.term_end.isoformat() if entry.term_end else None,
    }


@transaction.atomic
def focal_point_create(
    *,
    actor: User | None,
    user: User,
    agency: Agency,
    position: str = "",
    competences: Iterable[str] = (),
    languages: Iterable[str] = (),
    phone: str = "",
    mobile: str = "",
    email: str = "",
    reachable_24_7: bool = False,
    substitute: FocalPoint | None = None,
    term_start: date | None = None,
    term_end: date | None = None,
) -> FocalPoint:
    """A new directory entry for a user of the agency's country; verified today."""
    country = str(agency.country or "")
    if not country:
        raise ServiceError(_("A focal point belongs to a country's agency."), field="agency")
    if not (_is_coordinator(actor) or _is_country_admin(actor, country)):
        raise ServiceError(_("You cannot add directory entries for this country."))
    if str(user.country or "") != country or not user.is_active:
        raise ServiceError(
            _("The focal point must be an active user of the agency's country."), field="user"
        )
    _check_entry_fields(
        agency=agency, substitute=substitute, term_start=term_start, term_end=term_end
    )
    entry = FocalPoint.objects.create(
        user=user,
        agency=agency,
        position=position.strip(),
        competences=_clean_codes(competences, Competence.values, "competences"),
        languages=_clean_codes(languages, WorkingLanguage.values, "languages"),
        phone=phone.strip(),
        mobile=mobile.strip(),
        email=email.strip(),
        reachable_24_7=reachable_24_7,
        substitute=substitute,
        term_start=term_start,
        term_end=term_end,
        last_verified=timezone.localdate(),
    )
    audit_record(
        event_type=DirectoryEvent.FOCAL_POINT_CREATED,
        actor=actor,
        object_type="focal_point",
        object_id=entry.pk,
        object_country=country,
        changes={k: [None, v] for k, v in _snapshot(entry).items() if v not in ("", None)}
        | {"user": [None, user.pk]},
    )
    return entry


@transaction.atomic
def focal_point_update(
    *,
    actor: User,
    entry: FocalPoint,
    agency: Agency,
    position: str,
    competences: Iterable[str],
    languages: Iterable[str],
    phone: str,
    mobile: str,
    email: str,
    reachable_24_7: bool,
    substitute: FocalPoint | None,
    term_start: date | None,
    term_end: date | None,
) -> FocalPoint:
    """Change an entry; saving it also confirms it is accurate (last verified: today)."""
    if not _may_change_entry(actor, country=entry.country, owner_id=entry.user_id):
        raise ServiceError(_("You cannot change this directory entry."))
    if agency.country != entry.agency.country:
        raise ServiceError(_("The agency must belong to the entry's country."), field="agency")
    _check_entry_fields(
        agency=agency,
        substitute=substitute,
        term_start=term_start,
        term_end=term_end,
        entry=entry,
    )
    before = _snapshot(entry)
    entry.agency = agency
    entry.position = position.strip()
    entry.competences = _clean_codes(competences, Competence.values, "competences")
    entry.languages = _clean_codes(languages, WorkingLanguage.values, "languages")
    entry.phone, entry.mobile, entry.email = phone.strip(), mobile.strip(), email.strip()
    entry.reachable_24_7 = reachable_24_7
    entry.substitute = substitute
    entry.term_start, entry.term_end = term_start, term_end
    old_verified = entry.last_verified
    entry.last_verified = timezone.localdate()
    entry.save()
    after = _snapshot(entry)
    changes: dict[str, Any] = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if old_verified != entry.last_verified:
        changes["last_verified"] = [
            old_verified.isoformat() if old_verified else None,
            entry.last_verified.isoformat(),
        ]
    audit_record(
        event_type=DirectoryEvent.FOCAL_POINT_UPDATED,
        actor=actor,
        object_type="focal_point",
        object_id=entry.pk,
        object_country=entry.country,
        changes=changes,
    )
    return entry


@transaction.atomic
def focal_point_verify(*, actor: User, entry: FocalPoint) -> FocalPoint:
    """Confirm an entry is still accurate: it is no longer stale."""
    if not _may_change_entry(actor, country=entry.country, owner_id=entry.user_id):
        raise ServiceError(_("You cannot change this directory entry."))
    before = entry.last_verified
    entry.last_verified = timezone.localdate()
    entry.save(update_fields=["last_verified"])
    audit_record(
        event_type=DirectoryEvent.FOCAL_POINT_VERIFIED,
        actor=actor,
        object_type="focal_point",
        object_id=entry.pk,
        object_country=entry.country,
        changes={"last_verified": [before.isoformat() if before else None, entry.last_verified]},
    )
    return entry


REMINDER_INTERVAL_DAYS = 14


@transaction.atomic
def focal_point_remind_stale(*, actor: User | None = None) -> int:
    """E-mail the owner of every stale entry (not verified for DIRECTORY_STALE_MONTHS), at
    most once every REMINDER_INTERVAL_DAYS; one audit event lists the entries reminded."""
    now = timezone.now()
    cutoff = stale_before(timezone.localdate())
    recent = now - timedelta(days=REMINDER_INTERVAL_DAYS)
    entries = (
        FocalPoint.objects.current()
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=recent))
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "agency")
        .order_by("pk")
    )
    reminded: list[int] = []
    for entry in entries:
        url = settings.SITE_URL.rstrip("/") + reverse(
            "directory:focal_point_detail", args=[entry.pk]
        )
        with translation.override(entry.user.language or "en"):
            subject = _("Tawasul: please confirm your directory entry")
            body = render_to_string(
                "directory/email/stale_reminder.txt",
                {
                    "entry": entry,
                    "url": url,
                    "months": settings.DIRECTORY_STALE_MONTHS,
                },
            )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [entry.user.email])
        entry.last_reminded_at = now
        entry.save(update_fields=["last_reminded_at"])
        reminded.append(entry.pk)
    if reminded:
        audit_record(
            event_type=DirectoryEvent.STALE_REMINDERS_SENT,
            actor=actor,
            object_type="focal_point",
            details={"entries": reminded, "stale_before": cutoff.isoformat()},
        )
    return len(reminded)


# --- networks ------------------------------------------------------------------------------


@transaction.atomic
def network_create(
    *,
    actor: User,
    code: str,
    name_en: str,
    name_fr: str = "",
    name_ar: str = "",
    description: str = "",
) -> Network:
    """A coordinator creates a network."""
    if not has_role(actor, Role.COORDINATOR):
        raise ServiceError(_("Only a coordinator can create networks."))
    code = code.strip().lower()
    if not code or Network.objects.filter(code=code).exists():
        raise ServiceError(_("This code is already used by another network."), field="code")
    if not name_en.strip():
        raise ServiceError(_("The English name is required."), field="name_en")
    network = Network.objects.create(
        code=code,
        name_en=name_en.strip(),
        name_fr=name_fr.strip(),
        name_ar=name_ar.strip(),
        description=description.strip(),
        created_by=actor,
    )
    audit_record(
        event_type=DirectoryEvent.NETWORK_CREATED,
        actor=actor,
        object_type="network",
        object_id=network.pk,
        changes={"code": [None, code], "name_en": [None, network.name_en]},
    )
    return network


def _may_manage_membership(actor: User | None, entry: FocalPoint) -> bool:
    return _is_coordinator(actor) or _is_country_admin(actor, entry.country)


@transaction.atomic
def network_member_add(
    *, actor: User | None, network: Network, entry: FocalPoint
) -> NetworkMembership:
    """Add a focal point to a network: a coordinator any, a national admin their country's."""
    if not _may_manage_membership(actor, entry):
        raise ServiceError(_("You cannot manage this network's members."))
    membership, created = NetworkMembership.objects.get_or_create(
        network=network, focal_point=entry
    )
    if not created:
        raise ServiceError(_("This focal point is already a member."), field="focal_point")
    audit_record(
        event_type=DirectoryEvent.NETWORK_MEMBER_ADDED,
        actor=actor,
        object_type="network",
        object_id=network.pk,
        object_country=entry.country,
        changes={"focal_point": [None, entry.pk]},
    )
    return membership


@transaction.atomic
def network_member_remove(*, actor: User, membership: NetworkMembership) -> None:
    """Take a focal point out of a network and audit it: a coordinator any, a national admin
    their country's; anyone else is refused."""
    entry = membership.focal_point
    if not _may_manage_membership(actor, entry):
        raise ServiceError(_("You cannot manage this network's members."))
    network_id = membership.network_id
    membership.delete()
    audit_record(
        event_type=DirectoryEvent.NETWORK_MEMBER_REMOVED,
        actor=actor,
        object_type="network",
        object_id=network_id,
        object_country=entry.country,
        changes={"focal_point": [entry.pk, None]},
    )


# --- handover ------------------------------------------------------------------------------


@transaction.atomic
def focal_point_handover(*, actor: User, predecessor: User, successor: User, note: str) -> Handover:
    """A focal point rotates: every app's registered step moves their open work (threads,
    requests) to the successor, their directory entries and network memberships pass to the
    successor, and they lose their case roles, so they keep no access to case content.
    One audit event records the counts and the note."""
    country = str(predecessor.country or "")
    if not (has_role(actor, Role.COORDINATOR) or _is_country_admin(actor, country)):
        raise ServiceError(_("You cannot hand over this focal point's duties."))
    note = note.strip()
    if not note:
        raise ServiceError(_("Write a handover note for the successor."), field="note")
    if predecessor.pk == successor.pk:
        raise ServiceError(_("The successor must be another person."), field="successor")
    if not country or str(successor.country or "") != country:
        raise ServiceError(
            _("The successor must belong to the same country as the predecessor."),
            field="successor",
        )
    if not is_active_user(successor) or not can_read_case_content(successor):
        raise ServiceError(
            _("The successor must be an active user with a case role."), field="successor"
        )
    if actor.pk in (predecessor.pk, successor.pk):
        raise ServiceError(_("You cannot hand over your own duties."))
    roles_before = sorted(predecessor.role_set)
    if set(roles_before) & PLATFORM_GRANTED_ROLES:
        raise ServiceError(_("Only a platform administrator can change this user's roles."))

    steps = run_handover_steps(predecessor=predecessor, successor=successor, actor=actor)

    entries = list(FocalPoint.objects.select_for_update().filter(user=predecessor).order_by("pk"))
    memberships = NetworkMembership.objects.filter(focal_point__in=entries).count()
    today = timezone.localdate()
    for entry in entries:
        entry.user = successor
        entry.term_start = today
        entry.term_end = None
        # the successor confirms the contacts: until then the entry shows as stale
        entry.last_verified = None
        entry.last_reminded_at = None
        entry.save(
            update_fields=["user", "term_start", "term_end", "last_verified", "last_reminded_at"]
        )

    UserRole.objects.filter(user=predecessor, role__in=list(CASE_ROLES)).delete()
    predecessor.__dict__.pop("role_set", None)
    roles_after = sorted(predecessor.role_set)

    counts = {
        **steps,
        "focal_point_entries": len(entries),
        "network_memberships": memberships,
    }
    handover = Handover.objects.create(
        predecessor=predecessor,
        successor=successor,
        actor=actor,
        country=country,
        note=note,
        counts=counts,
    )
    transaction.on_commit(lambda: _notify_successor(handover))
    audit_record(
        event_type=DirectoryEvent.HANDOVER,
        actor=actor,
        object_type="user",
        object_id=predecessor.pk,
        object_country=country,
        changes={"roles": [roles_before, roles_after]},
        details={
            "handover": handover.pk,
            "successor": successor.pk,
            "successor_username": successor.username,
            "counts": counts,
            "focal_point_entries": [e.pk for e in entries],
            "note": note,
        },
    )
    return handover


def _notify_successor(handover: Handover) -> None:
    """Tell the successor, in their language, that duties passed to them; the note itself
    stays in Tawasul (it is not sent by e-mail)."""
    successor = handover.successor
    if not successor.email:
        return
    url = settings.SITE_URL.rstrip("/") + reverse("directory:index")
    with translation.override(successor.language or "en"):
        subject = _("Tawasul: you have taken over a focal point's duties")
        body = render_to_string("directory/email/handover.txt", {"handover": handover, "url": url})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [successor.email])


# --- country profiles ----------------------------------------------------------------------


def profiles_dir() -> Path:
    """The folder of country-profile YAML files read by ``profiles_load`` and the demo data."""
    return Path(settings.BASE_DIR) / "data" / "profiles"


@transaction.atomic
def country_profile_load(*, actor: User | None, path: Path) -> tuple[CountryProfile, bool]:
    """Validate one profile file and store it as a new version when its content changed.
    A refused file raises profile_schema.ProfileError and the current version stays as it was.
    Returns the current profile and whether a new version was stored."""
    if actor is not None and not has_role(actor, Role.COORDINATOR):
        raise ServiceError(_("Only a coordinator can load country profiles."))
    profile, _text = parse_profile(path)
    content = profile.model_dump(mode="json")
    digest = hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    current = (
        CountryProfile.objects.select_for_update()
        .filter(country=profile.country, is_current=True)
        .first()
    )
    if current is not None and current.sha256 == digest:
        return current, False
    last = CountryProfile.objects.filter(country=profile.country).order_by("-version").first()
    version = (last.version + 1) if last else 1
    CountryProfile.objects.filter(country=profile.country, is_current=True).update(is_current=False)
    new = CountryProfile.objects.create(
        country=profile.country,
        version=version,
        sha256=digest,
        content=content,
        source_file=path.name,
        is_current=True,
    )
    audit_record(
        event_type=DirectoryEvent.PROFILE_LOADED,
        actor=actor,
        object_type="country_profile",
        object_id=new.pk,
        object_country=profile.country,
        changes={
            "version": [current.version if current else None, version],
            "sha256": [current.sha256 if current else None, digest],
        },
    )
    return new, True
