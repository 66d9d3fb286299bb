"""Roles and organisations: the vocabulary every access decision is written in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    CENTRAL_AUTHORITY = "central_authority", _("Central authority")
    BORDER_OFFICER = "border_officer", _("Border officer")
    VICTIM_PROTECTION = "victim_protection", _("Victim protection")
    COORDINATOR = "coordinator", _("Network coordinator")
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    OVERSIGHT = "oversight", _("Oversight")


# Roles whose work is the cases themselves.
CASE_ROLES = frozenset(
    {Role.FOCAL_POINT, Role.CENTRAL_AUTHORITY, Role.BORDER_OFFICER, Role.VICTIM_PROTECTION}
)
# Roles that must never read case content, even when combined with a case role: an
# international organisation facilitates, an administrator manages people, oversight reads logs.
NO_CASE_CONTENT_ROLES = frozenset({Role.COORDINATOR, Role.NATIONAL_ADMIN, Role.OVERSIGHT})
# Roles a national administrator may never grant: they are granted by a platform administrator.
PLATFORM_GRANTED_ROLES = frozenset({Role.COORDINATOR, Role.OVERSIGHT})


class Organisation(models.TextChoices):
    UNODC = "UNODC", _("United Nations Office on Drugs and Crime")
    UNOCT = "UNOCT", _("United Nations Office of Counter-Terrorism")
    INTERPOL_GS = "INTERPOL", _("INTERPOL General Secretariat")
    EUROJUST = "EUROJUST", _("Eurojust")
    LAS = "LAS", _("League of Arab States")
