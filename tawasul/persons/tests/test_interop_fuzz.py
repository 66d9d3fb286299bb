"""Property tests of the record import (issues 6 and 9): any CSV or FollowTheMoney ``Person``
JSON is imported or refused with a translated ServiceError on the file field — never another
exception — and a refused import leaves the record count as it was. What is imported fits the
database (PostgreSQL refuses NUL characters, lone surrogates and over-long values)."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.db import models
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.persons import interop
from tawasul.persons.models import Category, PersonRecord
from tawasul.persons.services import person_records_import

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FEW = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf", b"[", b"{", b"primary_name\n"]
any_bytes = st.builds(lambda magic, rest: magic + rest, st.sampled_from(MAGIC), st.binary(max_size=2048))  # fmt: skip
# Any text, with a bias to what breaks parsers: separators, quotes, NUL, BOM, line breaks.
odd = st.sampled_from([",", ";", "\t", '"', "|", ":", "\n", "\r", "\x00", "\ufeff", "\u2028", "\x85", " "])  # fmt: skip
any_text = st.text(st.one_of(st.characters(), odd), max_size=20)


def _refusal(error: ServiceError) -> None:
    assert isinstance(error.message, str) and error.message.strip()
    assert error.field == "file"
    event(f"refused: {error.message[:30]}")


def _parse(parse, data: bytes):
    """The people read, or the ServiceError refusing the file (anything else fails)."""
    try:
        people = parse(data)
    except ServiceError as error:
        _refusal(error)
        return error
    assert people and len(people) <= interop.MAX_IMPORT_ENTITIES
    event("parsed")
    return people


def _fits_the_database(record: PersonRecord) -> None:
    """Every text of the record fits its column, with no character PostgreSQL refuses."""
    objects = [record, *record.names.all(), *record.documents.all()]
    for obj in objects:
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            texts = value if isinstance(value, list) else [value]
            for text in texts:
                if not isinstance(text, str):
                    continue
                if isinstance(field, models.CharField) and field.max_length:
                    assert len(text) <= field.max_length, (field.name, len(text))
                assert "\x00" not in text, field.name
                text.encode("utf-8")  # no lone surrogate


def _import_or_refuse(actor, people) -> None:
    """Import parsed people: all are created, or none and the refusal says why."""
    before = PersonRecord.objects.count()
    imports = AuditEvent.objects.filter(event_type="persons.records_imported").count()
    try:
        created = person_records_import(
            actor=actor,
            people=people,
            category=Category.WANTED,
            legal_basis="Arrest warrant (fictional)",
            source="fuzz",
        )
    except ServiceError as error:
        _refusal(error)
        assert PersonRecord.objects.count() == before
        after = AuditEvent.objects.filter(event_type="persons.records_imported").count()
        assert after == imports
        return
    event("imported")
    assert len(created) == len(people)
    assert PersonRecord.objects.count() == before + len(people)
    for record, person in zip(created, people, strict=True):
        record.refresh_from_db()
        assert record.primary_name == person.names[0].full_name
        _fits_the_database(record)


# --- CSV ----------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(any_bytes, any_text.map(lambda t: t.encode("utf-8", errors="replace"))))
def test_any_bytes_given_as_csv_are_read_or_refused_with_a_message(data):
    _parse(interop.parse_records_csv, data)


def _future(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# Per column: values that are right, nearly right and wrong.
CELLS = {
    "reference": any_text,
    "primary_name": st.one_of(
        st.sampled_from(["Hamza Belkacem Demo", "حمزة بلقاسم", "'=Ali", "=1+1", "-Ali", "123", ""]),
        any_text,
        st.integers(min_value=195, max_value=205).map(lambda n: "Ali " + "x" * n),
    ),
    "aliases": st.one_of(st.sampled_from(["Abu Yahya | أبو يحيى", "|", " | x"]), any_text),
    "category": st.one_of(st.sampled_from([*Category.values, "FTF", "villain"]), any_text),
    "date_of_birth": st.one_of(
        st.sampled_from(
            [
                "1984",
                "1984-06",
                "1984-06-21",
                "21/06/1984",
                "1899",
                "2999",
                "0000",
                "1984-02-30",
                "١٩٨٤",
                "1984-13",
                "soon",
            ]
        ),
        any_text,
    ),
    "place_of_birth": st.one_of(any_text, st.integers(195, 2000).map(lambda n: "p" * n)),
    "nationalities": st.one_of(st.sampled_from(["MA", "ma tn", "MA,FR", "ZZ", "ß"]), any_text),
    "sex": st.one_of(st.sampled_from(["F", "m", "U", "X", ""]), any_text),
    "documents": st.one_of(
        st.sampled_from(
            [
                "passport:AB123:MA",
                "passport:AB123",
                "national_id:TN-55:",
                "passport:::",
                "a:b:c:d",
                "passport:—:MA",
                "other:x:ZZ",
                "passport:" + "9" * 50 + ":MA",
            ]
        ),
        any_text,
    ),
    "interpol_notice": st.one_of(any_text, st.integers(35, 2000).map(lambda n: "A" * n)),
    "handling_code": st.one_of(st.sampled_from(["H0", "h1", "H3", "H9", ""]), any_text),
    "review_date": st.one_of(
        st.sampled_from(["2001-01-01", "9999-12-31", "20300621", "2030-6-1", ""]),
        st.integers(min_value=-5, max_value=3000).map(_future),
        any_text,
    ),
    "restriction": st.one_of(
        st.sampled_from(["Not to be shared outside police", ""]),
        any_text,
        st.integers(min_value=495, max_value=2000).map(lambda n: "r" * n),
    ),
}


@st.composite
def csv_imports(draw: st.DrawFn) -> bytes:
    columns = draw(
        st.lists(st.sampled_from(sorted(CELLS)), min_size=1, max_size=6, unique=True).map(
            lambda c: c if "primary_name" in c else ["primary_name", *c]
        )
    )
    rows = draw(
        st.lists(st.fixed_dictionaries({c: CELLS[c] for c in columns}), min_size=1, max_size=4)
    )
    out = io.StringIO()
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows([row[c] for c in columns] for row in rows)
    return out.getvalue().encode("utf-8", errors="replace")


@pytest.mark.django_db
@FEW
@given(csv_imports())
@example(b"primary_name,handling_code,restriction\nAli Demo,H3," + b"r" * 501 + b"\n")
def test_any_csv_in_the_export_columns_is_imported_or_refused_and_a_refusal_creates_nothing(
    focal_point_ma, data
):
    people = _parse(interop.parse_records_csv, data)
    if not isinstance(people, ServiceError):
        _import_or_refuse(focal_point_ma, people)


# --- FollowTheMoney JSON --------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(st.one_of(any_bytes, json_values.map(lambda v: json.dumps(v).encode())))
@example(b"[" * 100_000)  # nested beyond Python's recursion limit
@example(b'{"schema": "Person", "n": ' + b"1" * 5000 + b"}")  # beyond int()'s digit limit
def test_any_bytes_or_json_given_as_ftm_are_read_or_refused_with_a_message(data):
    _parse(interop.parse_ftm, data)


PROPERTIES = ["name", "alias", "weakAlias", "previousName", "birthDate", "birthPlace",
              "nationality", "gender", "passportNumber", "idNumber", "topics", "notes"]  # fmt: skip
# Strings as a JSON file may hold them: escapes give NUL, control characters, lone surrogates.
json_string = st.one_of(
    any_text,
    st.text(st.characters(codec=None), max_size=10),
    st.sampled_from(["Hamza Belkacem Demo", "1991-11", "dz", "male", "DZ7654321", "1991-11-31",
                     "A\x00B", "\ud800", "Ali \udfff Demo", "x" * 201]),
)  # fmt: skip
property_value = st.one_of(st.lists(json_string, max_size=3), json_values)
entities = st.fixed_dictionaries(
    {"schema": st.sampled_from(["Person", "Person", "Person", "Company", None])},
    optional={
        "id": any_text,
        "properties": st.one_of(
            st.fixed_dictionaries(
                {"name": st.lists(json_string, min_size=1, max_size=2)},
                optional=dict.fromkeys(PROPERTIES[1:], property_value),
            ),
            st.dictionaries(st.sampled_from(PROPERTIES), property_value, max_size=6),
            json_values,
        ),
    },
)
ftm_files = st.builds(
    lambda items, as_array, ascii_only: (
        json.dumps(items, ensure_ascii=ascii_only)
        if as_array
        else "\n".join(json.dumps(e, ensure_ascii=ascii_only) for e in items)
    ).encode("utf-8", errors="replace"),
    st.lists(entities, min_size=0, max_size=3),
    st.booleans(),
    st.booleans(),
)


@pytest.mark.django_db
@FEW
@given(ftm_files)
@example(b'{"schema": "Person", "properties": {"name": ["Ali\\u0000 Demo"]}}')
@example(b'{"schema": "Person", "properties": {"name": ["Ali \\ud800 Demo"]}}')
def test_any_ftm_person_file_is_imported_or_refused_and_a_refusal_creates_nothing(
    focal_point_ma, data
):
    people = _parse(interop.parse_ftm, data)
    if not isinstance(people, ServiceError):
        _import_or_refuse(focal_point_ma, people)


person_name = st.text(st.one_of(st.characters(codec="utf-8"), odd), max_size=25).filter(
    lambda n: " ".join(n.split()) and "\x00" not in n
)


@FUZZ
@given(st.lists(person_name, min_size=1, max_size=4), st.booleans())
@example(["Ali\u2028Demo"], False)
def test_person_entities_written_as_json_lines_are_read_one_person_each(names, ascii_only):
    """However its names are spelt, a JSON-lines file (one entity per line, as ``ftm`` and the
    export write it) is read one person per line, names as written up to spacing."""
    lines = [
        json.dumps({"schema": "Person", "properties": {"name": [n]}}, ensure_ascii=ascii_only)
        for n in names
    ]
    people = interop.parse_ftm("\n".join(lines).encode())
    assert [p.names[0].full_name for p in people] == [" ".join(n.split()) for n in names]


@pytest.mark.parametrize("line_end", ["\r", "\n", "\r\n"])
def test_records_with_any_line_end_are_read_one_per_line(line_end):
    text = line_end.join(["primary_name,category", "Karim Benali,suspect", "Amina Saidi,ftf", ""])
    people = interop.parse_records_csv(text.encode())
    assert [(p.category, len(p.names)) for p in people] == [("suspect", 1), ("ftf", 1)]
