"""Every catalogue is complete and its compiled .mo matches it, so no page falls back to
English in Arabic or French and nobody forgets `make messages`."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(
    [
        *ROOT.glob("locale/*/LC_MESSAGES/django.po"),
        *ROOT.glob("tawasul/*/locale/*/LC_MESSAGES/django.po"),
    ]
)


def test_arabic_and_french_catalogues_exist():
    assert {p.parts[-3] for p in CATALOGUES if p.parts[0:1] != ("tawasul",)} >= {"ar", "fr"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:5]}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_source(po_path):
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.pofile(str(po_path))
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural))
        for e in polib.mofile(str(po_path.with_suffix(".mo")))
    }
    assert compiled == source, "run `make messages` to recompile"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_placeholders_survive_translation(po_path):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(po_path)):
        expected = set(placeholder.findall(entry.msgid))
        if entry.msgstr:
            assert set(placeholder.findall(entry.msgstr)) == expected, entry.msgid
