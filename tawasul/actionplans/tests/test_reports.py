"""Reports in ar, fr and en, DOCX and PDF: the text extracted from them holds the translated
headings and the Arabic recommendation, and the charts are embedded as images."""

import datetime
import io
import unicodedata

import pytest
from django.urls import reverse

from tawasul.actionplans import reports
from tawasul.actionplans.tests.factories import ActionFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

HEADINGS = {
    "en": [
        "Recommendations",
        "Accomplishments",
        "Open priorities",
        "Overdue actions",
        "Participation",
    ],
    "fr": [
        "Recommandations",
        "Réalisations",
        "Priorités en suspens",
        "Actions en retard",
        "Participation",
    ],
    "ar": ["التوصيات", "الإنجازات", "الأولويات القائمة", "الإجراءات المتأخرة", "المشاركة"],
}
ARABIC_RECOMMENDATION = "إنشاء قاعدة بيانات مشتركة لتحسين تحديد هوية الضحايا."


@pytest.fixture
def meeting():
    action = ActionFactory(country="MA", due_date=datetime.date(2020, 1, 1))  # overdue
    ActionFactory(
        recommendation=action.recommendation,
        country="TN",
        status="done",
        completed_on=datetime.date(2026, 3, 1),
    )
    ParticipationFactory(meeting=action.recommendation.meeting, country="ML", women=8, men=17)
    return action.recommendation.meeting


def docx_text(data):
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts), len(document.inline_shapes)


def pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # Arabic is stored as joined presentation forms; pypdf returns it in reading order, and
    # NFKC folds the presentation forms back to the letters a reader typed.
    text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))
    images = sum(len(page.images) for page in reader.pages)
    return text, images


def expected(text, language, fmt):
    return text


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_meeting_report_has_translated_headings_and_charts(meeting, focal_point_ma, language, fmt):
    report = reports.meeting_report(focal_point_ma, meeting, language)
    data = reports.render(report, fmt)
    text, images = (docx_text if fmt == "docx" else pdf_text)(data)
    for heading in HEADINGS[language]:
        assert expected(heading, language, fmt) in text, heading
    assert images >= 3  # participation, status by country, timeline
    if language == "ar":
        words = ARABIC_RECOMMENDATION.split()[:3]  # a span that never wraps
        assert expected(" ".join(words), language, fmt) in text


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_annual_programme_report(meeting, focal_point_ma, language, fmt):
    report = reports.programme_report(
        focal_point_ma, meeting.programme, meeting.start_date.year, language
    )
    text, images = (docx_text if fmt == "docx" else pdf_text)(reports.render(report, fmt))
    for heading in HEADINGS[language][:4]:
        assert expected(heading, language, fmt) in text, heading
    assert images >= 3


def test_report_download_is_an_attachment_in_the_asked_language(meeting, focal_point_tn, signed_in):
    client = signed_in(focal_point_tn)
    response = client.get(
        reverse("actionplans:meeting_report", args=[meeting.pk, "docx"]), {"lang": "ar"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    text, _ = docx_text(response.content)
    assert ARABIC_RECOMMENDATION in text


def test_unknown_report_format_is_404(meeting, focal_point_ma, signed_in):
    client = signed_in(focal_point_ma)
    assert (
        client.get(reverse("actionplans:meeting_report", args=[meeting.pk, "exe"])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("actionplans:programme_report", args=[meeting.programme_id, 1900, "pdf"])
        ).status_code
        == 404
    )


def test_arabic_docx_is_marked_right_to_left(meeting, focal_point_ma):
    data = reports.render(reports.meeting_report(focal_point_ma, meeting, "ar"), "docx")
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:bidi/>" in xml and "<w:rtl/>" in xml
