"""Agencies: every user belongs to one. The directory issue grows this app (focal points,
networks, country profiles); the foundation needs only the agency itself."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tawasul.core.access import Need, ScopedQuerySet, is_active_user
from tawasul.core.roles import Organisation


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Public prosecution")
    JUDICIARY = "judiciary", _("Judiciary")
    CENTRAL_AUTHORITY_MLA = "ca_mla", _("Central authority for mutual legal assistance")
    CENTRAL_AUTHORITY_EXTRADITION = "ca_extradition", _("Central authority for extradition")
    BORDER_POLICE = "border_police", _("Border police")
    FIU = "fiu", _("Financial intelligence unit")
    INTERPOL_NCB = "interpol_ncb", _("INTERPOL National Central Bureau")
    MINISTRY = "ministry", _("Ministry")
    INTERNATIONAL_ORGANISATION = "international", _("International organisation")


class AgencyQuerySet(ScopedQuerySet["Agency"]):
    # Directory data is network-level: every signed-in user of the network sees it.
    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> AgencyQuerySet:
        if not is_active_user(user):
            return self.none()
        return self.all()


class Agency(models.Model):
    country = CountryField(blank=True, db_index=True)
    organisation = models.CharField(max_length=20, choices=Organisation.choices, blank=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["country", "name_en"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(country="") & ~models.Q(organisation=""))
                | (~models.Q(country="") & models.Q(organisation="")),
                name="agency_country_xor_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        lang = (language or get_language() or "en")[:2]
        return {"ar": self.name_ar, "fr": self.name_fr}.get(lang) or self.name_en
