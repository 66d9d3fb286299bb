"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib.

Why not Django's compilemessages: it needs GNU gettext's msgfmt, a system package a newcomer
may not have. The .mo files are committed, so `make demo` needs neither; this script is what
`make messages` runs after editing a catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    compiled = 0
    catalogues = [
        *ROOT.glob("locale/*/LC_MESSAGES/*.po"),
        *ROOT.glob("tawasul/*/locale/*/LC_MESSAGES/*.po"),
    ]
    for po_path in sorted(catalogues):
        catalogue = polib.pofile(str(po_path))
        missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
        if missing:
            print(f"{po_path}: {len(missing)} untranslated, e.g. {missing[0]!r}", file=sys.stderr)
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        compiled += 1
    print(f"compiled {compiled} catalogues")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
