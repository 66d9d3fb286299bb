"""Cells that are safe to open in a spreadsheet (CSV injection).

Every CSV export of the product writes its cells through ``neutralise``. (``tawasul.names``
keeps its own copy: it is a plain library that imports nothing from the product.)
"""

from __future__ import annotations

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The cell as text, with a leading apostrophe when a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
