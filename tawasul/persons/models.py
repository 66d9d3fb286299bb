"""The person index: records on persons (suspects, foreign terrorist fighters, known or
suspected terrorists, wanted and missing persons) owned by a country, searchable by other
countries' focal points and border officers with a hit/no-hit answer only; the hits a human
confirms or rejects; screening jobs; and victim records, kept apart and encrypted.

Who sees what (docs: /work/shared/design.md):
- a person record: its owning country's focal points, border officers and central authority
  in full; other countries' focal points and border officers only through the hit/no-hit
  allowlist (``tawasul.persons.disclosure``);
- a victim record: its owning country's victim-protection users only;
- coordinators, national administrators and oversight users: nothing here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tawasul.core.access import Need, ScopedQuerySet, can_read_case_content, user_roles
from tawasul.core.handling import HandledItem
from tawasul.core.roles import Role

# Roles that work with person records (full view of their own country's records).
PERSON_ROLES = frozenset({Role.FOCAL_POINT, Role.BORDER_OFFICER, Role.CENTRAL_AUTHORITY})
# Roles that may search other countries' records (hit/no-hit answer).
FOREIGN_SEARCH_ROLES = frozenset({Role.FOCAL_POINT, Role.BORDER_OFFICER})
REVIEW_YEARS = 5


def may_use_person_index(user: Any) -> bool:
    return can_read_case_content(user) and bool(user_roles(user) & PERSON_ROLES)


def may_search_abroad(user: Any) -> bool:
    return can_read_case_content(user) and bool(user_roles(user) & FOREIGN_SEARCH_ROLES)


def may_protect_victims(user: Any) -> bool:
    return can_read_case_content(user) and Role.VICTIM_PROTECTION in user_roles(user)


def default_review_date() -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + REVIEW_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + REVIEW_YEARS, day=28)


class Category(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    FTF = "ftf", _("Foreign terrorist fighter")
    KST = "kst", _("Known or suspected terrorist")
    WANTED = "wanted", _("Wanted person")
    MISSING = "missing", _("Missing person")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Unknown")


class NameType(models.TextChoices):
    PRIMARY = "primary", _("Primary name")
    ALIAS = "alias", _("Alias")
    KUNYA = "kunya", _("Kunya")
    PREVIOUS = "previous", _("Previous name")


class Script(models.TextChoices):
    ARABIC = "arabic", _("Arabic script")
    LATIN = "latin", _("Latin script")
    OTHER = "other", _("Other script")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    OTHER = "other", _("Other document")


class PersonRecordQuerySet(ScopedQuerySet["PersonRecord"]):
    """Full visibility: the owning country's focal points, border officers and central
    authority. Other countries reach records only through the search's allowlist."""

    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> PersonRecordQuerySet:
        if not may_use_person_index(user):
            return self.none()
        return self.filter(country=str(user.country))

    def searchable_by(self, user: Any) -> PersonRecordQuerySet:
        """What a search by ``user`` may return: own-country records (full), and, for a focal
        point or border officer, other countries' records not past their review date."""
        if not may_use_person_index(user):
            return self.none()
        own = models.Q(country=str(user.country))
        if not may_search_abroad(user):
            return self.filter(own)
        current = ~own & models.Q(review_date__gte=timezone.localdate())
        return self.filter(own | current)


