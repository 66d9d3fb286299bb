"""Render the action-plan reports from the demo data and page 1 of each as PNG, for a person
to look at: artifacts/reports/<name>.{pdf,docx} and <name>-page1.png.

    TAWASUL_ENV=test .venv/bin/python scripts/render_report_pages.py

It loads the demo data into a throw-away test database (nothing is written to var/), builds
the GLO.ACT Casablanca meeting report and the GLO.ACT 2019 annual report in Arabic, French and
English, as PDF and DOCX. PDF pages are rasterised with poppler's ``pdftoppm``; DOCX files
are converted to PDF first with ``libreoffice --headless`` when it is installed (otherwise
their page 1 is skipped, and said so: the PDF of the same report has the same content).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TAWASUL_ENV", "test")
OUT = ROOT / "artifacts" / "reports"


def first_page_png(pdf: Path, target_stem: Path) -> Path | None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found (apt-get install poppler-utils): PNG skipped", file=sys.stderr)
        return None
    subprocess.run(  # noqa: S603 - fixed program, our own file names
        [
            pdftoppm,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(target_stem),
        ],
        check=True,
    )
    return target_stem.with_suffix(".png")


def docx_to_pdf(docx: Path) -> Path | None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    workdir = Path(tempfile.mkdtemp())
    subprocess.run(  # noqa: S603 - fixed program, our own file names
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(docx)],
        check=True,
        capture_output=True,
    )
    return workdir / (docx.stem + ".pdf")


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from tawasul.accounts.models import User
    from tawasul.actionplans import demo, reports
    from tawasul.actionplans.models import Meeting, Programme
    from tawasul.core.management.commands.demo_seed import Command as DemoSeed

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        settings.DEMO_MODE = True
        # The demo users, then this app's demo data only (other apps' demos are not needed).
        DemoSeed()._seed([])
        demo.seed()
        reader = User.objects.get(username="ma.police")
        meeting = Meeting.objects.get(programme__code="glo-act", start_date__year=2019)
        programme = Programme.objects.get(code="glo-act")
        OUT.mkdir(parents=True, exist_ok=True)
        made: list[Path] = []
        for language in ("ar", "fr", "en"):
            for report in (
                reports.meeting_report(reader, meeting, language),
                reports.programme_report(reader, programme, 2019, language),
            ):
                for fmt in reports.FORMATS:
                    path = OUT / f"{report.filename}.{fmt}"
                    path.write_bytes(reports.render(report, fmt))
                    pdf = path if fmt == "pdf" else docx_to_pdf(path)
                    if pdf is None:
                        print(f"{path.name}: libreoffice not found, page 1 not rendered")
                        continue
                    png = first_page_png(pdf, OUT / f"{report.filename}-{fmt}-page1")
                    if png is not None:
                        made.append(png)
        for png in made:
            print(png.relative_to(ROOT))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
