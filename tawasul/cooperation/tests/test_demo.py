"""The demonstration requests: every status of the lifecycle and the issue's three examples,
seeded by ``demo_seed`` as a newcomer would run it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from tawasul.cooperation import demo, documents
from tawasul.cooperation.lifecycle import RequestType, Status
from tawasul.cooperation.measures import MeasureKind
from tawasul.cooperation.models import CooperationRequest, RequestPerson
from tawasul.cooperation.receipts import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings: Any, monkeypatch: Any) -> None:
    """The whole demo seed with the real checks (a demo request that would be refused
    submission fails here); only the renderer, tested on its own, is a fixed small file."""
    monkeypatch.setattr(
        documents,
        "render",
        lambda request, *, language, fmt: (
            f"%PDF-1.7 {request.reference} v{request.content_version} {language}".encode()
        ),
    )
    settings.DEMO_MODE = True
    call_command("demo_seed", stdout=io.StringIO())


def test_demo_has_requests_in_every_status_and_the_three_examples_of_the_issue(
    seeded: None,
) -> None:
    statuses = set(CooperationRequest.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    # Each one got there through the services: one signed receipt per step.
    for request in CooperationRequest.objects.exclude(status=Status.DRAFT):
        transitions = list(request.transitions.order_by("at", "pk"))
        assert transitions and transitions[-1].to_status == request.status
        for transition in transitions:
            verify(transition.receipt)

    # Morocco → Spain, MLA for bank records in a terrorist-financing case.
    bank_records = CooperationRequest.objects.get(
        requesting_country="MA",
        requested_country="ES",
        request_type=RequestType.MLA,
        offence_category="terrorist_financing",
    )
    assert list(bank_records.measures.values_list("kind", flat=True)) == [MeasureKind.BANK_RECORDS]
    assert bank_records.transmitted_at is not None
    # Tunisia → France, extradition of a person sought.
    extradition = CooperationRequest.objects.get(
        requesting_country="TN", requested_country="FR", request_type=RequestType.EXTRADITION
    )
    assert extradition.persons.filter(role="sought").exists()
    assert extradition.transmitted_at is not None
    # Niger → Mali, police information request on a smuggling network.
    police = CooperationRequest.objects.get(
        requesting_country="NE", requested_country="ML", request_type=RequestType.POLICE
    )
    assert police.offence_category == "som"
    assert "smuggling network" in police.summary_of_facts
    assert police.transmitted_at is not None


def test_demo_people_are_fictional_and_seeding_again_adds_nothing(seeded: None) -> None:
    names = list(RequestPerson.objects.values_list("name_latin", "name_arabic"))
    assert names
    assert all("Demo" in latin or "ديمو" in arabic for latin, arabic in names)
    facts = CooperationRequest.objects.values_list("summary_of_facts", flat=True)
    assert all("Fictional facts" in text for text in facts)
    before = CooperationRequest.objects.count()
    assert demo.seed() == 0
    assert CooperationRequest.objects.count() == before
