"""Public API surface, normalisation details and the command line."""

from __future__ import annotations

import csv
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tawasul.names.__main__ import main
from tawasul.names.normalize import normalize, parse

REPO = Path(__file__).resolve().parents[3]


def test_public_api_is_exactly_the_five_names() -> None:
    mod = importlib.import_module("tawasul.names")
    assert sorted(mod.__all__) == sorted(
        ["similarity", "explain", "NameIndex", "encode", "encoded_similarity"]
    )
    for name in mod.__all__:
        assert callable(getattr(mod, name))


def test_library_does_not_import_django() -> None:
    code = (
        "import sys, tawasul.names, tawasul.names.bench, tawasul.names.__main__; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)  # noqa: S603


def test_arabic_normalisation_folds_letter_variants() -> None:
    assert normalize("أحمد") == normalize("احمد") == normalize("إحمد")
    assert normalize("فاطمة") == "فاطمه"
    assert normalize("مصطفى") == "مصطفي"
    assert normalize("كریم") == "كريم"  # Persian yeh
    assert normalize("١٢٣") == "123"


def test_compounds_become_one_part() -> None:
    for name in ("Abd al-Rahman", "Abdul Rahman", "Abderrahmane", "عبد الرحمن", "عبدالرحمن"):
        units = parse(name)
        assert len(units) == 1 and units[0].kind == "abd", name
    kunya = parse("Abou Bakr al-Baghdadi")
    assert [u.kind for u in kunya] == ["kunya", "name"]
    assert parse("Ould Abdallah")[0].kind == "filiation"


def test_cli_score_prints_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "Djamel Cherif", "Jamal Sharif"]) == 0
    assert float(capsys.readouterr().out) >= 0.7


def test_cli_explain_prints_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "شريف", "Cherif"]) == 0
    assert "matched" in capsys.readouterr().out


def test_cli_screen_writes_csv(tmp_path: Path) -> None:
    lst = tmp_path / "list.csv"
    against = tmp_path / "against.csv"
    out = tmp_path / "out.csv"
    lst.write_text("id,name\nq1,Mohamed Abderrahmane El Zahrani\nq2,Nobody Atall\n", "utf-8")
    against.write_text("id,name\nr1,محمد عبد الرحمن الزهراني\nr2,Djamel Cherif\n", "utf-8")
    assert main(["screen", str(lst), str(against), "--out", str(out), "--quiet"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["list_id"], r["match_id"]) for r in rows] == [("q1", "r1")]
    assert float(rows[0]["score"]) >= 0.9 and rows[0]["explanation"]


def test_cli_screen_neutralises_formulas(tmp_path: Path) -> None:
    lst = tmp_path / "list.csv"
    against = tmp_path / "against.csv"
    out = tmp_path / "out.csv"
    lst.write_text('id,name\n=cmd,"=Djamel Cherif"\n', "utf-8")
    against.write_text("id,name\nr1,Djamel Cherif\n", "utf-8")
    assert main(["screen", str(lst), str(against), "--out", str(out), "--quiet"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["list_id"] == "'=cmd"
    assert rows[0]["list_name"].startswith("'=")


def test_cli_runs_as_module() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "tawasul.names", "score", "Omar", "Omar"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert res.stdout.strip() == "1.000"


def test_parts_are_classified_by_role() -> None:
    from tawasul.names.normalize import roles

    units = parse("Abou Bakr Mohamed ben Abderrahmane Saleh El Tounsi")
    assert roles(units) == (
        "kunya",
        "given name",
        "father's name",
        "father's/grandfather's name",
        "nisba",
    )
    assert roles(parse("Sheikh Ahmed Zahrani")) == ("title", "given name", "family name")
