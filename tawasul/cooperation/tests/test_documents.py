"""The formal request as PDF and DOCX in Arabic, French and English (issue 2: documents), and
the language guess that flags free text written in another language."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pypdf import PdfReader

from tawasul.cooperation import checks, documents, services, textlang
from tawasul.cooperation.checks import ChecklistItem, Report
from tawasul.cooperation.documents import LABELS
from tawasul.cooperation.lifecycle import RequestType
from tawasul.cooperation.measures import MEASURE_FIELDS, MeasureKind
from tawasul.cooperation.models import PersonRole
from tawasul.cooperation.tests.factories import (
    RequestMeasureFactory,
    RequestOffenceFactory,
    RequestPersonFactory,
)
from tawasul.core.handling import HandlingCode
from tawasul.directory.models import Competence

pytestmark = pytest.mark.django_db

NAME_AR = "محمد عبد الرحمن الزهراني"
PRESENTATION_FORMS = re.compile(r"[\uFB50-\uFDFF\uFE70-\uFEFF]")
FRENCH_FACTS = (
    "Des virements effectués depuis des comptes ouverts à Tanger ont financé une cellule "
    "terroriste démantelée à Fès."
)
FRENCH_PURPOSE = "Établir qui a financé la cellule et obtenir les relevés du compte en Espagne."
ENGLISH_FACTS = (
    "Transfers from accounts opened in Tangier financed a cell that was dismantled in Fez."
)
ARABIC_REASON = "يوجد المشتبه به رهن الاعتقال الاحتياطي وتنتهي مدة الاعتقال قريبا."


@pytest.fixture(autouse=True)
def fixed_checklist(monkeypatch: Any) -> None:
    """The checks are another module's rules: here they are a fixed report."""
    monkeypatch.setattr(
        checks,
        "evaluate",
        lambda request: Report(
            checklist=[
                ChecklistItem("legal_basis", "Legal basis chosen", True, "basis"),
                ChecklistItem("facts", "Summary of the facts", False, "facts"),
                ChecklistItem("contact", "Contact person named", True, "basis", essential=False),
            ]
        ),
    )


@pytest.fixture
def request_(draft: Any) -> Any:
    """A request in French with a person, an offence and a measure."""
    draft.summary_of_facts = FRENCH_FACTS
    draft.purpose = FRENCH_PURPOSE
    draft.legal_basis_text = (
        "Convention internationale pour la répression du financement du terrorisme"
    )
    draft.save()
    RequestPersonFactory(
        request=draft,
        date_of_birth=datetime.date(1989, 7, 1),
        place_of_birth="Tanger",
        document_type="Passeport",
        document_number="UZ1234567",
    )
    RequestOffenceFactory(
        request=draft,
        description="Financement du terrorisme",
        legal_provision="Article 218-4 du Code pénal : « Constitue un acte de terrorisme… »",
        penalty="Réclusion de 5 à 20 ans",
    )
    RequestMeasureFactory(request=draft)
    return draft


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_body(data: bytes) -> Any:
    return Document(io.BytesIO(data)).element.body


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    texts = [t.text or "" for t in document.element.body.iter(qn("w:t"))]
    return "\n".join(texts)


def run_text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def paragraph_with(body: Any, text: str) -> Any:
    for paragraph in body.iter(qn("w:p")):
        if text in run_text(paragraph):
            return paragraph
    raise AssertionError(f"no paragraph holds {text!r}")


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_request_renders_in_each_language_and_format_with_its_own_wording(
    request_: Any, language: str, fmt: str
) -> None:
    data = documents.render(request_, language=language, fmt=fmt)

    assert data.startswith(b"%PDF-" if fmt == "pdf" else b"PK")
    text = pdf_text(data) if fmt == "pdf" else docx_text(data)
    labels = LABELS[language]
    for key in ("title_mla", "sec_1", "sec_4", "sec_5", "sec_9"):
        assert labels[key] in text
    # The other languages' fixed wording is nowhere: no half-translated document.
    for other in {"ar", "fr", "en"} - {language}:
        assert LABELS[other]["sec_3"] not in text
    assert "MA-2026-" in text  # the Tawasul reference


def test_arabic_pdf_text_holds_the_headings_and_the_name_in_logical_order(request_: Any) -> None:
    text = pdf_text(documents.render(request_, language="ar", fmt="pdf"))

    for number in range(1, 10):
        assert LABELS["ar"][f"sec_{number}"] in text
    assert LABELS["ar"]["title_mla"] in text
    assert NAME_AR in text
    assert not PRESENTATION_FORMS.search(text)


