"""Reads for the directory, filtered by the same rules as the gateways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from tawasul.core.access import Need, has_role, is_active_user
from tawasul.core.roles import Role
from tawasul.directory.models import (
    Agency,
    CountryProfile,
    FocalPoint,
    Handover,
    Network,
    NetworkMembership,
)
from tawasul.directory.staleness import stale_before


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    country: str = ""
    competence: str = ""
    language: str = ""
    network: int | None = None
    kind: str = ""
    stale: bool = False


def focal_points_for(user: Any, filters: DirectoryFilters) -> QuerySet[FocalPoint]:
    """The directory entries a user may see (every signed-in user: all), filtered."""
    entries = (
        FocalPoint.objects.visible_to(user, Need.VIEW)
        .select_related("user", "agency", "substitute__user")
        .filter(user__is_active=True)
    )
    if filters.country:
        entries = entries.filter(agency__country=filters.country)
    if filters.competence:
        entries = entries.with_competence(filters.competence)
    if filters.language:
        entries = entries.with_language(filters.language)
    if filters.network:
        entries = entries.filter(memberships__network_id=filters.network)
    if filters.kind:
        entries = entries.filter(agency__kind=filters.kind)
    if filters.stale:
        entries = entries.filter(
            Q(last_verified__isnull=True) | Q(last_verified__lt=stale_before())
        )
    if filters.q:
        entries = entries.filter(
            Q(user__full_name__icontains=filters.q)
            | Q(user__full_name_ar__icontains=filters.q)
            | Q(position__icontains=filters.q)
            | Q(agency__name_en__icontains=filters.q)
            | Q(agency__name_fr__icontains=filters.q)
            | Q(agency__name_ar__icontains=filters.q)
        )
    return entries.distinct().order_by("agency__country", "user__full_name", "pk")


def networks_for(user: Any) -> QuerySet[Network]:
    return Network.objects.visible_to(user, Need.VIEW).order_by("name_en")


def members_of(user: Any, network: Network) -> QuerySet[NetworkMembership]:
    if not is_active_user(user):
        return NetworkMembership.objects.none()
    return (
        NetworkMembership.objects.filter(network=network, focal_point__user__is_active=True)
        .select_related("focal_point__user", "focal_point__agency")
        .order_by("focal_point__agency__country", "focal_point__user__full_name")
    )


def entries_user_may_add_to_network(user: Any, network: Network) -> QuerySet[FocalPoint]:
    entries = FocalPoint.objects.visible_to(user, Need.VIEW).exclude(memberships__network=network)
    if has_role(user, Role.COORDINATOR):
        return entries.select_related("user", "agency")
    if has_role(user, Role.NATIONAL_ADMIN) and user.country:
        return entries.filter(agency__country=user.country).select_related("user", "agency")
    return FocalPoint.objects.none()


def agencies_for_entry(user: Any, country: str) -> QuerySet[Agency]:
    return Agency.objects.visible_to(user, Need.VIEW).filter(country=country)


def current_profiles(user: Any) -> QuerySet[CountryProfile]:
    return CountryProfile.objects.visible_to(user, Need.VIEW).current().order_by("country")


def profile_versions(user: Any, country: str) -> QuerySet[CountryProfile]:
    return (
        CountryProfile.objects.visible_to(user, Need.VIEW)
        .filter(country=country)
        .only("country", "version", "sha256", "loaded_at", "is_current", "source_file")
        .order_by("-version")
    )


def handover_candidates(user: Any) -> QuerySet[Any]:
    """Users a handover may involve. A national admin: their country's users (whom they may
    see anyway). A coordinator sees no user list (design.md): only the holders of directory
    entries, who are public to the network. The service re-checks every rule."""
    from tawasul.accounts.models import User

    users = User.objects.filter(is_active=True).exclude(country="").exclude(pk=user.pk)
    if has_role(user, Role.COORDINATOR):
        return (
            users.filter(focal_point_entries__isnull=False)
            .distinct()
            .order_by("country", "username")
        )
    if has_role(user, Role.NATIONAL_ADMIN) and user.country:
        return users.filter(country=user.country).order_by("username")
    return User.objects.none()


def handovers_for(user: Any) -> QuerySet[Handover]:
    handovers = Handover.objects.select_related("predecessor", "successor", "actor")
    if has_role(user, Role.COORDINATOR):
        return handovers
    if has_role(user, Role.NATIONAL_ADMIN) and user.country:
        return handovers.filter(country=user.country)
    return Handover.objects.none()


def handovers_received(user: Any) -> QuerySet[Handover]:
    """The handovers a user took over, with their notes: written for them."""
    if not is_active_user(user):
        return Handover.objects.none()
    return Handover.objects.filter(successor=user).select_related("predecessor")
