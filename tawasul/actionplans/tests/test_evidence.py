"""Evidence files: checked by content and size, kept under MEDIA_ROOT, served as attachments
after the access check."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tawasul.actionplans import services
from tawasul.actionplans.models import ActionStatus, ProgressUpdate
from tawasul.actionplans.tests.factories import ActionFactory
from tawasul.core.errors import ServiceError

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _docx(macro=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        if macro:
            z.writestr("word/vbaProject.bin", b"\x00")
    return buffer.getvalue()


def post(client, action, upload, status="done"):
    return client.post(
        reverse("actionplans:action_progress", args=[action.pk]),
        {"status": status, "text": "Decision signed.", "evidence": "", "evidence_file": upload},
    )


def test_pdf_evidence_is_stored_under_media_root_and_served_as_attachment(
    focal_point_ma, focal_point_tn, signed_in, settings
):
    action = ActionFactory(country="MA")
    client = signed_in(focal_point_ma)
    assert post(client, action, SimpleUploadedFile("décision.pdf", PDF)).status_code == 302
    update = ProgressUpdate.objects.get(action=action)
    stored = Path(settings.MEDIA_ROOT) / update.evidence_file_path
    assert stored.read_bytes() == PDF
    assert update.evidence_file_type == "application/pdf"
    # Another country's user may read the evidence of an action (network data).
    other = signed_in(focal_point_tn)
    response = other.get(reverse("actionplans:evidence_download", args=[update.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_docx_evidence_is_accepted(focal_point_ma):
    action = ActionFactory(country="MA")
    update = services.action_report_progress(
        actor=focal_point_ma,
        action=action,
        status="in_progress",
        text="x",
        evidence_file=SimpleUploadedFile("minutes.docx", _docx()),
    )
    assert update.evidence_file_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>"),  # HTML named .pdf
        ("tool.exe", b"MZ\x90\x00"),
        ("image.png", PDF),  # content contradicts the name
        ("macro.docx", _docx(macro=True)),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_refused_files_change_nothing(focal_point_ma, signed_in, settings, name, data):
    action = ActionFactory(country="MA")
    response = post(signed_in(focal_point_ma), action, SimpleUploadedFile(name, data))
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    assert not ProgressUpdate.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "actionplans" / "evidence"
    assert not folder.exists() or not any(folder.iterdir())


def test_file_over_the_limit_is_refused(focal_point_ma, settings):
    settings.ACTIONPLANS_EVIDENCE_MAX_MB = 1
    with pytest.raises(ServiceError) as refused:
        services.action_report_progress(
            actor=focal_point_ma,
            action=ActionFactory(country="MA"),
            status="done",
            text="x",
            evidence_file=SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)),
        )
    assert refused.value.field == "evidence_file"


def test_anonymous_cannot_download_evidence(focal_point_ma, client):
    update = services.action_report_progress(
        actor=focal_point_ma,
        action=ActionFactory(country="MA"),
        status="done",
        text="x",
        evidence_file=SimpleUploadedFile("p.pdf", PDF),
    )
    response = client.get(reverse("actionplans:evidence_download", args=[update.pk]))
    assert response.status_code == 302


def test_update_without_file_has_no_download(focal_point_ma, signed_in):
    update = services.action_report_progress(
        actor=focal_point_ma, action=ActionFactory(country="MA"), status="done", text="x"
    )
    response = signed_in(focal_point_ma).get(
        reverse("actionplans:evidence_download", args=[update.pk])
    )
    assert response.status_code == 404


def test_coordinator_adds_a_meeting_document_everyone_downloads_it(
    coordinator, focal_point_tn, signed_in, settings
):
    from tawasul.actionplans.models import MeetingDocument
    from tawasul.actionplans.tests.factories import MeetingFactory

    meeting = MeetingFactory()
    response = signed_in(coordinator).post(
        reverse("actionplans:meeting_document_add", args=[meeting.pk]),
        {"title": "Conclusions", "file": SimpleUploadedFile("conclusions.pdf", PDF)},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get(meeting=meeting)
    assert (Path(settings.MEDIA_ROOT) / document.file_path).read_bytes() == PDF
    response = signed_in(focal_point_tn).get(
        reverse("actionplans:meeting_document_download", args=[document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_meeting_document_refuses_markup_and_non_coordinators(coordinator, focal_point_ma):
    from tawasul.actionplans.models import MeetingDocument
    from tawasul.actionplans.tests.factories import MeetingFactory

    meeting = MeetingFactory()
    with pytest.raises(ServiceError) as refused:
        services.meeting_document_add(
            actor=coordinator,
            meeting=meeting,
            title="x",
            upload=SimpleUploadedFile("x.pdf", b"<html></html>"),
        )
    assert refused.value.field == "file"
    with pytest.raises(ServiceError):
        services.meeting_document_add(
            actor=focal_point_ma,
            meeting=meeting,
            title="x",
            upload=SimpleUploadedFile("x.pdf", PDF),
        )
    assert not MeetingDocument.objects.exists()
