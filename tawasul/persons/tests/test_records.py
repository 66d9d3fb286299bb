"""Person records: owned by a country, full to its focal points, border officers and central
authority; created, edited, reviewed and deleted by them only."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from tawasul.audit.models import AuditEvent
from tawasul.persons.models import NameType, PersonRecord, Script
from tawasul.persons.tests.factories import make_record

pytestmark = pytest.mark.django_db

VALID = {
    "category": "kst",
    "primary_name": "Youssef Ben Salah Demo",
    "aliases": "يوسف بن صالح\nAbou Salah",
    "kunyas": "Abu Yahya",
    "previous_names": "",
    "date_of_birth": "1990-05",
    "place_of_birth": "Fictional City",
    "nationalities": "ma, fr",
    "sex": "M",
    "documents": "passport; XY1234567; MA\nnational_id; K998877",
    "interpol_notice": "",
    "handling_code": "H0",
    "restriction": "",
    "source_reliability": "B",
    "information_accuracy": "2",
    "legal_basis": "Law 03-03 (fictional)",
    "review_date": "",
}


def test_focal_point_creates_a_record_with_names_and_documents(client, signed_in, focal_point_ma):
    signed_in(focal_point_ma)
    response = client.post(reverse("persons:record_new"), VALID)
    assert response.status_code == 302
    record = PersonRecord.objects.get()
    assert record.country == "MA" and record.originator == focal_point_ma
    assert record.reference.startswith("MA-P-")
    assert (record.birth_year, record.birth_month, record.birth_day) == (1990, 5, None)
    assert record.nationalities == ["FR", "MA"]
    names = {(n.full_name, n.name_type, n.script) for n in record.names.all()}
    assert ("يوسف بن صالح", NameType.ALIAS, Script.ARABIC) in names
    assert ("Abu Yahya", NameType.KUNYA, Script.LATIN) in names
    assert {d.number_norm for d in record.documents.all()} == {"XY1234567", "K998877"}
    assert AuditEvent.objects.filter(event_type="persons.record_created").exists()


def test_default_review_date_is_five_years_ahead(focal_point_ma):
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        record = make_record(focal_point_ma)
    assert record.review_date == datetime.date(2031, 3, 1)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("documents", "passport XY123"),
        ("documents", "visa; 123; MA"),
        ("documents", "passport; 123; XX"),
        ("nationalities", "Morocco"),
        ("date_of_birth", "14 March"),
        ("date_of_birth", "1990-02-30"),
        ("legal_basis", ""),
        ("primary_name", ""),
        ("review_date", "2099-01-01"),
    ],
)
def test_invalid_input_is_refused_and_nothing_created(
    field, value, client, signed_in, focal_point_ma
):
    signed_in(focal_point_ma)
    response = client.post(reverse("persons:record_new"), {**VALID, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PersonRecord.objects.exists()


def test_h3_needs_its_restriction(client, signed_in, focal_point_ma):
    signed_in(focal_point_ma)
    response = client.post(reverse("persons:record_new"), {**VALID, "handling_code": "H3"})
    assert response.status_code == 200
    assert not PersonRecord.objects.exists()


def test_edit_replaces_names_and_keys(client, signed_in, focal_point_ma, record_ma):
    signed_in(focal_point_ma)
    response = client.post(
        reverse("persons:record_edit", args=[record_ma.pk]),
        {**VALID, "primary_name": "Karim Haddad Demo", "aliases": ""},
    )
    assert response.status_code == 302
    record_ma.refresh_from_db()
    assert record_ma.primary_name == "Karim Haddad Demo"
    event = AuditEvent.objects.get(event_type="persons.record_updated")
    assert "names" in event.changes


def test_foreign_focal_point_gets_404_on_a_record(client, signed_in, focal_point_tn, record_ma):
    signed_in(focal_point_tn)
    for name in ("persons:record", "persons:record_edit", "persons:record_review"):
        assert client.get(reverse(name, args=[record_ma.pk])).status_code == 404
    assert client.get(reverse("persons:record", args=[999999])).status_code == 404
    assert AuditEvent.objects.filter(event_type="access.denied").count() == 4


@pytest.mark.parametrize("persona", ["coordinator", "admin_ma", "oversight_ma"])
def test_no_case_content_roles_never_read_records(persona, request, client, signed_in, record_ma):
    signed_in(request.getfixturevalue(persona))
    assert client.get(reverse("persons:records")).status_code == 404
    assert client.get(reverse("persons:record", args=[record_ma.pk])).status_code == 404


def test_list_flags_records_past_review(client, signed_in, focal_point_ma):
    with time_machine.travel(datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)):
        old = make_record(focal_point_ma)
    make_record(focal_point_ma, name="Karim Haddad Demo")
    signed_in(focal_point_ma)
    response = client.get(reverse("persons:records"), {"past_review": "1"})
    assert [r.pk for r in response.context["page"]] == [old.pk]
    assert "Past review" in response.content.decode()


def test_review_sets_the_next_date(client, signed_in, focal_point_ma):
    with time_machine.travel(datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)):
        record = make_record(focal_point_ma)
    signed_in(focal_point_ma)
    response = client.post(
        reverse("persons:record_review", args=[record.pk]), {"legal_basis": "Renewed"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert not record.is_past_review and record.reviewed_at is not None


def test_delete_needs_a_reason_and_is_audited(client, signed_in, focal_point_ma, record_ma):
    signed_in(focal_point_ma)
    url = reverse("persons:record_delete", args=[record_ma.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert PersonRecord.objects.exists()
    assert client.post(url, {"reason": "Basis expired"}).status_code == 302
    assert not PersonRecord.objects.exists()
    assert AuditEvent.objects.filter(event_type="persons.record_deleted").exists()


def test_record_page_renders_in_arabic(client, signed_in, focal_point_ma, record_ma):
    focal_point_ma.language = "ar"
    focal_point_ma.save()
    signed_in(focal_point_ma)
    body = client.get(reverse("persons:record", args=[record_ma.pk])).content.decode()
    assert 'dir="rtl"' in body
    assert "الأساس القانوني" in body