class PersonRecord(HandledItem):
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    country = models.CharField(_("owning country"), max_length=2, db_index=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    # ISO 3166-1 alpha-2 codes.
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    interpol_notice = models.CharField(_("INTERPOL notice reference"), max_length=40, blank=True)
    legal_basis = models.TextField(_("legal basis for holding"))
    review_date = models.DateField(_("review date"), default=default_review_date, db_index=True)
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    originator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("originating focal point"),
    )
    share_more = models.BooleanField(
        _("share more with other countries"),
        default=False,
        help_text=_(
            "Other countries' hits then also show the names, date of birth, nationalities, "
            "sex, INTERPOL notice and handling code."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("person record")
        verbose_name_plural = _("person records")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(handling_code="H3") | ~models.Q(restriction=""),
                name="persons_h3_states_restriction",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_past_review(self) -> bool:
        return self.review_date < timezone.localdate()

    @property
    def birth_date_display(self) -> str:
        if not self.birth_year:
            return ""
        if not self.birth_month:
            return f"{self.birth_year:04d}"
        if not self.birth_day:
            return f"{self.birth_year:04d}-{self.birth_month:02d}"
        return f"{self.birth_year:04d}-{self.birth_month:02d}-{self.birth_day:02d}"

    @property
    def primary_name(self) -> str:
        for name in self.names.all():
            if name.name_type == NameType.PRIMARY:
                return name.full_name
        first = self.names.first()
        return first.full_name if first else ""


class PersonName(models.Model):
    record = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(_("name"), max_length=200)
    name_type = models.CharField(_("type"), max_length=10, choices=NameType.choices)
    script = models.CharField(_("script"), max_length=10, choices=Script.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("person name")
        verbose_name_plural = _("person names")

    def __str__(self) -> str:
        return self.full_name


class PersonNameKey(models.Model):
    """A blocking key of one name (``tawasul.persons.matching.name_keys``): the candidates of a
    search are the names sharing its rarer keys — one indexed query on any database."""

    key = models.CharField(max_length=40)
    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="keys")
    record = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        indexes = [models.Index(fields=["key", "record"], name="persons_namekey_key")]

    def __str__(self) -> str:
        return self.key


class IdentityDocument(models.Model):
    record = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("document number"), max_length=40)
    # Upper-case letters and digits only: what an exact match compares.
    number_norm = models.CharField(max_length=40, db_index=True)
    issuing_country = models.CharField(_("issuing country"), max_length=2, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"{self.doc_type} {self.number}"


class HitStatus(models.TextChoices):
    POSSIBLE = "possible", _("Possible match (to confirm)")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class HitSource(models.TextChoices):
    SEARCH = "search", _("Search")
    SCREENING = "screening", _("List screening")


class HitQuerySet(ScopedQuerySet["Hit"]):
    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> HitQuerySet:
        """The searcher sees their own hits; the record's owning country sees the hits on its
        records. Only a focal point of the owning country decides (confirms or rejects)."""
        if not may_use_person_index(user):
            return self.none()
        country = str(user.country)
        if need == Need.CHANGE:
            if Role.FOCAL_POINT not in user_roles(user):
                return self.none()
            return self.filter(record__country=country)
        return self.filter(models.Q(searcher=user) | models.Q(record__country=country))


class Hit(models.Model):
    record = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="hits")
    searcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    searcher_country = models.CharField(_("searching country"), max_length=2)
    source = models.CharField(max_length=10, choices=HitSource.choices, default=HitSource.SEARCH)
    job = models.ForeignKey(
        "ScreeningJob", null=True, blank=True, on_delete=models.CASCADE, related_name="hits"
    )
    row_number = models.PositiveIntegerField(null=True, blank=True)
    # What the searcher asked: name, date of birth, nationality, document number, sex.
    query = models.JSONField(default=dict)
    score = models.FloatField(_("score"))
    document_match = models.BooleanField(default=False)
    explanation = models.TextField(_("name-match explanation"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HitStatus.choices, default=HitStatus.POSSIBLE
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = HitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("hit")
        verbose_name_plural = _("hits")

    def __str__(self) -> str:
        return f"{self.record_id}←{self.searcher_id} ({self.status})"


class PersonNotification(models.Model):
    """An in-app notice to a record's originating focal point: someone hit their record."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_notifications"
    )
    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("person index notification")
        verbose_name_plural = _("person index notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id}:{self.hit_id}"


class JobStatus(models.TextChoices):
    MAPPING = "mapping", _("Awaiting column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScreeningJobQuerySet(ScopedQuerySet["ScreeningJob"]):
    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> ScreeningJobQuerySet:
        """A screening list is its uploader's working file: only they see it."""
        if not may_use_person_index(user):
            return self.none()
        return self.filter(owner=user, country=str(user.country))


class ScreeningJob(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    country = models.CharField(max_length=2)
    filename = models.CharField(_("file name"), max_length=200)
    header = models.JSONField(default=list)
    # The validated CSV text, kept until the job has run, then erased.
    source_text = models.TextField(blank=True)
    delimiter = models.CharField(max_length=1, default=",")
    mapping = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.MAPPING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    match_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScreeningJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("screening job")
        verbose_name_plural = _("screening jobs")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, int(100 * self.processed_rows / self.total_rows))

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


class VictimQuerySet(ScopedQuerySet["VictimRecord"]):
    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> VictimQuerySet:
        if not may_protect_victims(user):
            return self.none()
        return self.filter(country=str(user.country))


class VictimRecord(models.Model):
    """A victim of trafficking: the identity (names, date of birth, nationalities, sex) is one
    AES-256-GCM ciphertext (``tawasul.persons.crypto``); nothing identifying is in clear."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    country = models.CharField(_("owning country"), max_length=2, db_index=True)
    identity_ciphertext = models.BinaryField()
    consent_date = models.DateField(_("date of consent"))
    consent_scope = models.CharField(_("scope of consent"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = VictimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("victim record")
        verbose_name_plural = _("victim records")

    def __str__(self) -> str:
        return self.reference


class VictimNameEncoding(models.Model):
    """The privacy-preserving encoding of one victim name (``tawasul.names.encode`` with the
    secret shared between countries): comparable across countries, not readable."""

    victim = models.ForeignKey(VictimRecord, on_delete=models.CASCADE, related_name="encodings")
    country = models.CharField(max_length=2, db_index=True)
    encoding = models.BinaryField()

    class Meta:
        verbose_name = _("victim name encoding")
        verbose_name_plural = _("victim name encodings")

    def __str__(self) -> str:
        return f"{self.victim_id}"


class ReferralRole(models.TextChoices):
    ORIGIN = "origin", _("Country of origin")
    TRANSIT = "transit", _("Country of transit")
    DESTINATION = "destination", _("Country of destination")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


# What the receiving country may move a referral to, from each status.
REFERRAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (
        ReferralStatus.ACKNOWLEDGED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
    ),
    ReferralStatus.ACKNOWLEDGED: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (ReferralStatus.CLOSED,),
    ReferralStatus.DECLINED: (),
    ReferralStatus.CLOSED: (),
}


class VictimReferralQuerySet(ScopedQuerySet["VictimReferral"]):
    case_content = True

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> VictimReferralQuerySet:
        """The victim-protection users of the sending and of the receiving country; only the
        receiving country changes the status."""
        if not may_protect_victims(user):
            return self.none()
        country = str(user.country)
        if need == Need.CHANGE:
            return self.filter(to_country=country)
        return self.filter(models.Q(from_country=country) | models.Q(to_country=country))


class VictimReferral(models.Model):
    """A structured message about a victim from one country's victim-protection officers to
    another's (origin, transit or destination), with a status the receiver keeps. The message
    is what the sender chose to pass on, encrypted at rest like the identity."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    victim = models.ForeignKey(VictimRecord, on_delete=models.CASCADE, related_name="referrals")
    from_country = models.CharField(_("from"), max_length=2)
    to_country = models.CharField(_("to"), max_length=2, db_index=True)
    to_role = models.CharField(
        _("the receiving country is the victim's"), max_length=12, choices=ReferralRole.choices
    )
    message_ciphertext = models.BinaryField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    status_note = models.CharField(_("note"), max_length=500, blank=True)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_at = models.DateTimeField(null=True, blank=True)

    objects = VictimReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return self.reference

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return REFERRAL_TRANSITIONS.get(self.status, ())
