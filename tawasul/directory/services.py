"""Writes to the directory. (The directory issue adds focal points, networks and profiles.)"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tawasul.accounts.models import User
from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record
from tawasul.core.access import has_role
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Role
from tawasul.directory.models import Agency, AgencyKind


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
