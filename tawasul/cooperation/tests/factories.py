"""factory_boy factories of cooperation requests and their parts."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tawasul.cooperation.lifecycle import RequestType, Status
from tawasul.cooperation.measures import MeasureKind
from tawasul.cooperation.models import (
    CooperationRequest,
    PersonRole,
    RequestMeasure,
    RequestOffence,
    RequestPerson,
)
from tawasul.core.tests.factories import AgencyFactory, UserFactory
from tawasul.directory.models import AgencyKind


class CooperationRequestFactory(DjangoModelFactory):
    class Meta:
        model = CooperationRequest
        skip_postgeneration_save = True

    request_type = RequestType.MLA
    status = Status.DRAFT
    offence_category = "terrorist_financing"
    requesting_country = "MA"
    requested_country = "ES"
    requesting_agency = factory.LazyAttribute(
        lambda r: (
            r.created_by.agency
            if r.created_by.agency_id and str(r.created_by.country) == str(r.requesting_country)
            else AgencyFactory(country=r.requesting_country, kind=AgencyKind.PROSECUTION)
        )
    )
    requested_agency = factory.LazyAttribute(
        lambda r: AgencyFactory(country=r.requested_country, kind=AgencyKind.CENTRAL_AUTHORITY_MLA)
    )
    requested_authority = "Central authority"
    created_by = factory.LazyAttribute(lambda r: UserFactory(country=r.requesting_country))
    summary_of_facts = "Transfers from accounts in Tangier financed a terrorist cell."
    purpose = "To establish who funded the cell."
    legal_basis = "icsft_1999"
    legal_basis_text = (
        "International Convention for the Suppression of the Financing of Terrorism (1999)"
    )
    document_language = "fr"
    transmitted_at = factory.LazyAttribute(
        lambda r: (
            None
            if r.status in (Status.DRAFT, Status.AWAITING_APPROVAL, Status.WITHDRAWN)
            else timezone.now()
        )
    )

    @factory.post_generation
    def reference(self, create, extracted, **kwargs):
        if create and not self.reference:
            self.reference = extracted or f"{self.requesting_country}-2026-{self.pk:06d}"
            type(self).objects.filter(pk=self.pk).update(reference=self.reference)


class RequestOffenceFactory(DjangoModelFactory):
    class Meta:
        model = RequestOffence

    request = factory.SubFactory(CooperationRequestFactory)
    description = "Financing of terrorism"
    legal_provision = "Article 218-4 of the Criminal Code: « Constitue un acte de terrorisme… »"
    penalty = "20 years"


class RequestPersonFactory(DjangoModelFactory):
    class Meta:
        model = RequestPerson

    request = factory.SubFactory(CooperationRequestFactory)
    role = PersonRole.SUSPECT
    name_arabic = "محمد عبد الرحمن الزهراني"
    name_latin = "Mohamed Abderrahmane El Zahrani"
    nationality = "MA"


class RequestMeasureFactory(DjangoModelFactory):
    class Meta:
        model = RequestMeasure

    request = factory.SubFactory(CooperationRequestFactory)
    kind = MeasureKind.BANK_RECORDS
    details = factory.LazyFunction(
        lambda: {
            "bank": "Banco Ejemplo",
            "account": "ES91 2100 0418 4502 0005 1332",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
        }
    )
