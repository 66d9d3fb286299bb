"""Cooperation requests: the request, its parts (offences, persons, measures, attachments), its
generated documents, its transitions (each with a signed receipt) and the notifications sent.

Who sees a request (deny by default, ``CooperationRequestQuerySet.visible_to``):
- requesting side: the focal points and central-authority users of the requesting agency, and
  the central-authority users of the requesting country once it is submitted for approval;
- requested side, once transmitted (never a draft): the requested country's central-authority
  users, the focal points and central-authority users of the requested agency, and the focal
  points assigned to it;
- nobody else: coordinators, national admins, oversight, border officers, victim protection.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tawasul.cooperation.lifecycle import RequestType, Side, Status
from tawasul.cooperation.measures import MeasureKind
from tawasul.cooperation.sql import HoursBetween, MonthIndex, figure_cell_expression
from tawasul.core.access import Need, ScopedQuerySet, can_read_case_content, user_roles
from tawasul.core.handling import HandledItem
from tawasul.core.roles import Role
from tawasul.directory.models import Competence


class DocumentLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


def may_work_on_requests(user: Any) -> bool:
    """Whether ``user`` may draft and handle requests at all (a case worker of a country)."""
    roles = user_roles(user)
    return can_read_case_content(user) and bool(roles & {Role.FOCAL_POINT, Role.CENTRAL_AUTHORITY})


class CooperationRequestQuerySet(ScopedQuerySet["CooperationRequest"]):
    owner_country_field = "requesting_country"

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> CooperationRequestQuerySet:
        if not may_work_on_requests(user):
            return self.none()
        country = str(user.country)
        central = Role.CENTRAL_AUTHORITY in user_roles(user)
        nothing = Q(pk__in=[])
        own_agency = Q(requesting_agency_id=user.agency_id) if user.agency_id else nothing
        requesting = Q(requesting_country=country) & (
            own_agency | (~Q(status=Status.DRAFT) if central else nothing)
        )
        if central:
            requested_scope = Q()
        else:
            assigned = Exists(
                RequestAssignment.objects.filter(request_id=OuterRef("pk"), user_id=user.pk)
            )
            requested_scope = Q(assigned)
            if user.agency_id:
                requested_scope |= Q(requested_agency_id=user.agency_id)
        # Transmission, not the status, opens a request to the requested side: a draft
        # withdrawn before approval was never sent and stays the requesting side's.
        requested = Q(requested_country=country) & Q(transmitted_at__isnull=False) & requested_scope
        return self.filter(requesting | requested)


class RequestPartQuerySet(ScopedQuerySet[Any]):
    """Files of a request: visible exactly when their request is."""

    def visible_to(self, user: Any, need: Need = Need.VIEW) -> RequestPartQuerySet:
        return self.filter(request__in=CooperationRequest.objects.visible_to(user, need))


class CooperationRequest(HandledItem):
    reference = models.CharField(_("reference"), max_length=30, unique=True, blank=True)
    request_type = models.CharField(
        _("type of request"), max_length=30, choices=RequestType.choices
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    offence_category = models.CharField(
        _("area of crime"), max_length=30, choices=Competence.choices
    )

    requesting_country = CountryField(_("requesting country"), db_index=True)
    requesting_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("requesting authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requesting_reference = models.CharField(
        _("requesting side's reference"), max_length=100, blank=True
    )
    requested_country = CountryField(_("requested country"), db_index=True)
    requested_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("requested authority (in the directory)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_authority = models.CharField(_("requested authority"), max_length=300, blank=True)
    requested_reference = models.CharField(
        _("requested side's reference"), max_length=100, blank=True
    )

    summary_of_facts = models.TextField(_("summary of the facts"), blank=True)
    purpose = models.TextField(_("purpose of the request and link to the facts"), blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    urgency_reason = models.TextField(_("reason for urgency"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    confidential = models.BooleanField(_("confidentiality requested"), default=False)
    confidentiality_note = models.CharField(
        _("confidentiality: what and why"), max_length=500, blank=True
    )
    legal_basis = models.CharField(_("legal basis (code)"), max_length=40, blank=True)
    legal_basis_text = models.CharField(_("legal basis"), max_length=500, blank=True)
    dual_criminality_statement = models.TextField(_("dual criminality statement"), blank=True)
    non_political_statement = models.TextField(
        _("statement that the offence is not political"), blank=True
    )
    assurance_death_penalty = models.BooleanField(
        _("assurance that the death penalty will not be sought or carried out"), default=False
    )
    # Extradition: the states the person is to be taken through on surrender, in route order.
    # A transit state may set its own extradition conditions for the transit (European
    # Convention on Extradition, art. 21(5)), the death penalty among them.
    transit_countries = CountryField(
        _("countries of transit"), multiple=True, multiple_sort=False, blank=True
    )
    assurance_speciality = models.BooleanField(_("speciality undertaking"), default=False)
    assurance_fair_trial = models.BooleanField(_("fair-trial assurance"), default=False)
    assurances_text = models.TextField(_("wording of the assurances"), blank=True)
    document_language = models.CharField(
        _("language of the request"),
        max_length=2,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.ENGLISH,
    )

    # Bumped by every change of content: documents and receipts name the version they carry.
    content_version = models.PositiveIntegerField(default=1)
    content_changed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    transmitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("answer expected by"), null=True, blank=True, db_index=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    refusal_grounds = models.TextField(_("grounds for refusal"), blank=True)
    # The dashboard's figures, computed by the database when the row is written (see
    # tawasul/cooperation/sql.py): the month a request counts in (sent, or created if never
    # sent), the month it was sent, and the hours the requested side took to answer; and the
    # country pair, type and status in one integer (``sql.split_cell`` reads it back).
    figure_cell = models.GeneratedField(
        expression=figure_cell_expression(),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    counted_month = models.GeneratedField(
        expression=MonthIndex(Coalesce("transmitted_at", "created_at")),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    sent_month = models.GeneratedField(
        expression=MonthIndex("transmitted_at"),
        output_field=models.IntegerField(null=True),
        db_persist=True,
    )
    hours_to_acknowledgement = models.GeneratedField(
        expression=HoursBetween("transmitted_at", "acknowledged_at"),
        output_field=models.IntegerField(null=True),
        db_persist=True,
    )
    hours_to_execution = models.GeneratedField(
        expression=HoursBetween("transmitted_at", "executed_at"),
        output_field=models.IntegerField(null=True),
        db_persist=True,
    )
    source_hit = models.ForeignKey(
        "persons.Hit",
        verbose_name=_("person-index hit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )

    objects = CooperationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("cooperation request")
        verbose_name_plural = _("cooperation requests")
        indexes = [
            models.Index(fields=["requesting_country", "status"]),
            models.Index(fields=["requested_country", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requesting_country=models.F("requested_country")),
                name="request_between_two_countries",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    def side_of(self, user: Any) -> str | None:
        """Which side ``user`` works for on this request (by country), or None."""
        country = str(getattr(user, "country", "") or "")
        if country and country == str(self.requesting_country):
            return Side.REQUESTING
        if country and country == str(self.requested_country):
            return Side.REQUESTED
        return None

    @property
    def is_transmitted(self) -> bool:
        return self.transmitted_at is not None

    @property
    def is_overdue(self) -> bool:
        from tawasul.cooperation.lifecycle import OPEN_ABROAD

        return bool(
            self.due_on and self.status in OPEN_ABROAD and self.due_on < timezone.localdate()
        )


class RequestAssignment(models.Model):
    """A focal point of the requested country whom its central authority put on the request."""

    request = models.ForeignKey(
        CooperationRequest, on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="one_assignment_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.request}"


class RequestOffence(models.Model):
    request = models.ForeignKey(
        CooperationRequest, on_delete=models.CASCADE, related_name="offences"
    )
    description = models.CharField(_("offence"), max_length=300)
    legal_provision = models.TextField(_("legal provision, quoted"))
    penalty = models.CharField(_("maximum penalty"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class PersonRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    ACCUSED = "accused", _("Accused")
    SOUGHT = "sought", _("Person sought")
    WITNESS = "witness", _("Witness")
    VICTIM = "victim", _("Victim")
    OTHER = "other", _("Other")


class RequestPerson(models.Model):
    request = models.ForeignKey(
        CooperationRequest, on_delete=models.CASCADE, related_name="persons"
    )
    role = models.CharField(_("role in the case"), max_length=20, choices=PersonRole.choices)
    name_arabic = models.CharField(_("name in Arabic script"), max_length=200, blank=True)
    name_latin = models.CharField(_("name in Latin script"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    document_type = models.CharField(_("identity document"), max_length=60, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    notes = models.TextField(_("other identifying details"), blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name_latin or self.name_arabic


class RequestMeasure(models.Model):
    request = models.ForeignKey(
        CooperationRequest, on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("measure"), max_length=30, choices=MeasureKind.choices)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class RequestAttachment(HandledItem):
    request = models.ForeignKey(
        CooperationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class RequestDocument(models.Model):
    """One generated formal request: a version of the content, in a language and a format."""

    request = models.ForeignKey(
        CooperationRequest, on_delete=models.CASCADE, related_name="documents"
    )
    content_version = models.PositiveIntegerField()
    language = models.CharField(max_length=2, choices=DocumentLanguage.choices)
    format = models.CharField(max_length=4, choices=DocumentFormat.choices)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    storage_name = models.CharField(max_length=80, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        ordering = ["-content_version", "language", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "content_version", "language", "format"],
                name="one_document_per_version_language_format",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} v{self.content_version} {self.language} {self.format}"


class RequestTransition(models.Model):
    """One step of the request's life, with the receipt the instance signed for it."""

    request = models.ForeignKey(
        CooperationRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    content_version = models.PositiveIntegerField()
    document_sha256 = models.CharField(max_length=64, blank=True)
    receipt = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.from_status} → {self.to_status}"


class RequestNotification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="request_notifications"
    )
    request = models.ForeignKey(
        CooperationRequest, on_delete=models.CASCADE, related_name="notifications"
    )
    transition = models.ForeignKey(
        RequestTransition, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30)  # a lifecycle action code, or "reminder"
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.request}"


class IdempotencyKey(models.Model):
    """An API create already done, so a retried call returns it instead of creating twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request = models.ForeignKey(CooperationRequest, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_request_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.request}"
