"""Render a sample formal cooperation request and page 1 of each PDF as PNG, for a person to
look at: artifacts/documents/request-<lang>.{pdf,docx} and request-<lang>-page1.png.

    TAWASUL_ENV=test .venv/bin/python scripts/render_request_pages.py

The request (Morocco to Spain, terrorist financing, an Arabic-named suspect, bank records and
subscriber data, urgent, H1) is built in a throw-away test database: nothing is written to
var/. PDF pages are rasterised with pypdfium2 (pure Python wheels, no system package). DOCX
files are turned into PDF first with ``libreoffice --headless`` when it is installed
(``apt-get install libreoffice-writer-nogui``; no pure-Python DOCX renderer exists) and their
page 1 saved as request-<lang>-docx-page1.png; without it they are written, not rendered, and
the script says so. Their content and right-to-left marks are checked by
tawasul/cooperation/tests/test_documents.py either way.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TAWASUL_ENV", "test")
OUT = ROOT / "artifacts" / "documents"


def sample_request() -> Any:
    """A filled-in request, with free text in French and one passage in Arabic."""
    from tawasul.cooperation.models import CooperationRequest, RequestAttachment
    from tawasul.cooperation.tests.factories import (
        CooperationRequestFactory,
        RequestMeasureFactory,
        RequestOffenceFactory,
        RequestPersonFactory,
    )
    from tawasul.core.tests.factories import AgencyFactory, UserFactory
    from tawasul.directory.models import AgencyChannel, AgencyKind

    rabat: Any = AgencyFactory(
        country="MA",
        kind=AgencyKind.PROSECUTION,
        name_en="Office of the Crown Prosecutor General at the Rabat Court of Appeal",
        name_fr="Parquet général près la Cour d'appel de Rabat",
        name_ar="النيابة العامة لدى محكمة الاستئناف بالرباط",
        address="Avenue Annakhil, Hay Riad\n10100 Rabat",
    )
    AgencyChannel.objects.create(agency=rabat, kind="phone", value="+212 537 00 00 00")
    AgencyChannel.objects.create(
        agency=rabat, kind="secure_email", value="entraide@parquet-rabat.example"
    )
    madrid: Any = AgencyFactory(
        country="ES",
        kind=AgencyKind.CENTRAL_AUTHORITY_MLA,
        name_en="Ministry of Justice — International Legal Cooperation",
        name_fr="Ministère de la Justice — Coopération juridique internationale",
        name_ar="وزارة العدل — التعاون القانوني الدولي",
        address="Calle San Bernardo 45\n28015 Madrid",
    )
    drafter: Any = UserFactory(country="MA", agency=rabat)
    when = datetime.datetime(2026, 3, 12, 10, 30, tzinfo=datetime.UTC)
    request: Any = CooperationRequestFactory(
        created_by=drafter,
        requesting_agency=rabat,
        requested_agency=madrid,
        requesting_reference="RP 1234/2026",
        summary_of_facts=(
            "Entre janvier et décembre 2025, des virements d'un montant total de 480 000 "
            "dirhams ont été effectués depuis des comptes ouverts à Tanger au profit d'un compte "
            "détenu en Espagne par une société écran. Les enquêteurs de la police judiciaire "
            "estiment que ces fonds ont servi à financer une cellule terroriste démantelée à "
            "Fès en janvier 2026."
        ),
        purpose=(
            "Obtenir les relevés du compte espagnol et l'identité des titulaires des adresses "
            "électroniques utilisées pour ordonner les virements, afin d'établir qui a financé "
            "la cellule."
        ),
        urgent=True,
        urgency_reason=(
            "يوجد المشتبه به رهن الاعتقال الاحتياطي، وتنتهي مدة الاعتقال في 30 أبريل 2026."
        ),
        deadline=datetime.date(2026, 4, 15),
        confidential=True,
        confidentiality_note="Ne pas informer le titulaire du compte de la demande.",
        dual_criminality_statement=(
            "Les faits sont punis en droit marocain (article 218-4 du Code pénal) et en droit "
            "espagnol (article 576 du Code pénal)."
        ),
        non_political_statement=(
            "Les faits visés ne constituent pas une infraction politique ni une infraction "
            "connexe à une infraction politique."
        ),
        assurance_death_penalty=True,
        assurance_speciality=True,
        assurance_fair_trial=True,
        handling_code="H1",
        content_version=3,
        created_at=when,
        updated_at=when,
    )
    RequestOffenceFactory(
        request=request,
        description="Financement du terrorisme",
        legal_provision=(
            "Article 218-4 du Code pénal : « Constitue un acte de terrorisme le fait de "
            "fournir, de réunir ou de gérer par quelque moyen que ce soit, directement ou "
            "indirectement, des fonds, des valeurs ou des biens dans l'intention de les voir "
            "utilisés ou en sachant qu'ils seront utilisés, en tout ou en partie, en vue de "
            "commettre un acte terroriste. »"
        ),
        penalty="Réclusion de 5 à 20 ans",
    )
    RequestPersonFactory(
        request=request,
        date_of_birth=datetime.date(1989, 7, 1),
        place_of_birth="Tanger",
        document_type="Passeport",
        document_number="UZ1234567",
    )
    RequestMeasureFactory(
        request=request,
        details={
            "bank": "Banco Ejemplo",
            "account": "ES91 2100 0418 4502 0005 1332",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "records": "Relevés de compte, ordres de virement et documents d'ouverture du compte.",
        },
    )
    RequestMeasureFactory(
        request=request,
        kind="subscriber_data",
        details={
            "provider": "Correo Ejemplo S.L.",
            "identifiers": "finance.tanger@mail.example\nsoutien.fes@mail.example",
        },
    )
    for name, description, code in (
        ("proces-verbal-audition.pdf", "Procès-verbal d'audition du 14 janvier 2026", "H0"),
        ("releves-bancaires-tanger.pdf", "Relevés des comptes ouverts à Tanger", "H1"),
    ):
        RequestAttachment.objects.create(
            request=request,
            filename=name,
            kind="pdf",
            content_type="application/pdf",
            size=1024,
            sha256="0" * 64,
            storage_name=f"sample-{name}",
            description=description,
            handling_code=code,
            uploaded_by=drafter,
        )
    return CooperationRequest.objects.get(pk=request.pk)


def first_page_png(pdf: bytes, target: Path) -> Path:
    import pypdfium2  # type: ignore[import-untyped]

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        # 110 dpi: small enough to look at, large enough to read Arabic vowel marks.
        page.render(scale=110 / 72).to_pil().save(target)
    finally:
        document.close()
    return target


def main() -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from render_report_pages import docx_to_pdf  # the action-plan reports' LibreOffice step

    from tawasul.cooperation import documents

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        request = sample_request()
        OUT.mkdir(parents=True, exist_ok=True)
        for language in documents.LANGUAGES:
            for fmt in documents.FORMATS:
                started = time.perf_counter()
                data = documents.render(request, language=language, fmt=fmt)
                elapsed = time.perf_counter() - started
                path = OUT / f"request-{language}.{fmt}"
                path.write_bytes(data)
                print(f"{path.relative_to(ROOT)}: {len(data) // 1024} KiB in {elapsed:.2f} s")
                if fmt == "pdf":
                    png = first_page_png(data, OUT / f"request-{language}-page1.png")
                    print(f"{png.relative_to(ROOT)}")
                    continue
                converted = docx_to_pdf(path)
                if converted is None:
                    print(f"{path.name}: libreoffice not found, page 1 not rendered")
                    continue
                png = first_page_png(
                    converted.read_bytes(), OUT / f"request-{language}-docx-page1.png"
                )
                print(f"{png.relative_to(ROOT)} (through LibreOffice)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