def test_arabic_pdf_keeps_words_whole_where_the_font_draws_extra_glyphs(request_: Any) -> None:
    # Amiri draws lam before kaf with one glyph more than letters.
    RequestPersonFactory(request=request_, name_arabic="خالد الكبير المالكي", name_latin="")

    text = pdf_text(documents.render(request_, language="ar", fmt="pdf"))

    assert "خالد الكبير المالكي" in text


def test_pdf_embeds_a_font_with_arabic_glyphs(request_: Any) -> None:
    reader = PdfReader(io.BytesIO(documents.render(request_, language="ar", fmt="pdf")))

    embedded = []
    resources: Any = reader.pages[0]["/Resources"]
    fonts: Any = resources["/Font"]
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        program = descriptor.get_object().get("/FontFile2")
        if program is not None:
            embedded.append(TTFont(io.BytesIO(program.get_object().get_data())))
    assert embedded
    assert any(ord("ع") in font.getBestCmap() for font in embedded)


def test_arabic_docx_is_right_to_left_with_an_arabic_complex_script_font(request_: Any) -> None:
    data = documents.render(request_, language="ar", fmt="docx")
    body = docx_body(data)

    text = docx_text(data)
    assert LABELS["ar"]["sec_1"] in text
    assert NAME_AR in text
    assert body.find(qn("w:sectPr")).find(qn("w:bidi")) is not None
    heading = paragraph_with(body, LABELS["ar"]["sec_1"])
    assert heading.find(qn("w:pPr")).find(qn("w:bidi")) is not None
    name_run = next(r for r in body.iter(qn("w:r")) if NAME_AR in run_text(r))
    assert name_run.find(qn("w:rPr")).find(qn("w:rtl")) is not None
    assert any(
        t.find(qn("w:tblPr")).find(qn("w:bidiVisual")) is not None for t in body.iter(qn("w:tbl"))
    )
    normal = Document(io.BytesIO(data)).styles["Normal"].element.rPr
    assert normal.find(qn("w:rFonts")).get(qn("w:cs")) == "Amiri"
    assert normal.find(qn("w:lang")).get(qn("w:bidi")) == "ar-SA"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_french_and_english_docx_carry_no_right_to_left_marks(request_: Any, language: str) -> None:
    body = docx_body(documents.render(request_, language=language, fmt="docx"))

    assert body.find(qn("w:sectPr")).find(qn("w:bidi")) is None
    assert not list(body.iter(qn("w:bidi")))
    assert not list(body.iter(qn("w:bidiVisual")))
    # Only the Arabic name's run is marked right-to-left, as Word marks Arabic typed in.
    rtl_runs = [
        run_text(r)
        for r in body.iter(qn("w:r"))
        if r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None
    ]
    assert rtl_runs == [NAME_AR]


def test_free_text_in_another_language_is_printed_as_written_and_flagged(request_: Any) -> None:
    request_.summary_of_facts = ENGLISH_FACTS
    request_.save()

    pdf = pdf_text(documents.render(request_, language="fr", fmt="pdf"))
    docx = docx_text(documents.render(request_, language="fr", fmt="docx"))

    assert flat(ENGLISH_FACTS) in flat(pdf)
    assert ENGLISH_FACTS in docx
    assert pdf.count("[texte rédigé en anglais]") == 1
    assert docx.count("[texte rédigé en anglais]") == 1


def test_free_text_in_the_document_language_is_not_flagged(request_: Any) -> None:
    pdf = pdf_text(documents.render(request_, language="fr", fmt="pdf"))

    assert flat(FRENCH_FACTS) in flat(pdf)
    assert "[texte rédigé" not in pdf


def test_arabic_free_text_in_a_french_document_keeps_its_direction_and_is_flagged(
    request_: Any,
) -> None:
    request_.urgent = True
    request_.urgency_reason = ARABIC_REASON
    request_.save()

    data = documents.render(request_, language="fr", fmt="docx")

    paragraph = paragraph_with(docx_body(data), ARABIC_REASON)
    assert paragraph.find(qn("w:pPr")).find(qn("w:bidi")) is not None
    assert "[texte rédigé en arabe]" in docx_text(data)
    assert "[texte rédigé en arabe]" in pdf_text(
        documents.render(request_, language="fr", fmt="pdf")
    )


