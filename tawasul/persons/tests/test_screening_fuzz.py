"""Property tests of the list-screening upload (issues 6 and 9): whatever bytes, CSV text or
workbook is uploaded, ``parse_upload`` returns the list or refuses it with a translated
ServiceError on the file field — never another exception — and a refused upload creates
nothing. The column mapping and the row queries accept whatever a parsed list holds."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.persons import matching, screening
from tawasul.persons.forms import MappingForm
from tawasul.persons.models import JobStatus, ScreeningJob
from tawasul.persons.services import MAPPED_FIELDS, screening_job_create, screening_job_queue

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FEW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- Strategies ---------------------------------------------------------------------------

MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\x1f\x8b", b"\xef\xbb\xbf"]
FILENAMES = ["list.csv", "list.xlsx", "LIST.XLS", "list.xlsm", "list.txt", "list", ""]
SPECIAL = [",", ";", "\t", "|", '"', "'", "\n", "\r", "\x00", "\ufeff", "\u2028", "\x85"]
FORMULAS = ["=1+1", "+A1", "-A1", "@SUM(A1)", '=HYPERLINK("http://x")', "-12.5", "+212 600", "\tx"]

any_bytes = st.builds(
    lambda magic, rest: magic + rest, st.sampled_from(MAGIC), st.binary(max_size=2048)
)
cell_text = st.one_of(
    st.text(max_size=12),
    st.text(st.sampled_from([*SPECIAL, "=", "+", "-", "@", " ", "a", "Z", "1", "é", "ا", "中"]), max_size=12),
    st.sampled_from(FORMULAS),
    st.integers(min_value=495, max_value=505).map(lambda n: "x" * n),
)  # fmt: skip
csv_line = st.builds(
    lambda cells, delimiter: delimiter.join(cells),
    st.lists(cell_text, max_size=6),
    st.sampled_from([",", ";", "\t", "|"]),
)
csv_text = st.builds(
    lambda lines, end: end.join(lines),
    st.lists(csv_line, max_size=6),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
csv_bytes = st.builds(
    lambda text, encoding: text.encode(encoding, errors="replace"),
    csv_text,
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]),
)

# Characters openpyxl refuses to write (XML 1.0 has no way to hold them).
_ILLEGAL_IN_XML = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)])
xml_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=_ILLEGAL_IN_XML), max_size=15)  # fmt: skip
xlsx_value = st.one_of(
    st.none(),
    xml_text,
    st.sampled_from(["=A1+1", "=1/0", "#N/A", "+A1", "@x", " ", "-12.5"]),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),  # noqa: DTZ001 - Excel has no zones
    st.times(),
    st.integers(min_value=495, max_value=505).map(lambda n: "y" * n),
)
xlsx_rows = st.lists(st.lists(xlsx_value, max_size=5), max_size=6)
sheet_title = st.text(st.sampled_from("abcXYZ 123éا"), min_size=1, max_size=10).filter(
    lambda t: t.strip() == t
)


def _workbook(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    import openpyxl  # type: ignore[import-untyped]

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


workbooks = st.lists(
    st.tuples(sheet_title, xlsx_rows), min_size=1, max_size=3, unique_by=lambda s: s[0].lower()
).map(_workbook)
wide_workbooks = st.integers(min_value=98, max_value=102).map(
    lambda n: _workbook([("Wide", [[f"c{i}" for i in range(n)], ["Ali Demo"]])])
)


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> bytes:
    """A real workbook, then truncated or with some bytes overwritten. (Positions are drawn
    before the length is known: openpyxl stamps the time in a workbook, so its size varies.)"""
    data = bytearray(draw(workbooks))
    position = st.integers(min_value=0, max_value=1 << 16)
    if draw(st.booleans()):
        return bytes(data[: 4 + draw(position) % len(data)])
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        data[draw(position) % len(data)] = draw(st.integers(0, 255))
    return bytes(data)


# --- Checks -------------------------------------------------------------------------------


def _parse(data: bytes, *, filename: str = "list.csv", sheet: str = "", size: int | None = None):
    """The parsed list, or the ServiceError refusing it (any other exception fails the test)."""
    try:
        parsed = screening.parse_upload(
            io.BytesIO(data), len(data) if size is None else size, filename=filename, sheet=sheet
        )
    except ServiceError as error:
        assert isinstance(error.message, str) and error.message.strip()
        assert error.field == "file"
        assert "Traceback" not in error.message
        event(f"refused: {error.message[:30]}")
        return error
    event("parsed")
    return parsed


def _check_parsed(parsed: screening.ParsedList) -> None:
    """What the mapping page and the worker rely on in a list the parser returned."""
    assert 1 <= len(parsed.header) <= screening.MAX_COLUMNS
    assert all(h and h == h.strip() and len(h) <= screening.MAX_CELL for h in parsed.header)
    assert len(set(parsed.header)) == len(parsed.header)
    assert parsed.delimiter in (",", ";", "\t")
    assert 1 <= parsed.rows <= screening.max_rows()
    job = ScreeningJob(source_text=parsed.text, delimiter=parsed.delimiter)
    rows = list(screening.iter_rows(job))
    assert len(rows) == parsed.rows
    assert all(len(row) == len(parsed.header) for _n, row in rows)
    assert all(len(cell) <= screening.MAX_CELL for _n, row in rows for cell in row)


# --- Properties of the parser (no database) -----------------------------------------------


@FUZZ
@given(any_bytes, st.sampled_from(FILENAMES), st.one_of(st.just(""), xml_text))
def test_any_bytes_are_parsed_or_refused_with_a_message(data, filename, sheet):
    result = _parse(data, filename=filename, sheet=sheet)
    if isinstance(result, screening.ParsedList):
        _check_parsed(result)


@FUZZ
@given(csv_bytes, st.sampled_from(["list.csv", "list.txt", ""]))
def test_any_csv_text_is_parsed_or_refused_with_a_message(data, filename):
    result = _parse(data, filename=filename)
    if isinstance(result, screening.ParsedList):
        _check_parsed(result)
        assert "\x00" not in result.text
        cells = [
            c
            for row in csv.reader(io.StringIO(result.text), delimiter=result.delimiter)
            for c in row
        ]
        assert not any(screening.is_formula(c) for c in cells)


header_cell = st.text(st.sampled_from("abcxyz ABC_019éاسم"), min_size=1, max_size=20).filter(
    str.strip
)
plain_cell = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40).filter(
    lambda c: not screening.is_formula(c)
)  # fmt: skip


@st.composite
def well_formed_lists(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = draw(st.lists(header_cell, min_size=1, max_size=5, unique_by=str.strip))
    rows = draw(
        st.lists(st.lists(plain_cell, min_size=len(header), max_size=len(header)), max_size=8)
    )
    return header, rows


@FUZZ
@given(well_formed_lists(), st.booleans())
def test_a_well_formed_csv_list_is_read_back_cell_for_cell(table, bom):
    """Any text a spreadsheet writes as CSV (quotes, newlines in cells, any script) is read
    back as written; only blank rows are skipped. Refusing it is a bug."""
    header, rows = table
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    data = out.getvalue().encode("utf-8-sig" if bom else "utf-8")
    kept = [row for row in rows if any(c.strip() for c in row)]
    result = _parse(data)
    if not kept:
        assert isinstance(result, ServiceError) and "no rows" in result.message
        return
    assert isinstance(result, screening.ParsedList), result.message
    _check_parsed(result)
    assert result.header == [h.strip() for h in header]
    assert result.rows == len(kept)
    job = ScreeningJob(source_text=result.text, delimiter=result.delimiter)
    assert [row for _n, row in screening.iter_rows(job)] == kept


@FUZZ
@given(
    st.one_of(workbooks, wide_workbooks), st.one_of(st.just(""), st.just(""), sheet_title, xml_text)
)
def test_any_small_workbook_is_parsed_or_refused_with_a_message(data, sheet):
    result = _parse(data, filename="list.xlsx", sheet=sheet)
    if isinstance(result, screening.ParsedList):
        _check_parsed(result)
        assert result.delimiter == ","


@FUZZ
@given(damaged_workbooks(), st.sampled_from(["list.xlsx", "list.csv"]))
def test_a_damaged_workbook_is_parsed_or_refused_with_a_message(data, filename):
    result = _parse(data, filename=filename)
    if isinstance(result, screening.ParsedList):
        _check_parsed(result)


@FUZZ
@given(any_bytes, st.integers(min_value=-1, max_value=2**40))
def test_a_false_declared_size_is_refused_or_ignored(data, size):
    """The size the client declares is a hint: too large refuses; anything else reads the
    bytes themselves."""
    result = _parse(data, size=size)
    if size > screening.max_bytes():
        assert isinstance(result, ServiceError) and "larger than" in result.message


# --- The column mapping and the row queries --------------------------------------------------

FACTS = [
    matching.RecordFacts(
        pk=1,
        names=["Mohamed Abderrahmane Zahrani", "محمد عبد الرحمن الزهراني"],
        birth_year=1988,
        birth_month=3,
        birth_day=14,
        nationalities=["MA"],
        sex="M",
        documents={"AB1234567"},
    ),
    matching.RecordFacts(
        pk=2, names=["Leila Gharbi"], birth_year=None, birth_month=None, birth_day=None,
        nationalities=[], sex="",
    ),
]  # fmt: skip
mapping_strategy = st.dictionaries(
    st.sampled_from([*MAPPED_FIELDS, "bogus"]),
    st.one_of(st.none(), st.integers(min_value=-2, max_value=7)),
    max_size=6,
)


# A mapping as ``screening_job_queue`` stores it: known fields, columns from 0 (the next test
# shows that anything else is refused).
stored_mapping = st.dictionaries(
    st.sampled_from(MAPPED_FIELDS), st.integers(min_value=0, max_value=7), max_size=5
)


@FUZZ
@given(st.lists(cell_text, max_size=7), stored_mapping)
def test_any_row_and_stored_mapping_give_a_query_the_matcher_answers(row, mapping):
    query = screening.row_query(row, mapping)
    assert len(query.name) <= 200 and len(query.nationality) <= 2 and len(query.document) <= 40
    assert query.sex in ("", "F", "M")
    if query.birth_year is None:
        assert query.birth_month is None and query.birth_day is None
    results = screening.Matcher(FACTS).match(query)
    assert all(r.record_id in (1, 2) for r in results)


@pytest.mark.django_db
@FEW
@given(well_formed_lists(), mapping_strategy)
def test_any_column_mapping_is_queued_or_refused_and_a_refusal_changes_nothing(
    focal_point_ma, table, mapping
):
    header, rows = table
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows, ["Ali Demo"] * len(header)])
    parsed = screening.parse_upload(io.BytesIO(out.getvalue().encode()), len(out.getvalue()))
    form = MappingForm(header=parsed.header)
    for field in MAPPED_FIELDS:
        guess = form.fields[field].initial
        assert guess == "" or 0 <= int(guess) < len(parsed.header)
    job = screening_job_create(
        actor=focal_point_ma,
        filename="list.csv",
        header=parsed.header,
        text=parsed.text,
        delimiter=parsed.delimiter,
        rows=parsed.rows,
    )
    queued_before = AuditEvent.objects.filter(event_type="persons.screening_queued").count()
    try:
        screening_job_queue(actor=focal_point_ma, job=job, mapping=mapping)
    except ServiceError as error:
        assert error.message
        job.refresh_from_db()
        assert job.status == JobStatus.MAPPING and job.mapping in ({}, None)
        after = AuditEvent.objects.filter(event_type="persons.screening_queued").count()
        assert after == queued_before
        return
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.mapping["name"] == mapping["name"]
    assert all(0 <= column < len(job.header) for column in job.mapping.values())
    matcher = screening.Matcher(FACTS)
    for _n, row in screening.iter_rows(job):
        matcher.match(screening.row_query(row, job.mapping))


# --- Through the page: a refusal is shown and creates nothing ------------------------------


@pytest.mark.django_db
@FEW
@given(
    st.one_of(any_bytes, csv_bytes, workbooks, damaged_workbooks()),
    st.sampled_from(["list.csv", "list.xlsx", "list"]),
)
def test_any_upload_creates_one_list_or_shows_why_it_was_refused(
    client, signed_in, focal_point_ma, data, filename
):
    signed_in(focal_point_ma)
    before = ScreeningJob.objects.count()
    events = AuditEvent.objects.filter(event_type="persons.screening_uploaded").count()
    response = client.post(
        reverse("persons:screening"),
        {"file": SimpleUploadedFile(filename, data, "application/octet-stream")},
    )
    if response.status_code == 302:
        assert ScreeningJob.objects.count() == before + 1
        return
    assert response.status_code == 400
    errors = response.context["form"].errors.get("file")
    assert errors, response.context["form"].errors
    assert escape(errors[0]) in response.content.decode()
    assert ScreeningJob.objects.count() == before
    assert AuditEvent.objects.filter(event_type="persons.screening_uploaded").count() == events


@pytest.mark.parametrize("line_end", ["\r", "\n", "\r\n"])
def test_a_list_with_any_line_end_is_read_row_for_row(line_end):
    """A spreadsheet on an old Mac ends lines with CR alone: read, not refused in the csv
    module's own untranslated words."""
    text = line_end.join(["name;date_of_birth", "Karim Benali;1990", "Amina Saidi;1985", ""])
    parsed = screening.parse_upload(io.BytesIO(text.encode()), len(text))
    assert parsed.header == ["name", "date_of_birth"]
    assert parsed.rows == 2
    assert parsed.delimiter == ";"
