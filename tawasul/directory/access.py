"""Gateways for the directory: the only way a view or API handler reaches one of its objects.

Directory data is not case content: every signed-in user may VIEW it. CHANGE follows
design.md: a focal point their own entry, a national admin their country's, a coordinator all.
"""

from __future__ import annotations

from typing import Any

from tawasul.core.access import Need, fetch_or_404
from tawasul.directory.models import (
    Agency,
    AgencyChannel,
    CountryProfile,
    FocalPoint,
    Network,
    NetworkMembership,
)


def access_agency(user: Any, agency_id: object, *, need: Need = Need.VIEW) -> Agency:
    """An agency: every signed-in user may VIEW it. CHANGE: a coordinator any agency, a
    national admin their own country's. Anyone else gets the same audited 404 as if missing."""
    return fetch_or_404(Agency.objects.all(), user, agency_id, need=need, object_type="agency")


def access_agency_channel(
    user: Any, agency: Agency, channel_id: object, *, need: Need = Need.CHANGE
) -> AgencyChannel:
    """A channel of an agency the user may change (the agency came through access_agency)."""
    from django.http import Http404

    from tawasul.audit.services import audit_access_denied

    try:
        return AgencyChannel.objects.select_related("agency").get(
            agency=agency, pk=int(str(channel_id))
        )
    except (AgencyChannel.DoesNotExist, ValueError):
        audit_access_denied(
            actor=user, object_type="agency_channel", object_id=str(channel_id), need=str(need)
        )
        raise Http404 from None


def access_focal_point(user: Any, entry_id: object, *, need: Need = Need.VIEW) -> FocalPoint:
    """A focal-point entry: every signed-in user may VIEW it. CHANGE: the entry's own user, a
    national admin of its agency's country, a coordinator. Anyone else gets the audited 404."""
    return fetch_or_404(
        FocalPoint.objects.select_related("user", "agency", "substitute__user"),
        user,
        entry_id,
        need=need,
        object_type="focal_point",
    )


def access_network(user: Any, network_id: object, *, need: Need = Need.VIEW) -> Network:
    """A network: every signed-in user may VIEW it. CHANGE (its members): coordinators and
    national admins (the service then limits an admin to their own country's focal points).
    Anyone else gets the same audited 404 as for a missing network."""
    return fetch_or_404(Network.objects.all(), user, network_id, need=need, object_type="network")


def access_membership(
    user: Any, network: Network, membership_id: object, *, need: Need = Need.CHANGE
) -> NetworkMembership:
    """A membership of ``network`` whose focal point the user may manage (coordinator: any;
    national admin: their country's)."""
    from django.http import Http404

    from tawasul.audit.services import audit_access_denied
    from tawasul.core.access import has_role, is_active_user
    from tawasul.core.roles import Role

    memberships = NetworkMembership.objects.none()
    if is_active_user(user):
        if has_role(user, Role.COORDINATOR):
            memberships = NetworkMembership.objects.filter(network=network)
        elif has_role(user, Role.NATIONAL_ADMIN) and user.country:
            memberships = NetworkMembership.objects.filter(
                network=network, focal_point__agency__country=user.country
            )
    try:
        return memberships.select_related("focal_point__agency").get(pk=int(str(membership_id)))
    except (NetworkMembership.DoesNotExist, ValueError):
        audit_access_denied(
            actor=user,
            object_type="network_membership",
            object_id=str(membership_id),
            need=str(need),
        )
        raise Http404 from None


def access_country_profile(user: Any, country: str, *, need: Need = Need.VIEW) -> CountryProfile:
    """The current profile of a country (every signed-in user may view; profiles change only
    through ``profiles_load``)."""
    from django.http import Http404

    from tawasul.audit.services import audit_access_denied

    row = (
        CountryProfile.objects.visible_to(user, need)
        .current()
        .filter(country=str(country).upper()[:2])
        .first()
    )
    if row is None:
        audit_access_denied(
            actor=user, object_type="country_profile", object_id=str(country)[:8], need=str(need)
        )
        raise Http404
    return row
