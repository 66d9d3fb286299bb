"""List screening: validation that creates nothing on bad input, the column mapping, the
background worker, progress, results and a formula-safe export."""

from __future__ import annotations

import csv
import io
import os
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tawasul.audit.models import AuditEvent
from tawasul.persons.models import Hit, HitSource, JobStatus, ScreeningJob
from tawasul.persons.screening import export_rows, is_formula, neutralise
from tawasul.persons.tests.factories import make_record

pytestmark = pytest.mark.django_db

GOOD = (
    b"passenger,birth,passport,nationality\n"
    b"Mohamed Abderrahmane Zahrani,1988-03-14,,MA\n"
    b"Claire Martin,1975,,FR\n"
    b"Karim Nobody,1990,ZZ0000001,TN\n"
)


def _upload(client, data: bytes, name="manifest.csv"):
    return client.post(
        reverse("persons:screening"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("name,dob\nJosé,1990\n".encode("latin-1"), "not UTF-8"),
        (b"name,dob\nAli Demo\n", "has 1 columns"),
        (b"name,dob\nAli Demo,1990,extra\n", "has 3 columns"),
        (b'name,dob\n=HYPERLINK("http://x"),1990\n', "formula"),
        (b"name,dob\n@SUM(A1),1990\n", "formula"),
        (b"name,dob\n+cmd|' /C calc'!A0,1990\n", "formula"),
        (b"PK\x03\x04rest-of-a-zip", "damaged zip"),
        (b"%PDF-1.7 not a list", "not a CSV file"),
        (b"name,,dob\nA,B,C\n", "needs a name"),
        (b"name\n", "no rows"),
        (b"", "empty"),
    ],
)
def test_malformed_upload_gives_a_clear_error_and_creates_nothing(
    data, message, client, signed_in, focal_point_ma
):
    signed_in(focal_point_ma)
    response = _upload(client, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScreeningJob.objects.exists()


def test_ten_megabytes_of_garbage_is_refused(client, signed_in, focal_point_ma, settings):
    signed_in(focal_point_ma)
    # Seeded, and starting with a NUL byte: the same refusal every run.
    garbage = b"\x00" + random.Random(10).randbytes(10 * 1024 * 1024 - 1)
    response = _upload(client, garbage)
    assert response.status_code == 400
    assert "This is not a CSV file (it contains binary data)." in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not ScreeningJob.objects.exists()
    too_big = _upload(client, b"a" * (10 * 1024 * 1024 + 1))
    assert too_big.status_code == 400
    assert "larger than 10 MB" in too_big.content.decode()
    assert not ScreeningJob.objects.exists()
    assert not AuditEvent.objects.filter(event_type="persons.screening_uploaded").exists()


def test_signed_numbers_are_not_formulas():
    assert not is_formula("-12.5")
    assert not is_formula("+212 600 000")
    assert is_formula("-1+A1")
    assert is_formula("=1")


def test_export_neutralises_formulas():
    text = export_rows([["=1+1", "+A1", "-A1", "@SUM(A1)", "\tx", "\rx", "plain", 3]])
    row = next(csv.reader(io.StringIO(text)))
    assert row == ["'=1+1", "'+A1", "'-A1", "'@SUM(A1)", "'\tx", "'\rx", "plain", "3"]
    assert neutralise(None) == ""


def _mapped_job(client, focal_point_ma):
    response = _upload(client, GOOD)
    assert response.status_code == 302
    job = ScreeningJob.objects.get()
    assert job.status == JobStatus.MAPPING and job.total_rows == 3
    return job


def test_upload_map_run_review_export(client, signed_in, focal_point_ma, focal_point_tn):
    record = make_record(
        focal_point_tn, documents=(("passport", "ZZ0000001", "TN"),), name="Karim Haddad Belkacem"
    )
    own = make_record(focal_point_ma)
    signed_in(focal_point_ma)
    job = _mapped_job(client, focal_point_ma)
    page = client.get(reverse("persons:screening_map", args=[job.pk]))
    assert page.context["form"]["name"].initial == "0"
    response = client.post(
        reverse("persons:screening_map", args=[job.pk]),
        {"name": "0", "date_of_birth": "1", "document": "2", "nationality": "3", "sex": ""},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    progress = client.get(reverse("persons:screening_progress", args=[job.pk]))
    assert b"hx-get" in progress.content and b"<progress" in progress.content

    call_command("screening_worker", "--once")

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.processed_rows == 3
    assert job.source_text == ""
    hits = {(h.row_number, h.record_id) for h in Hit.objects.filter(job=job)}
    assert hits == {(1, own.pk), (3, record.pk)}
    assert all(h.source == HitSource.SCREENING for h in Hit.objects.all())
    assert AuditEvent.objects.filter(event_type="persons.hit").count() == 2
    assert AuditEvent.objects.filter(event_type="persons.screening_completed").exists()

    done = client.get(reverse("persons:screening_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    results = client.get(reverse("persons:screening_job", args=[job.pk]))
    foreign = next(r for r in results.context["rows"] if r["hit"].record_id == record.pk)
    assert "documents" not in foreign["answer"]

    export = client.get(reverse("persons:screening_export", args=[job.pk]))
    assert export["Content-Disposition"].startswith("attachment")
    assert export["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert "ZZ0000001" not in export.content.decode()


def test_mapping_without_name_column_is_refused(client, signed_in, focal_point_ma):
    signed_in(focal_point_ma)
    job = _mapped_job(client, focal_point_ma)
    response = client.post(reverse("persons:screening_map", args=[job.pk]), {"name": ""})
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.MAPPING


def test_export_of_a_formula_name_is_neutralised(client, signed_in, focal_point_ma):
    from tawasul.persons.services import screening_job_create, screening_job_queue

    make_record(focal_point_ma, name="Mohamed Zahrani")
    job = screening_job_create(
        actor=focal_point_ma,
        filename="x.csv",
        header=["name"],
        text="name\n=Mohamed Zahrani\n",
        delimiter=",",
        rows=1,
    )
    screening_job_queue(actor=focal_point_ma, job=job, mapping={"name": 0})
    call_command("screening_worker", "--once")
    signed_in(focal_point_ma)
    export = client.get(reverse("persons:screening_export", args=[job.pk]))
    assert "'=Mohamed Zahrani" in export.content.decode("utf-8-sig")


def test_another_user_cannot_see_the_job(client, signed_in, focal_point_ma, make_user):
    from tawasul.core.roles import Role

    signed_in(focal_point_ma)
    job = _mapped_job(client, focal_point_ma)
    colleague = make_user(username="fp2.ma", country="MA", roles=[Role.FOCAL_POINT])
    signed_in(colleague)
    assert client.get(reverse("persons:screening_job", args=[job.pk])).status_code == 404


def test_worker_marks_a_job_failed_when_its_owner_lost_the_right(focal_point_ma):
    from tawasul.accounts.models import UserRole
    from tawasul.persons.services import screening_job_create, screening_job_queue

    job = screening_job_create(
        actor=focal_point_ma,
        filename="x.csv",
        header=["name"],
        text="name\nAli\n",
        delimiter=",",
        rows=1,
    )
    screening_job_queue(actor=focal_point_ma, job=job, mapping={"name": 0})
    UserRole.objects.filter(user=focal_point_ma).delete()
    call_command("screening_worker", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.source_text == ""


def test_unmapped_list_is_erased_after_a_day(focal_point_ma):
    import datetime

    import time_machine

    from tawasul.persons.services import screening_job_create

    with time_machine.travel(datetime.datetime(2026, 5, 1, 8, tzinfo=datetime.UTC)):
        job = screening_job_create(
            actor=focal_point_ma,
            filename="x.csv",
            header=["name"],
            text="name\nAli\n",
            delimiter=",",
            rows=1,
        )
    with time_machine.travel(datetime.datetime(2026, 5, 2, 9, tzinfo=datetime.UTC)):
        call_command("screening_worker", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.source_text == ""


# --- XLSX -------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _xlsx(rows, *, title="Sheet", more=()) -> bytes:
    """A workbook built with openpyxl; ``more`` adds (title, rows) sheets after the first."""
    import openpyxl  # type: ignore[import-untyped]

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for other_title, _rows in more:
        workbook.create_sheet(other_title)
    for ws, content in zip(workbook.worksheets, [rows, *[r for _t, r in more]], strict=True):
        for row in content:
            ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rezip(data: bytes, *, replace=None, add=None) -> bytes:
    """The same package with some parts rewritten (``replace``: name -> function of the old
    bytes) or added."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if replace and info.filename in replace:
                content = replace[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _part(data: bytes, name: str) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def _upload_xlsx(client, data: bytes, name="manifest.xlsx", sheet=""):
    return client.post(
        reverse("persons:screening"),
        {"file": SimpleUploadedFile(name, data, XLSX_TYPE), "sheet": sheet},
    )


def test_xlsx_upload_is_read_as_its_cell_values(client, signed_in, focal_point_ma):
    import datetime

    data = _xlsx(
        [
            ["passenger", "birth", "passport", None],
            ["Mohamed Abderrahmane Zahrani", datetime.date(1988, 3, 14), 12345678],
            ["Claire Martin", 1975.0, None],
            [None, None, None],
            ["Karim Nobody", "1990", "ZZ0000001"],
        ]
    )
    signed_in(focal_point_ma)
    response = _upload_xlsx(client, data)
    assert response.status_code == 302
    job = ScreeningJob.objects.get()
    assert job.header == ["passenger", "birth", "passport"]
    assert job.total_rows == 3 and job.status == JobStatus.MAPPING
    rows = list(csv.reader(io.StringIO(job.source_text)))
    assert rows[1] == ["Mohamed Abderrahmane Zahrani", "1988-03-14", "12345678"]
    assert rows[2] == ["Claire Martin", "1975", ""]
    assert AuditEvent.objects.filter(event_type="persons.screening_uploaded").count() == 1


def test_xlsx_list_is_screened_like_a_csv_list(client, signed_in, focal_point_ma, focal_point_tn):
    record = make_record(
        focal_point_tn, documents=(("passport", "ZZ0000001", "TN"),), name="Karim Haddad Belkacem"
    )
    signed_in(focal_point_ma)
    _upload_xlsx(client, _xlsx([["name", "passport"], ["Karim Nobody", "ZZ0000001"]]))
    job = ScreeningJob.objects.get()
    client.post(reverse("persons:screening_map", args=[job.pk]), {"name": "0", "document": "1"})
    call_command("screening_worker", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert [(h.row_number, h.record_id) for h in Hit.objects.filter(job=job)] == [(1, record.pk)]


def test_xlsx_formulas_are_never_run(client, signed_in, focal_point_ma):
    """A formula cell gives the value Excel cached (or nothing); a text cell starting with =
    is text, kept as such (and neutralised on export)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["name", "note"])
    ws.append(["Ali Demo", "=1+1"])  # openpyxl writes this as a formula with no cached value
    text = ws.cell(row=3, column=1)
    text.value = '=HYPERLINK("http://x","Ali")'
    text.data_type = "s"  # a text cell, as Excel stores a cell typed '=...
    ws.cell(row=3, column=2).value = "CACHED-ME"
    out = io.BytesIO()
    workbook.save(out)
    # Excel's form of a formula with its cached result: <f>…</f><v>…</v>.
    data = _rezip(
        out.getvalue(),
        replace={
            "xl/worksheets/sheet1.xml": lambda xml: xml.replace(
                b'<c r="B3" t="inlineStr"><is><t>CACHED-ME</t></is></c>',
                b'<c r="B3" t="str"><f>CONCAT("Belk","acem")</f><v>Belkacem</v></c>',
            )
        },
    )
    assert b"<f>CONCAT" in _part(data, "xl/worksheets/sheet1.xml")  # the rewrite took place
    signed_in(focal_point_ma)
    assert _upload_xlsx(client, data).status_code == 302
    rows = list(csv.reader(io.StringIO(ScreeningJob.objects.get().source_text)))
    assert rows[1] == ["Ali Demo", ""]
    assert rows[2] == ['=HYPERLINK("http://x","Ali")', "Belkacem"]


def test_xlsx_sheet_can_be_chosen(client, signed_in, focal_point_ma):
    data = _xlsx([["cover"], ["nothing here"]], more=[("Manifest", [["name"], ["A"], ["B"]])])
    signed_in(focal_point_ma)
    unknown = _upload_xlsx(client, data, sheet="Passengers")
    assert unknown.status_code == 400
    assert "Sheet, Manifest" in unknown.content.decode()
    assert _upload_xlsx(client, data, sheet="Manifest").status_code == 302
    job = ScreeningJob.objects.get()
    assert job.header == ["name"] and job.total_rows == 2


def _macro_types(xml: bytes) -> bytes:
    return xml.replace(MAIN_TYPE.encode(), MACRO_TYPE.encode())


@pytest.mark.parametrize(
    ("build", "message"),
    [
        # Garbage under an Excel name.
        (lambda: os.urandom(4096), "named as an Excel workbook"),
        (lambda: b"PK\x03\x04rest-of-a-zip", "damaged zip"),
        # A zip that is no workbook, whatever its name.
        (lambda: _rezip(_xlsx([["name"], ["A"]]), replace={"[Content_Types].xml": lambda x: b"<x/>"}), "not an XLSX"),
        # Macro-enabled: by content type, and by a VBA project in the package.
        (lambda: _rezip(_xlsx([["name"], ["A"]]), replace={"[Content_Types].xml": _macro_types}), "macros"),
        (lambda: _rezip(_xlsx([["name"], ["A"]]), add={"xl/vbaProject.bin": b"\x00" * 64}), "macros"),
        # OLE2 container: an old .xls or an encrypted workbook.
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
        (lambda: _xlsx([["name", *[f"c{i}" for i in range(100)]], ["A"]]), "at most 100"),
        (lambda: _xlsx([["name", "name"], ["A", "B"]]), "same name"),
        (lambda: _xlsx([["name"], ["x" * 501]]), "longer than 500"),
        (lambda: _xlsx([["name"], ["A", "extra"]]), "Row 2 has 2 columns"),
        (lambda: _xlsx([["name"]]), "no rows"),
        (lambda: _xlsx([]), "empty"),
    ],
)  # fmt: skip
def test_malformed_xlsx_gives_a_clear_error_and_creates_nothing(
    build, message, client, signed_in, focal_point_ma
):
    signed_in(focal_point_ma)
    response = _upload_xlsx(client, build())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScreeningJob.objects.exists()


def test_xlsx_unpacking_far_beyond_the_limit_is_refused(
    client, signed_in, focal_point_ma, settings
):
    settings.PERSONS_SCREENING_MAX_MB = 1
    # 11 MB of zeros pack into a few kilobytes: a small zip bomb.
    bomb = _rezip(_xlsx([["name"], ["A"]]), add={"xl/media/blank.bin": b"\x00" * (11 << 20)})
    assert len(bomb) < 100_000
    signed_in(focal_point_ma)
    response = _upload_xlsx(client, bomb)
    assert response.status_code == 400
    assert "unpacks to more than 10 MB" in response.content.decode()
    too_big = _upload_xlsx(client, os.urandom((1 << 20) + 1))
    assert "larger than 1 MB" in too_big.content.decode()
    assert not ScreeningJob.objects.exists()


def test_xlsx_row_limit(client, signed_in, focal_point_ma, settings):
    settings.PERSONS_SCREENING_MAX_ROWS = 3
    signed_in(focal_point_ma)
    response = _upload_xlsx(client, _xlsx([["name"], ["A"], ["B"], ["C"], ["D"]]))
    assert "more than 3 rows" in response.content.decode()
    assert not ScreeningJob.objects.exists()


def test_xlsx_with_a_false_dimension_reads_the_cells_present(client, signed_in, focal_point_ma):
    """A sheet claiming A1:XFD1048576 is read by its cells, not padded to 16,384 columns."""
    data = _rezip(
        _xlsx([["name"], ["Ali Demo"]]),
        replace={
            "xl/worksheets/sheet1.xml": lambda xml: xml.replace(
                b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>'
            )
        },
    )
    assert b"XFD1048576" in _part(data, "xl/worksheets/sheet1.xml")
    signed_in(focal_point_ma)
    assert _upload_xlsx(client, data).status_code == 302
    assert ScreeningJob.objects.get().total_rows == 1


# --- Running a long list ----------------------------------------------------------------


def _screened_hits(owner, text: str, rows: int) -> set[tuple[int | None, int, float]]:
    from tawasul.persons.services import screening_job_create, screening_job_queue

    job = screening_job_create(
        actor=owner, filename="long.csv", header=["name", "passport"], text=text, delimiter=",",
        rows=rows,
    )  # fmt: skip
    screening_job_queue(actor=owner, job=job, mapping={"name": 0, "document": 1})
    call_command("screening_worker", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.processed_rows == rows
    return {(h.row_number, h.record_id, round(h.score, 6)) for h in Hit.objects.filter(job=job)}


def test_a_long_list_is_screened_in_several_processes_with_the_same_hits(
    focal_point_ma, focal_point_tn, settings, monkeypatch
):
    from tawasul.persons import screening

    karim = make_record(
        focal_point_tn, name="Karim Haddad Belkacem", documents=(("passport", "ZZ0000001", "TN"),)
    )
    own = make_record(focal_point_ma)
    names = ["Claire Martin", "Mohamed Abderrahmane Zahrani", "Karim Nobody", "Jean Dupont"]
    lines = ["name,passport"]
    for i in range(40):
        lines.append(f"{names[i % 4]},{'ZZ0000001' if i % 4 == 2 else ''}")
    text = "\n".join(lines) + "\n"

    settings.PERSONS_SCREENING_PROCESSES = 1
    serial = _screened_hits(focal_point_ma, text, 40)
    assert {(row, pk) for row, pk, _score in serial} == {
        *((i + 1, own.pk) for i in range(1, 40, 4)),
        *((i + 1, karim.pk) for i in range(2, 40, 4)),
    }

    forked = []
    original = screening._screen_parallel
    monkeypatch.setattr(screening, "CHUNK_ROWS", 6)
    monkeypatch.setattr(
        screening,
        "_screen_parallel",
        lambda job, matcher, rows, workers: (
            forked.append(workers) or original(job, matcher, rows, workers)
        ),
    )
    settings.PERSONS_SCREENING_PROCESSES = 2
    assert _screened_hits(focal_point_ma, text, 40) == serial
    assert forked == [2]


def test_screening_processes_follow_the_setting(settings):
    from tawasul.persons.screening import processes

    settings.PERSONS_SCREENING_PROCESSES = 3
    assert processes() == 3
    settings.PERSONS_SCREENING_PROCESSES = 0
    assert processes() == 1
