"""The directory: agencies, the focal points who work in them, the networks that connect them,
and each country's profile (what it needs, through which channel, on which legal basis).

Directory data is network-level, not case content: every signed-in user of the network sees
it. Who changes what (design.md): a focal point their own entry; a national admin their
country's entries; a coordinator everything.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tawasul.core.access import Need, ScopedQuerySet, has_role, is_active_user
from tawasul.core.roles import Organisation, Role


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


class Competence(models.TextChoices):
    TERRORISM = "terrorism", _("Terrorism")
    FTF = "ftf", _("Foreign terrorist fighters")
    TERRORIST_FINANCING = "terrorist_financing", _("Terrorist financing")
    TIP = "tip", _("Trafficking in persons")
    SOM = "som", _("Smuggling of migrants")
    E_EVIDENCE = "e_evidence", _("Electronic evidence")
    ASSET_RECOVERY = "asset_recovery", _("Asset recovery")
    EXTRADITION = "extradition", _("Extradition")


class WorkingLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    PORTUGUESE = "pt", _("Portuguese")
    GERMAN = "de", _("German")
    KURDISH = "ku", _("Kurdish")
    TAMAZIGHT = "zgh", _("Tamazight")


class ChannelKind(models.TextChoices):
    SECURE_EMAIL = "secure_email", _("Secure e-mail")
    PHONE = "phone", _("Telephone")
    FAX = "fax", _("Fax")
    INTERPOL_I247 = "i247", _("INTERPOL I-24/7")
    SECURE_PLATFORM = "secure_platform", _("Secure platform")
    POSTAL = "postal", _("Postal address")


class AgencyQuerySet(ScopedQuerySet["Agency"]):
    # Directory data is network-level: every signed-in user of the network sees it.
    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> AgencyQuerySet:
        if not is_active_user(user):
            return self.none()
        if need == Need.CHANGE:
            if has_role(user, Role.COORDINATOR):
                return self.all()
            if has_role(user, Role.NATIONAL_ADMIN) and user.country:
                return self.filter(country=user.country)
            return self.none()
        return self.all()


class Agency(models.Model):
    country = CountryField(blank=True, db_index=True)
    organisation = models.CharField(max_length=20, choices=Organisation.choices, blank=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255, blank=True)
    address = models.TextField(_("address"), blank=True)

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


class AgencyChannel(models.Model):
    """A secure way to reach an agency: a protected mailbox, an I-24/7 address, a line."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("channel"), max_length=20, choices=ChannelKind.choices)
    value = models.CharField(_("address or number"), max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["agency", "kind", "value"]
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


def codes_to_field(codes: list[str] | tuple[str, ...] | set[str]) -> str:
    """Codes stored as ``,a,b,`` so that one ``contains=",a,"`` filter finds them on any
    database (SQLite has no JSON containment for lists)."""
    cleaned = sorted({c for c in codes if c})
    return f",{','.join(cleaned)}," if cleaned else ""


def field_to_codes(value: str) -> list[str]:
    return [c for c in value.split(",") if c]


class FocalPointQuerySet(ScopedQuerySet["FocalPoint"]):
    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> FocalPointQuerySet:
        """VIEW: every signed-in user. CHANGE: the entry's own focal point, a national admin
        of its country, a coordinator."""
        if not is_active_user(user):
            return self.none()
        if need == Need.VIEW:
            return self.all()
        if has_role(user, Role.COORDINATOR):
            return self.all()
        mine = models.Q(user=user)
        if has_role(user, Role.NATIONAL_ADMIN) and user.country:
            return self.filter(mine | models.Q(agency__country=user.country))
        return self.filter(mine)

    def with_competence(self, code: str) -> FocalPointQuerySet:
        return self.filter(competences__contains=f",{code},")

    def with_language(self, code: str) -> FocalPointQuerySet:
        return self.filter(languages__contains=f",{code},")

    def current(self) -> FocalPointQuerySet:
        today = timezone.localdate()
        return self.filter(models.Q(term_end__isnull=True) | models.Q(term_end__gte=today))


class FocalPoint(models.Model):
    """A directory entry: a position held by one user in one agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("focal point"),
        on_delete=models.PROTECT,
        related_name="focal_point_entries",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="focal_points"
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    competences = models.CharField(_("competences"), max_length=255, blank=True)
    languages = models.CharField(_("working languages"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile (24/7)"), max_length=50, blank=True)
    email = models.EmailField(_("secure e-mail"), blank=True)
    reachable_24_7 = models.BooleanField(_("reachable 24/7"), default=False)
    substitute = models.ForeignKey(
        "self",
        verbose_name=_("substitute"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitute_for",
    )
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FocalPointQuerySet.as_manager()

    class Meta:
        ordering = ["agency__country", "user__full_name", "pk"]
        verbose_name = _("focal point entry")
        verbose_name_plural = _("focal point entries")

    def __str__(self) -> str:
        return f"{self.user} — {self.agency}"

    @property
    def country(self) -> str:
        return str(self.agency.country or "")

    @property
    def competence_list(self) -> list[str]:
        return field_to_codes(self.competences)

    @property
    def language_list(self) -> list[str]:
        return field_to_codes(self.languages)

    @property
    def competence_labels(self) -> list[str]:
        labels = dict(Competence.choices)
        return [str(labels.get(c, c)) for c in self.competence_list]

    @property
    def language_labels(self) -> list[str]:
        labels = dict(WorkingLanguage.choices)
        return [str(labels.get(c, c)) for c in self.language_list]

    def is_stale(self, today: date | None = None) -> bool:
        from tawasul.directory.staleness import stale_before

        if self.last_verified is None:
            return True
        return self.last_verified < stale_before(today)


class NetworkQuerySet(ScopedQuerySet["Network"]):
    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> NetworkQuerySet:
        """VIEW: every signed-in user. CHANGE (members): coordinators; a national admin may
        add or remove their own country's focal points (checked by the service)."""
        if not is_active_user(user):
            return self.none()
        if need == Need.VIEW:
            return self.all()
        if has_role(user, Role.COORDINATOR) or (
            has_role(user, Role.NATIONAL_ADMIN) and user.country
        ):
            return self.all()
        return self.none()


class Network(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    builtin = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        lang = (language or get_language() or "en")[:2]
        return {"ar": self.name_ar, "fr": self.name_fr}.get(lang) or self.name_en


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    focal_point = models.ForeignKey(
        FocalPoint, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["network", "focal_point__agency__country"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [
            models.UniqueConstraint(fields=["network", "focal_point"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.network_id}:{self.focal_point_id}"


class Handover(models.Model):
    """The record of one rotation: who handed over to whom, when, with which note."""

    predecessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_given"
    )
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_received"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    country = CountryField(db_index=True)
    note = models.TextField(_("handover note"))
    counts = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.predecessor_id}→{self.successor_id}"


class CountryProfileQuerySet(ScopedQuerySet["CountryProfile"]):
    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> CountryProfileQuerySet:
        if not is_active_user(user) or need != Need.VIEW:
            return self.none()
        return self.all()

    def current(self) -> CountryProfileQuerySet:
        return self.filter(is_current=True)


class CountryProfile(models.Model):
    """One loaded version of a country profile (data/profiles/<CC>.yaml). Versions are kept;
    exactly one per country is current."""

    country = CountryField(db_index=True)
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.JSONField()
    source_file = models.CharField(max_length=255)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    objects = CountryProfileQuerySet.as_manager()

    class Meta:
        ordering = ["country", "-version"]
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")
        constraints = [
            models.UniqueConstraint(fields=["country", "version"], name="unique_profile_version"),
            models.UniqueConstraint(
                fields=["country"],
                condition=models.Q(is_current=True),
                name="one_current_profile",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} v{self.version}"
