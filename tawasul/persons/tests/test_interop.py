"""FollowTheMoney Person JSON and CSV: export of the own country's records, import."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tawasul.audit.models import AuditEvent
from tawasul.persons.interop import to_ftm
from tawasul.persons.models import NameType, PersonRecord
from tawasul.persons.tests.factories import make_record

pytestmark = pytest.mark.django_db

ENTITY = {
    "id": "os-demo-1",
    "schema": "Person",
    "properties": {
        "name": ["Hamza Belkacem Demo"],
        "alias": ["حمزة بلقاسم"],
        "weakAlias": ["Abu Yahya"],
        "birthDate": ["1991-11"],
        "nationality": ["dz"],
        "gender": ["male"],
        "passportNumber": ["DZ7654321"],
    },
}


def _import(client, payload: bytes, **extra):
    data = {
        "file": SimpleUploadedFile("people.json", payload, "application/json"),
        "category": "wanted",
        "legal_basis": "Arrest warrant (fictional)",
        **extra,
    }
    return client.post(reverse("persons:records_import"), data)


def test_ftm_export_of_own_records_only(client, signed_in, focal_point_ma, focal_point_tn):
    own = make_record(focal_point_ma, aliases=("محمد عبد الرحمن الزهراني",))
    make_record(focal_point_tn, name="Leila Gharbi Demo")
    signed_in(focal_point_ma)
    response = client.get(reverse("persons:records_export"), {"format": "ftm"})
    assert response["Content-Disposition"].startswith("attachment")
    entities = [json.loads(line) for line in response.content.decode().splitlines()]
    assert [e["id"] for e in entities] == [f"tawasul-{own.reference.lower()}"]
    props = entities[0]["properties"]
    assert props["name"] == ["Mohamed Abderrahmane Zahrani"]
    assert props["alias"] == ["محمد عبد الرحمن الزهراني"]
    assert props["birthDate"] == ["1988-03-14"] and props["nationality"] == ["ma"]
    assert props["topics"] == ["crime.terror"]
    assert "H0" in props["notes"][0]
    assert AuditEvent.objects.filter(event_type="persons.records_exported").exists()


def test_csv_export_neutralises_formulas(client, signed_in, focal_point_ma):
    make_record(
        focal_point_ma,
        name="Mohamed Zahrani",
        documents=(("passport", "=1+1", "MA"),),
        aliases=("-Ali Demo",),
    )
    signed_in(focal_point_ma)
    response = client.get(reverse("persons:records_export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3].startswith("'-Ali")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_import_ftm_creates_records_of_the_importer(client, signed_in, focal_point_ma):
    signed_in(focal_point_ma)
    response = _import(client, (json.dumps(ENTITY, ensure_ascii=False) + "\n").encode())
    assert response.status_code == 302
    record = PersonRecord.objects.get()
    assert record.country == "MA" and record.category == "wanted"
    assert (record.birth_year, record.birth_month) == (1991, 11)
    assert record.nationalities == ["DZ"] and record.sex == "M"
    assert {n.name_type for n in record.names.all()} == {
        NameType.PRIMARY,
        NameType.ALIAS,
        NameType.KUNYA,
    }
    assert record.documents.get().number_norm == "DZ7654321"


def test_round_trip_keeps_the_names(client, signed_in, focal_point_ma, focal_point_tn):
    original = make_record(focal_point_tn, aliases=("محمد عبد الرحمن الزهراني",))
    signed_in(focal_point_ma)
    _import(client, json.dumps([to_ftm(original)], ensure_ascii=False).encode())
    copy = PersonRecord.objects.get(country="MA")
    assert sorted(n.full_name for n in copy.names.all()) == sorted(
        n.full_name for n in original.names.all()
    )


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        json.dumps([{"schema": "Company", "properties": {"name": ["ACME"]}}]).encode(),
        json.dumps([{"schema": "Person", "properties": {"name": []}}]).encode(),
        json.dumps([{"schema": "Person", "properties": {"name": "not a list"}}]).encode(),
        json.dumps(
            [ENTITY, {**ENTITY, "properties": {"name": ["X"], "nationality": ["zz"]}}]
        ).encode(),
        json.dumps(
            [{**ENTITY, "properties": {"name": ["Y Demo"], "birthDate": ["soon"]}}]
        ).encode(),
        b"[]",
        "é".encode("latin-1"),
    ],
)
def test_bad_import_creates_nothing(payload, client, signed_in, focal_point_ma):
    signed_in(focal_point_ma)
    response = _import(client, payload)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not PersonRecord.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "admin_ma", "vp_ma"])
def test_export_refused_to_non_person_roles(persona, request, client, signed_in, record_ma):
    signed_in(request.getfixturevalue(persona))
    assert client.get(reverse("persons:records_export")).status_code == 404
