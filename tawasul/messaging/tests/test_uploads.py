"""Attachments: typed by content against an allowlist, size-limited, encrypted at rest,
SHA-256 recorded, downloaded only by participants, as an attachment, audited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.messaging.events import MessagingEvent
from tawasul.messaging.files import clean_filename, sniff, storage_root
from tawasul.messaging.models import Attachment, Message
from tawasul.messaging.tests.factories import PDF, PNG, incoming, make_thread, post

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@pytest.fixture
def thread(focal_point_ma, focal_point_tn):
    return make_thread(focal_point_ma, focal_point_tn)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("report.pdf", PDF, "pdf"),
        ("photo.png", PNG, "png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00rest", "jpeg"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00rest", "gif"),
        ("img.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 rest", "webp"),
        ("memo.docx", DOCX, "docx"),
        ("list.csv", "name,city\nPerson A,Tunis\nشخص,الرباط\n".encode(), "csv"),
        ("notes.txt", b"plain notes\n", "text"),
        ("bundle.zip", _zip({"a.txt": b"hello", "b/c.pdf": PDF}), "zip"),
    ],
)
def test_allowed_types_are_detected_from_content(name, data, kind):
    assert sniff(data, name).code == kind


def test_html_renamed_pdf_is_refused(thread, focal_point_ma):
    with pytest.raises(ServiceError, match="markup"):
        post(focal_point_ma, thread, attachments=[incoming("report.pdf", HTML)])
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("name", ["drawing.svg", "drawing.png", "drawing.txt"])
def test_svg_with_script_is_refused_whatever_its_name(thread, focal_point_ma, name):
    with pytest.raises(ServiceError):
        post(focal_point_ma, thread, attachments=[incoming(name, SVG)])
    assert thread.messages.count() == 1


def test_plain_svg_is_refused_too():
    with pytest.raises(ServiceError):
        sniff(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "a.svg")


def test_zip_bomb_is_refused_without_extracting(thread, focal_point_ma):
    bomb = _zip({"zeros.bin": b"\0" * (10 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ServiceError, match="ZIP bomb"):
        post(focal_point_ma, thread, attachments=[incoming("bomb.zip", bomb)])
    assert not Attachment.objects.exists()


def test_zip_with_too_many_entries_is_refused():
    many = _zip({f"f{i}.txt": b"x" for i in range(1001)}, method=zipfile.ZIP_STORED)
    with pytest.raises(ServiceError, match="1000"):
        sniff(many, "many.zip")


@pytest.mark.parametrize("entry", ["../../etc/cron.d/x", "/etc/passwd"])
def test_zip_with_paths_outside_it_is_refused(entry):
    with pytest.raises(ServiceError, match="outside"):
        sniff(_zip({entry: b"x"}), "slip.zip")


def test_nested_archive_and_macro_document_are_refused():
    with pytest.raises(ServiceError, match="inside archives"):
        sniff(_zip({"inner.zip": _zip({"a.txt": b"a"})}), "outer.zip")
    docm = _zip(
        {"[Content_Types].xml": b"<T/>", "word/document.xml": b"<d/>", "word/vbaProject.bin": b"x"}
    )
    with pytest.raises(ServiceError, match="macros"):
        sniff(docm, "memo.docx")


@pytest.mark.parametrize(
    "name",
    ["../secret.pdf", "../../etc/passwd.pdf", "/etc/report.pdf", "C:\\x\\a.pdf", "..", "a/b.pdf"],
)
def test_path_in_file_name_is_refused(thread, focal_point_ma, name):
    with pytest.raises(ServiceError):
        post(focal_point_ma, thread, attachments=[incoming(name, PDF)])
    assert not Attachment.objects.exists()


def test_control_characters_in_a_name_are_refused_and_long_names_cut():
    with pytest.raises(ServiceError):
        clean_filename("report\u202egpj.pdf")
    assert len(clean_filename("a" * 300 + ".pdf")) == 200
    assert clean_filename("a" * 300 + ".pdf").endswith(".pdf")


def test_oversize_file_is_refused(thread, focal_point_ma, settings):
    settings.MESSAGING_MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ServiceError, match="1 MB"):
        post(focal_point_ma, thread, attachments=[incoming("big.pdf", big)])
    assert not Attachment.objects.exists()


def test_content_contradicting_the_name_is_refused():
    with pytest.raises(ServiceError, match="does not match"):
        sniff(PNG, "photo.pdf")


def test_executable_is_refused():
    with pytest.raises(ServiceError, match="not an accepted type"):
        sniff(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "tool.pdf")


def test_rejected_upload_through_the_page_changes_nothing(
    client, signed_in, thread, focal_point_ma
):
    signed_in(focal_point_ma)
    response = client.post(
        reverse("messaging:thread_reply", args=[thread.pk]),
        {
            "body": "see file",
            "handling_code": "H0",
            "source_reliability": "A",
            "information_accuracy": "1",
            "attachments": [SimpleUploadedFile("report.pdf", HTML, content_type="application/pdf")],
        },
    )
    assert response.status_code == 400
    assert "markup" in response.content.decode()
    assert thread.messages.count() == 1
    assert not Attachment.objects.exists()


def test_stored_file_is_encrypted_under_a_random_name(thread, focal_point_ma):
    message = post(focal_point_ma, thread, attachments=[incoming("report.pdf", PDF)])
    attachment = message.attachments.get()
    stored = list(Path(storage_root()).rglob("*"))
    files = [p for p in stored if p.is_file()]
    assert len(files) == 1
    assert files[0].name == attachment.storage_name
    assert "report" not in str(files[0])
    raw = files[0].read_bytes()
    assert b"SECRET-PLAINTEXT-MARKER" not in raw
    assert b"%PDF" not in raw
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert str(settings_media_root()) in str(files[0])


def settings_media_root():
    from django.conf import settings

    return settings.MEDIA_ROOT


def test_sha256_is_recorded_audited_and_shown(client, signed_in, thread, focal_point_tn):
    message = post(focal_point_tn, thread, attachments=[incoming("photo.png", PNG)])
    digest = hashlib.sha256(PNG).hexdigest()
    assert message.attachments.get().sha256 == digest
    assert AuditEvent.objects.filter(
        event_type=MessagingEvent.ATTACHMENT_STORED, details__sha256=digest
    ).exists()
    signed_in(focal_point_tn)
    assert digest in client.get(reverse("messaging:thread", args=[thread.pk])).content.decode()


def test_download_is_an_audited_attachment_with_nosniff(
    client, signed_in, thread, focal_point_ma, focal_point_tn
):
    attachment = post(
        focal_point_ma, thread, attachments=[incoming("report.pdf", PDF)]
    ).attachments.get()
    signed_in(focal_point_tn)
    response = client.get(reverse("messaging:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        event_type=MessagingEvent.ATTACHMENT_DOWNLOADED,
        actor=focal_point_tn,
        object_id=str(attachment.pk),
    ).exists()


def test_tampered_file_is_not_delivered_and_the_failure_is_audited(
    client, signed_in, thread, focal_point_ma
):
    attachment = post(
        focal_point_ma, thread, attachments=[incoming("report.pdf", PDF)]
    ).attachments.get()
    path = next(p for p in Path(storage_root()).rglob("*") if p.is_file())
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(bytes(raw))
    signed_in(focal_point_ma)
    response = client.get(reverse("messaging:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        event_type=MessagingEvent.ATTACHMENT_INTEGRITY_FAILED, object_id=str(attachment.pk)
    ).exists()
    assert not AuditEvent.objects.filter(event_type=MessagingEvent.ATTACHMENT_DOWNLOADED).exists()


def test_page_upload_of_several_files(client, signed_in, thread, focal_point_ma):
    signed_in(focal_point_ma)
    response = client.post(
        reverse("messaging:thread_reply", args=[thread.pk]),
        {
            "body": "two files",
            "handling_code": "H0",
            "source_reliability": "A",
            "information_accuracy": "1",
            "attachments": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png", PNG)],
        },
    )
    assert response.status_code == 302
    assert Message.objects.latest("pk").attachments.count() == 2


def test_production_refuses_to_start_without_the_file_key():
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "TAWASUL_FILE_KEY"}
    env.update(
        TAWASUL_ENV="production",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="tawasul.example.org",
        DATABASE_URL="sqlite:////tmp/tawasul-messaging-settings.sqlite3",
        DEBUG="false",
        DEMO_MODE="false",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "TAWASUL_FILE_KEY" in result.stderr
