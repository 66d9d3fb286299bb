"""Cells that are safe to open in a spreadsheet (CSV injection).

Every CSV export of the product writes its cells through ``neutralise``. (``tawasul.names``
keeps its own copy: it is a plain library that imports nothing from the product.)
"""

from __future__ import annotations

import re

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The cell as text, with a leading apostrophe when a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


_LINE_END = re.compile(r"\r\n|\r|\n")


def guess_delimiter(text: str) -> str:
    """The delimiter of a CSV text (comma, semicolon or tab): the one its first line holds
    most. The first line ends at any line end (a spreadsheet on an old Mac writes CR alone);
    only that line is cut out, not the whole file."""
    first_line = _LINE_END.split(text, maxsplit=1)[0]
    return max((",", ";", "\t"), key=first_line.count)
