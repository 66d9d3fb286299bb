"""List screening: validation that creates nothing on bad input, the column mapping, the
background worker, progress, results and a formula-safe export."""

from __future__ import annotations

import csv
import io
import os

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
        (b"PK\x03\x04rest-of-a-zip", "save the sheet as CSV"),
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
    garbage = os.urandom(10 * 1024 * 1024)
    response = _upload(client, garbage)
    assert response.status_code == 400
    assert not ScreeningJob.objects.exists()
    too_big = _upload(client, b"a" * (10 * 1024 * 1024 + 1))
    assert too_big.status_code == 400
    assert "larger than 10 MB" in too_big.content.decode()


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
