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


# --- CSV import -------------------------------------------------------------------------

HEADER = "primary_name,aliases,date_of_birth,nationalities,sex,documents,category"
GOOD_ROW = "Hamza Belkacem Demo,حمزة بلقاسم | Abu Yahya,1991-11,DZ,M,passport:DZ7654321:DZ,"


def _import_csv(client, text: str | bytes, name="people.csv"):
    payload = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("persons:records_import"),
        {
            "file": SimpleUploadedFile(name, payload, "text/csv"),
            "category": "wanted",
            "legal_basis": "Arrest warrant (fictional)",
        },
    )


def test_csv_import_creates_records_of_the_importer(client, signed_in, focal_point_ma):
    signed_in(focal_point_ma)
    response = _import_csv(client, f"{HEADER}\n{GOOD_ROW}\nLeila Gharbi Demo,,1990,TN,F,,ftf\n")
    assert response.status_code == 302
    hamza = PersonRecord.objects.get(names__full_name="Hamza Belkacem Demo")
    assert hamza.country == "MA" and hamza.category == "wanted"  # the form's category
    assert (hamza.birth_year, hamza.birth_month) == (1991, 11)
    assert hamza.nationalities == ["DZ"] and hamza.sex == "M"
    assert sorted(n.full_name for n in hamza.names.all()) == [
        "Abu Yahya",
        "Hamza Belkacem Demo",
        "حمزة بلقاسم",
    ]
    document = hamza.documents.get()
    assert (document.doc_type, document.number, document.issuing_country) == (
        "passport",
        "DZ7654321",
        "DZ",
    )
    leila = PersonRecord.objects.get(names__full_name="Leila Gharbi Demo")
    assert leila.category == "ftf"  # the row's category
    assert AuditEvent.objects.filter(event_type="persons.record_created").count() == 2
    imported = AuditEvent.objects.get(event_type="persons.records_imported")
    assert imported.details["format"] == "csv" and imported.details["count"] == 2


def test_csv_export_then_import_keeps_the_record(client, signed_in, focal_point_ma, focal_point_tn):
    import datetime

    from django.utils import timezone

    review = timezone.localdate() + datetime.timedelta(days=400)
    make_record(
        focal_point_tn,
        name="Leila Gharbi Demo",
        aliases=("-Ali Demo", "ليلى الغربي"),
        documents=(("passport", "=1+1", "TN"), ("national_id", "TN-55", "")),
        category="missing",
        sex="F",
        birth=(1990, 6, None),
        nationalities=("TN", "FR"),
        handling_code="H3",
        restriction="Not to be shared outside police",
        review_date=review,
    )
    signed_in(focal_point_tn)
    exported = client.get(reverse("persons:records_export"), {"format": "csv"}).content
    assert b"passport:=1+1:TN" in exported and b"'-Ali Demo" in exported
    # H3 needs its restriction, which the export does not carry: add the column.
    lines = exported.decode("utf-8-sig").splitlines()
    text = "\n".join([lines[0] + ",restriction", lines[1] + ",Not to be shared outside police"])
    signed_in(focal_point_ma)
    response = _import_csv(client, text.encode("utf-8-sig"))
    assert response.status_code == 302, response.content.decode()
    copy = PersonRecord.objects.get(country="MA")
    assert copy.category == "missing" and copy.sex == "F"
    assert (copy.birth_year, copy.birth_month, copy.birth_day) == (1990, 6, None)
    assert copy.nationalities == ["FR", "TN"]
    assert copy.handling_code == "H3" and copy.restriction == "Not to be shared outside police"
    assert copy.review_date == review
    assert sorted(n.full_name for n in copy.names.all()) == [
        "-Ali Demo",
        "Leila Gharbi Demo",
        "ليلى الغربي",
    ]
    assert sorted((d.doc_type, d.number) for d in copy.documents.all()) == [
        ("national_id", "TN-55"),
        ("passport", "=1+1"),
    ]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (f"{HEADER}\nJosé Demo,,,,,,\n".encode("latin-1"), "not UTF-8"),
        (b"name,dob\nAli Demo,1990\n", "primary_name"),
        (b"primary_name,passport\nAli Demo,X1\n", "Not recognised: “passport”"),
        (b"primary_name\n=HYPERLINK(\"http://x\")\n", "Line 2, column “primary_name”: holds a formula"),
        (b"primary_name,aliases\nAli Demo,@SUM(A1)\n", "column “aliases”: holds a formula"),
        (b"primary_name,date_of_birth\nAli Demo\n", "Line 2: 1 columns"),
        (b"primary_name,date_of_birth\nAli Demo,soon\n", "column “date_of_birth”: unreadable date"),
        (b"primary_name,nationalities\nAli Demo,ZZ\n", "unknown country code"),
        (b"primary_name,documents\nAli Demo,AB123\n", "type:number:country"),
        (b"primary_name,category\nAli Demo,villain\n", "unknown category"),
        (b"primary_name,sex\nAli Demo,X\n", "column “sex”"),
        (b"primary_name,handling_code\nAli Demo,H3\n", "Line 2, restriction: State the restriction"),
        (b"primary_name,review_date\nAli Demo,2001-01-01\n", "Line 2, review_date: The review date must be in the future"),
        (b"primary_name,aliases\n,Ali Demo\n", "needs its primary name"),
        (b"primary_name\n", "no record"),
        (b"PK\x03\x04garbage", "save the sheet as CSV"),
        (b"primary_name\nAli\x00Demo\n", "binary data"),
    ],
)  # fmt: skip
def test_malformed_csv_import_names_the_problem_and_creates_nothing(
    payload, message, client, signed_in, focal_point_ma
):
    signed_in(focal_point_ma)
    response = _import_csv(client, payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PersonRecord.objects.exists()
    assert not AuditEvent.objects.filter(event_type="persons.records_imported").exists()


def test_csv_import_with_one_bad_row_imports_nothing_and_lists_the_errors(
    client, signed_in, focal_point_ma
):
    text = f"{HEADER}\n{GOOD_ROW}\nAli Demo,,1990-13,,,,\nSara Demo,,,XX,,,\n"
    signed_in(focal_point_ma)
    response = _import_csv(client, text)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Line 3, column “date_of_birth”" in body and "Line 4, column “nationalities”" in body
    assert "2 errors; nothing was imported" in body
    assert not PersonRecord.objects.exists()


def test_ten_megabytes_of_garbage_is_not_imported(client, signed_in, focal_point_ma):
    import os

    signed_in(focal_point_ma)
    response = _import_csv(client, os.urandom(10 * 1024 * 1024))
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()
    assert not PersonRecord.objects.exists()