def test_letterhead_addressee_and_measure_fields_are_worded_in_the_document_language(
    request_: Any,
) -> None:
    agency = request_.requesting_agency
    agency.name_fr = "Parquet général près la Cour d'appel de Rabat"
    agency.address = "Avenue Annakhil, 10100 Rabat"
    agency.save()

    text = pdf_text(documents.render(request_, language="fr", fmt="pdf"))

    assert "Parquet général près la Cour d'appel de Rabat" in text
    assert "Avenue Annakhil, 10100 Rabat" in text
    assert "Maroc" in text and "Espagne" in text
    assert request_.requested_agency.name_fr in text
    assert "Banque" in text and "Banco Ejemplo" in text
    assert "Numéro de compte ou IBAN" in text
    assert "1er janvier 2025" in text and "31 décembre 2025" in text
    assert "1er juillet 1989" in text  # the person's date of birth
    assert LABELS["fr"]["basis_icsft_1999"] in flat(text)


def test_characters_the_main_font_lacks_are_drawn_from_the_fallback_font(request_: Any) -> None:
    RequestPersonFactory(request=request_, name_latin="Ivanov", place_of_birth="Москва")

    text = pdf_text(documents.render(request_, language="en", fmt="pdf"))

    assert "Москва" in text


def test_form_line_endings_become_plain_line_breaks(request_: Any) -> None:
    request_.summary_of_facts = "Premier paragraphe des faits.\r\nSecond paragraphe des faits."
    request_.save()

    text = docx_text(documents.render(request_, language="fr", fmt="docx"))

    assert "Premier paragraphe des faits.\nSecond paragraphe des faits." in text
    assert "\r" not in text


def test_h1_request_carries_the_notice_against_judicial_use(request_: Any) -> None:
    request_.handling_code = HandlingCode.H1
    request_.save()

    text = flat(pdf_text(documents.render(request_, language="fr", fmt="pdf")))

    assert flat(LABELS["fr"]["h1_notice"]) in text


def test_h0_request_has_no_notice_against_judicial_use(request_: Any) -> None:
    text = flat(pdf_text(documents.render(request_, language="fr", fmt="pdf")))

    assert flat(LABELS["fr"]["h1_notice"]) not in text
    assert flat(LABELS["fr"]["handling_H0"]) in text


def test_assurances_are_printed_only_when_given(request_: Any) -> None:
    request_.assurance_death_penalty = True
    request_.save()

    text = flat(pdf_text(documents.render(request_, language="en", fmt="pdf")))

    assert flat(LABELS["en"]["assurance_death_penalty"]) in text
    assert flat(LABELS["en"]["assurance_speciality"]) not in text


def test_countries_of_transit_are_named_in_the_document_language(request_: Any) -> None:
    assert "Pays de transit" not in pdf_text(documents.render(request_, language="fr", fmt="pdf"))
    request_.transit_countries = ["FR", "DZ"]
    request_.save()

    french = flat(pdf_text(documents.render(request_, language="fr", fmt="pdf")))
    arabic = flat(pdf_text(documents.render(request_, language="ar", fmt="pdf")))

    assert "Pays de transit" in french and "France, Algérie" in french
    assert LABELS["ar"]["transit"] in arabic and "فرنسا" in arabic


def test_the_checklist_is_annexed_with_its_score(request_: Any) -> None:
    for fmt in ("pdf", "docx"):
        data = documents.render(request_, language="fr", fmt=fmt)
        text = pdf_text(data) if fmt == "pdf" else docx_text(data)

        assert LABELS["fr"]["annex_title"] in text
        assert "Taux de complétude : 67 %" in flat(text)
        assert "Summary of the facts" in text and "À compléter" in text
        assert "Contact person named (recommandé)" in text


