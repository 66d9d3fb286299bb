"""Action plans: programmes, their meetings, the recommendations adopted there and the
follow-up actions that turn a recommendation into who does what by when.

None of this is case content: meetings, recommendations and follow-up actions are visible to
every signed-in user of the network (docs/access.md). Coordinators create meetings and
recommendations; a country's users update their country's actions, coordinators the network's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tawasul.core.access import Need, ScopedQuerySet, has_role, is_active_user, user_roles
from tawasul.core.roles import CASE_ROLES, Role

# Who, within the owning country, may update that country's actions: the people who do the
# work and their national administrator. Oversight reads logs and never changes anything.
ACTION_UPDATE_ROLES = frozenset(CASE_ROLES | {Role.NATIONAL_ADMIN})


def _pick(language: str | None, en: str, fr: str, ar: str) -> str:
    lang = (language or get_language() or "en")[:2]
    return {"ar": ar, "fr": fr}.get(lang) or en or fr or ar


class NetworkQuerySet(ScopedQuerySet[Any]):
    """Network-level records: every signed-in user sees them; only coordinators change them."""

    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> Any:
        if not is_active_user(user):
            return self.none()
        if need == Need.VIEW or has_role(user, Role.COORDINATOR):
            return self.all()
        return self.none()


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        return _pick(language, self.name_en, self.name_fr, self.name_ar)


class MeetingKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    REGIONAL_COORDINATION = "regional_coordination", _("Regional coordination meeting")
    HIGH_LEVEL = "high_level", _("High-level meeting")


class Meeting(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=MeetingKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    place_country = CountryField(_("host country"), blank=True)
    organisers = models.CharField(_("organisers"), max_length=500, blank=True)
    funding_partners = models.CharField(_("funding partners"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_title()

    def localized_title(self, language: str | None = None) -> str:
        return _pick(language, self.title_en, self.title_fr, self.title_ar)


class MeetingDocument(models.Model):
    """A document of a meeting (agenda, conclusions, presentation), kept under MEDIA_ROOT."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(max_length=200)
    file_path = models.CharField(max_length=100)
    file_type = models.CharField(max_length=100)
    file_size = models.PositiveIntegerField()
    file_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("meeting document")

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """How many people came from one country (and agency), by gender: counts, no names."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    country = CountryField(_("country"), blank=True)
    agency = models.CharField(_("agency or organisation"), max_length=200, blank=True)
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    unspecified = models.PositiveIntegerField(_("gender not stated"), default=0)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["country", "agency"]
        verbose_name = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "country", "agency"], name="one_participation_row_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.country}:{self.agency}"

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified


class Recommendation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveIntegerField(_("number"))
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_ar = models.TextField(_("text (Arabic)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="one_recommendation_number_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.localized_text()[:60]}"

    def localized_text(self, language: str | None = None) -> str:
        return _pick(language, self.text_en, self.text_fr, self.text_ar)


class OwnerKind(models.TextChoices):
    COUNTRY = "country", _("A country")
    AGENCY = "agency", _("An agency")
    NETWORK = "network", _("The network")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)
PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


class ActionQuerySet(ScopedQuerySet["FollowUpAction"]):
    """Everyone signed in sees every action; changing one needs to be its owner: a user of the
    owning country with a working role, or a coordinator for the network's actions."""

    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> ActionQuerySet:
        if not is_active_user(user):
            return self.none()
        if need == Need.VIEW:
            return self.all()
        allowed = models.Q(pk__in=[])
        if has_role(user, Role.COORDINATOR):
            allowed |= models.Q(owner_kind=OwnerKind.NETWORK)
        country = str(getattr(user, "country", "") or "")
        if country and user_roles(user) & ACTION_UPDATE_ROLES:
            allowed |= models.Q(country=country) & ~models.Q(owner_kind=OwnerKind.NETWORK)
        return self.filter(allowed)

    def open(self) -> ActionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> ActionQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())


class FollowUpAction(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField(_("what is to be done"))
    owner_kind = models.CharField(_("owner"), max_length=16, choices=OwnerKind.choices)
    # The owning country: the country itself, or the agency's country; blank for the network.
    country = CountryField(_("country"), blank=True, db_index=True)
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The reminders already sent, so the daily command sends each one once.
    reminded_due_soon_for = models.DateField(null=True, blank=True)
    reminded_overdue_on = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(owner_kind="network") & models.Q(country=""))
                | (~models.Q(owner_kind="network") & ~models.Q(country="")),
                name="action_owner_has_a_country_unless_network",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    def owner_label(self, language: str | None = None) -> str:
        if self.owner_kind == OwnerKind.NETWORK:
            return str(_("The network"))
        if self.owner_kind == OwnerKind.AGENCY and self.agency is not None:
            return f"{self.agency.localized_name(language)} ({self.country.name})"
        return str(self.country.name)


class ProgressUpdateQuerySet(ScopedQuerySet["ProgressUpdate"]):
    """Progress updates are read with their action, by every signed-in user; nobody edits one."""

    case_content = False

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> ProgressUpdateQuerySet:
        if not is_active_user(user) or need != Need.VIEW:
            return self.none()
        return self.all()


class ProgressUpdate(models.Model):
    """A dated note on an action, with the status it moved to and its evidence: a text and,
    optionally, a file (kept under MEDIA_ROOT, see evidence.py)."""

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("progress"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file_name = models.CharField(_("evidence file"), max_length=200, blank=True)
    evidence_file_path = models.CharField(max_length=100, blank=True)
    evidence_file_type = models.CharField(max_length=100, blank=True)
    evidence_file_size = models.PositiveIntegerField(default=0)
    evidence_file_sha256 = models.CharField(max_length=64, blank=True)
    status_before = models.CharField(max_length=16, choices=ActionStatus.choices)
    status_after = models.CharField(max_length=16, choices=ActionStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress update")

    def __str__(self) -> str:
        return f"{self.action_id}:{self.status_after}"
