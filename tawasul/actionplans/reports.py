"""The documents a programme sends to its donors and brings to its next meeting: a report per
meeting and an annual programme report, in Arabic, French or English, as DOCX or PDF.

The content is assembled once (``Report``), in the requested language, from what the reader
may see; two writers lay it out. DOCX keeps Arabic in logical order and marks paragraphs, runs
and tables right-to-left (Word shapes the text). PDF has no shaping engine, so Arabic is joined
(arabic-reshaper) and reordered line by line (python-bidi) after wrapping, in a vendored
DejaVu Sans that has Arabic glyphs. Charts are the same scenes as on the pages, painted as PNG.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tawasul.actionplans import charts, selectors
from tawasul.actionplans.models import (
    ActionStatus,
    FollowUpAction,
    Meeting,
    Programme,
)

ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    numbered: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    charts: list[charts.Chart] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    language: str
    rtl: bool
    sections: list[Section]
    filename: str


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def _action_line(action: FollowUpAction, language: str, *, done: bool = False) -> str:
    when = (
        _("done on %(date)s") % {"date": _date(action.completed_on)}
        if done
        else _("due %(date)s") % {"date": _date(action.due_date)}
    )
    return _("%(owner)s — %(action)s (%(priority)s priority, %(when)s)") % {
        "owner": action.owner_label(language),
        "action": action.description,
        "priority": action.get_priority_display(),
        "when": when,
    }


def _action_sections(
    actions: list[FollowUpAction], language: str, today: datetime.date
) -> list[Section]:
    done = [a for a in actions if a.status == ActionStatus.DONE]
    open_ = sorted(
        (a for a in actions if a.is_open),
        key=lambda a: ({"high": 0, "medium": 1, "low": 2}.get(a.priority, 3), a.due_date),
    )
    overdue = [a for a in open_ if a.due_date < today]
    empty = _("None.")
    return [
        Section(
            _("Accomplishments"),
            bullets=[_action_line(a, language, done=True) for a in done] or [empty],
        ),
        Section(
            _("Open priorities"),
            bullets=[_action_line(a, language) for a in open_] or [empty],
        ),
        Section(
            _("Overdue actions"),
            bullets=[_action_line(a, language) for a in overdue] or [empty],
        ),
    ]


def meeting_report(user: Any, meeting: Meeting, language: str) -> Report:
    with translation.override(language):
        today = timezone.localdate()
        participations = list(selectors.participation_of(user, meeting=meeting))
        actions = list(selectors.actions_visible_to(user, meeting=meeting))
        recommendations = list(selectors.recommendations_visible_to(user, meeting=meeting))
        women = sum(p.women for p in participations)
        total = sum(p.total for p in participations)
        facts = [
            f"{_('Programme')}: {meeting.programme.localized_name(language)}",
            f"{_('Kind of meeting')}: {meeting.get_kind_display()}",
            f"{_('Dates')}: {_date(meeting.start_date)} – {_date(meeting.end_date)}",
            f"{_('Place')}: {meeting.place}"
            + (f", {meeting.place_country.name}" if meeting.place_country else ""),
        ]
        if meeting.organisers:
            facts.append(f"{_('Organisers')}: {meeting.organisers}")
        if meeting.funding_partners:
            facts.append(f"{_('Funding partners')}: {meeting.funding_partners}")
        participation_chart = charts.participation(participations, language)
        sections = [
            Section(_("The meeting"), paragraphs=facts),
            Section(
                _("Participation"),
                paragraphs=[
                    _("%(total)s participants, %(women)s of them women.")
                    % {"total": total, "women": women}
                ],
                table=(participation_chart.headers, participation_chart.rows),
                charts=[participation_chart],
            ),
            Section(
                _("Recommendations"),
                numbered=[r.localized_text(language) for r in recommendations] or [_("None.")],
            ),
            *_action_sections(actions, language, today),
            Section(
                _("Progress of the follow-up actions"),
                charts=[
                    charts.status_by_country(actions, language),
                    charts.timeline(actions, language),
                ],
            ),
        ]
        return Report(
            title=meeting.localized_title(language),
            subtitle=_("Meeting report — as of %(date)s") % {"date": _date(today)},
            language=language,
            rtl=translation.get_language_bidi(),
            sections=sections,
            filename=f"meeting-{meeting.pk}-report-{language}",
        )


def programme_report(user: Any, programme: Programme, year: int, language: str) -> Report:
    with translation.override(language):
        today = timezone.localdate()
        meetings = [
            m
            for m in selectors.meetings_visible_to(user, programme=programme)
            if m.start_date.year == year
        ]
        meetings.sort(key=lambda m: m.start_date)
        participations = list(selectors.participation_of(user, programme=programme, year=year))
        year_actions = list(selectors.actions_visible_to(user, programme=programme, year=year))
        all_actions = list(selectors.actions_visible_to(user, programme=programme))
        participation_chart = charts.participation(participations, language)
        status_chart = charts.status_by_country(all_actions, language)
        meeting_lines = [
            _("%(title)s — %(place)s, %(start)s – %(end)s")
            % {
                "title": m.localized_title(language),
                "place": m.place,
                "start": _date(m.start_date),
                "end": _date(m.end_date),
            }
            for m in meetings
        ]
        recommendations = [
            r.localized_text(language)
            for m in meetings
            for r in selectors.recommendations_visible_to(user, meeting=m)
        ]
        done_this_year = [
            a
            for a in all_actions
            if a.status == ActionStatus.DONE and a.completed_on and a.completed_on.year == year
        ]
        open_actions = [a for a in all_actions if a.is_open]
        action_sections = _action_sections([*done_this_year, *open_actions], language, today)
        sections = [
            Section(_("Meetings of the year"), bullets=meeting_lines or [_("None.")]),
            Section(
                _("Participation"),
                paragraphs=[
                    _("%(total)s participants, %(women)s of them women.")
                    % {
                        "total": sum(p.total for p in participations),
                        "women": sum(p.women for p in participations),
                    }
                ],
                table=(participation_chart.headers, participation_chart.rows),
                charts=[participation_chart],
            ),
            Section(_("Recommendations"), numbered=recommendations or [_("None.")]),
            *action_sections,
            Section(
                _("Progress across countries"),
                table=(status_chart.headers, status_chart.rows),
                charts=[status_chart, charts.timeline(year_actions, language)],
            ),
        ]
        return Report(
            title=_("%(programme)s — annual report %(year)s")
            % {"programme": programme.localized_name(language), "year": year},
            subtitle=_("As of %(date)s") % {"date": _date(today)},
            language=language,
            rtl=translation.get_language_bidi(),
            sections=sections,
            filename=f"{programme.code}-{year}-report-{language}",
        )


def render(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        return render_docx(report)
    if fmt == "pdf":
        return render_pdf(report)
    raise ValueError(fmt)


# ---------------------------------------------------------------- DOCX

# What may follow <w:bidi/> inside <w:pPr>, in the order the schema requires.
_PPR_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_DIRECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    document.core_properties.title = report.title
    document.core_properties.language = report.language
    styles = document.styles
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet", "List Number"):
        style: Any = styles[name]
        style.font.name = "DejaVu Sans"
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), "DejaVu Sans")
        lang = style.element.get_or_add_rPr().find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            style.element.get_or_add_rPr().append(lang)
        lang.set(qn("w:bidi"), "ar-SA")
        lang.set(qn("w:val"), {"ar": "ar-SA", "fr": "fr-FR"}.get(report.language, "en-GB"))
    styles["Normal"].font.size = Pt(10.5)
    if report.rtl:
        # Schema order matters (Word and LibreOffice ignore misplaced elements).
        document.sections[0]._sectPr.insert_element_before(
            OxmlElement("w:bidi"),
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        )

    def directed(paragraph: Any) -> Any:
        """Right-to-left paragraph and runs; alignment left to the paragraph's direction
        (its start is the right edge), since jc="right" means the left edge in a bidi one."""
        if report.rtl:
            paragraph._p.get_or_add_pPr().insert_element_before(
                OxmlElement("w:bidi"), *_PPR_AFTER_BIDI
            )
            for run in paragraph.runs:
                run.font.rtl = True
        return paragraph

    directed(document.add_heading(report.title, level=0))
    directed(document.add_paragraph(report.subtitle))
    for section in report.sections:
        directed(document.add_heading(section.heading, level=1))
        for text in section.paragraphs:
            directed(document.add_paragraph(text))
        for text in section.bullets:
            directed(document.add_paragraph(text, style="List Bullet"))
        for number, text in enumerate(section.numbered, start=1):
            directed(document.add_paragraph(f"{number}. {text}"))
        if section.table and section.table[1]:
            headers, rows = section.table
            table = document.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            if report.rtl:
                table.table_direction = WD_TABLE_DIRECTION.RTL
            for cell, text in zip(table.rows[0].cells, headers, strict=True):
                cell.text = text
                for p in cell.paragraphs:
                    directed(p)
                    for run in p.runs:
                        run.bold = True
            for row in rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
                    for p in cell.paragraphs:
                        directed(p)
            document.add_paragraph()
        for chart in section.charts:
            document.add_picture(io.BytesIO(chart.png()), width=Cm(16))
            picture_paragraph = document.paragraphs[-1]
            picture_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            directed(document.add_paragraph(chart.title, style="Caption"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- PDF

_FONTS_REGISTERED = False


def _register_fonts() -> None:
    global _FONTS_REGISTERED
    if _FONTS_REGISTERED:
        return
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]

    pdfmetrics.registerFont(TTFont("TawasulSans", str(charts.FONT_REGULAR)))
    pdfmetrics.registerFont(TTFont("TawasulSans-Bold", str(charts.FONT_BOLD)))
    pdfmetrics.registerFontFamily("TawasulSans", normal="TawasulSans", bold="TawasulSans-Bold")
    _FONTS_REGISTERED = True


def pdf_visual(text: str, rtl: bool) -> str:
    """One line as the PDF must draw it: Arabic letters joined, runs in display order."""
    if not ARABIC.search(text):
        return text
    import arabic_reshaper  # type: ignore[import-untyped, unused-ignore]
    from bidi.algorithm import get_display  # type: ignore[import-untyped, unused-ignore]

    return str(get_display(arabic_reshaper.reshape(text), base_dir="R" if rtl else "L"))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped, unused-ignore]

    lines: list[str] = []
    for raw in text.splitlines() or [""]:
        current = ""
        for word in raw.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and stringWidth(candidate, font, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


def render_pdf(report: Report) -> bytes:
    from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT  # type: ignore[import-untyped, unused-ignore]
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped, unused-ignore]
    from reportlab.lib.units import cm  # type: ignore[import-untyped, unused-ignore]
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # type: ignore[import-untyped, unused-ignore]

    _register_fonts()
    align = TA_RIGHT if report.rtl else TA_LEFT
    body = ParagraphStyle(
        "body", fontName="TawasulSans", fontSize=10, leading=14, alignment=align, spaceAfter=4
    )
    title = ParagraphStyle(
        "title", parent=body, fontName="TawasulSans-Bold", fontSize=18, leading=24, spaceAfter=6
    )
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontName="TawasulSans-Bold",
        fontSize=13,
        leading=18,
        spaceBefore=10,
        spaceAfter=6,
        textColor=colors.HexColor("#0b4f6c"),
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0)
    page_width = A4[0] - 4 * cm

    def paragraph(text: str, style: ParagraphStyle, width: float = page_width) -> Paragraph:
        lines = _wrap(text, style.fontName, style.fontSize, width - 8)
        markup = "<br/>".join(escape(pdf_visual(line, report.rtl)) for line in lines)
        return Paragraph(markup, style)

    story: list[Any] = [paragraph(report.title, title), paragraph(report.subtitle, body)]
    for section in report.sections:
        story.append(paragraph(section.heading, heading))
        story.extend(paragraph(text, body) for text in section.paragraphs)
        story.extend(paragraph(f"• {text}", body) for text in section.bullets)
        story.extend(
            paragraph(f"{n}. {text}", body) for n, text in enumerate(section.numbered, start=1)
        )
        if section.table and section.table[1]:
            headers, rows = section.table
            first = page_width * 0.34
            other = (page_width - first) / max(len(headers) - 1, 1)
            widths = [first] + [other] * (len(headers) - 1)
            data = [
                [paragraph(text, cell, w) for text, w in zip(row, widths, strict=True)]
                for row in [headers, *rows]
            ]
            if report.rtl:
                data = [list(reversed(row)) for row in data]
                widths = list(reversed(widths))
            table = Table(data, colWidths=widths, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.extend([table, Spacer(1, 6)])
        for chart in section.charts:
            ratio = chart.scene.height / chart.scene.width
            story.append(
                Image(io.BytesIO(chart.png()), width=page_width, height=page_width * ratio)
            )
            story.append(Spacer(1, 6))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=report.title,
        lang=report.language,
    )
    document.build(story)
    return buffer.getvalue()