def test_the_same_content_gives_the_same_bytes_and_a_new_version_new_ones(request_: Any) -> None:
    for fmt in ("pdf", "docx"):
        first = documents.render(request_, language="ar", fmt=fmt)
        assert documents.render(request_, language="ar", fmt=fmt) == first
        request_.content_version += 1
        assert documents.render(request_, language="ar", fmt=fmt) != first
        request_.content_version -= 1


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_editing_after_generation_makes_a_new_version_and_keeps_the_earlier_one(
    request_: Any, drafter_ma: Any, fmt: str
) -> None:
    first = services.request_document_generate(
        actor=drafter_ma, request=request_, language="fr", fmt=fmt
    )
    first_bytes = services.request_document_read(actor=drafter_ma, document=first)
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    # Asked again without a change: the same document, not a new one.
    again = services.request_document_generate(
        actor=drafter_ma, request=request_, language="fr", fmt=fmt
    )
    assert again.pk == first.pk

    new_facts = "Les fonds ont transité par un second compte ouvert à Algésiras."
    services.request_update(
        actor=drafter_ma, request=request_, values={"summary_of_facts": new_facts}
    )
    request_.refresh_from_db()
    second = services.request_document_generate(
        actor=drafter_ma, request=request_, language="fr", fmt=fmt
    )

    assert second.pk != first.pk
    assert second.content_version == first.content_version + 1 == request_.content_version
    assert second.sha256 != first.sha256
    second_bytes = services.request_document_read(actor=drafter_ma, document=second)
    extract = pdf_text if fmt == "pdf" else docx_text
    assert "Algésiras" in flat(extract(second_bytes))
    # The earlier version is kept as it was generated: same row, hash and bytes.
    first.refresh_from_db()
    kept = services.request_document_read(actor=drafter_ma, document=first)
    assert kept == first_bytes
    assert hashlib.sha256(kept).hexdigest() == first.sha256
    assert "Algésiras" not in flat(extract(kept))
    assert list(
        request_.documents.filter(language="fr", format=fmt).values_list(
            "content_version", "sha256"
        )
    ) == [(second.content_version, second.sha256), (first.content_version, first.sha256)]


def test_unknown_language_or_format_is_refused(request_: Any) -> None:
    with pytest.raises(ValueError):
        documents.render(request_, language="es", fmt="pdf")
    with pytest.raises(ValueError):
        documents.render(request_, language="fr", fmt="odt")


def test_it_renders_with_the_real_checks(request_: Any, monkeypatch: Any) -> None:
    monkeypatch.undo()  # the checks module's own rules, whatever they are today

    assert documents.render(request_, language="en", fmt="docx").startswith(b"PK")


def test_every_language_has_the_same_labels_and_every_name_is_worded() -> None:
    keys = set(LABELS["en"])
    assert set(LABELS["fr"]) == keys == set(LABELS["ar"])
    needed = {f"title_{t}" for t in RequestType.values} | {f"type_{t}" for t in RequestType.values}
    needed |= {f"measure_{m}" for m in MeasureKind.values}
    needed |= {f"role_{r}" for r in PersonRole.values}
    needed |= {f"area_{c}" for c in Competence.values}
    needed |= {f"handling_{h}" for h in HandlingCode.values}
    for kind, fields in MEASURE_FIELDS.items():
        for spec in fields:
            assert f"field_{kind}.{spec.name}" in keys or f"field_{spec.name}" in keys
    assert needed <= keys
    for language, table in LABELS.items():
        assert all(value.strip() for value in table.values()), language
        assert len(table["months"].split()) == 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARABIC_REASON, "ar"),
        (FRENCH_FACTS, "fr"),
        (FRENCH_PURPOSE, "fr"),
        (ENGLISH_FACTS, "en"),
        ("To establish who funded the cell.", "en"),
        ("Réclusion de 5 à 20 ans", "fr"),
        ("Banco Ejemplo", None),  # too short to tell
        ("ES91 2100 0418 4502 0005 1332", None),
        ("Transferencias desde cuentas en Tánger financiaron una célula terrorista.", None),
        ("محمد Mohamed Abderrahmane El Zahrani عبد الرحمن", None),  # scripts mixed
        ("", None),
    ],
)
def test_textlang_guesses_the_language_or_says_it_is_unsure(
    text: str, expected: str | None
) -> None:
    assert textlang.guess(text) == expected


def test_textlang_differs_names_only_another_language() -> None:
    assert textlang.differs(ENGLISH_FACTS, "fr") == "en"
    assert textlang.differs(ENGLISH_FACTS, "en") is None
    assert textlang.differs("Banco Ejemplo", "ar") is None


def test_a_latin_line_under_an_arabic_one_keeps_its_order_in_the_arabic_docx(
    request_: Any,
) -> None:
    """A line break does not end a paragraph for the bidi algorithm: without an embedding,
    "28015 Madrid" under an Arabic line would show as "Madrid 28015"."""
    agency = request_.requested_agency
    agency.name_ar = "وزارة العدل"
    agency.address = "Calle San Bernardo 45\n28015 Madrid"
    agency.save()

    body = docx_body(documents.render(request_, language="ar", fmt="docx"))

    addressee = run_text(paragraph_with(body, "28015 Madrid"))
    assert "\u202a28015 Madrid\u202c" in addressee
    assert "\u202aCalle San Bernardo 45\u202c" in addressee
    assert "\u202aوزارة" not in addressee  # the Arabic line keeps the paragraph's direction
