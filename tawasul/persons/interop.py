"""Interoperability: the own country's person records as FollowTheMoney ``Person`` entities
(JSON lines, the format of OpenSanctions and ``ftm`` tooling) and as CSV; import of FtM
``Person`` entities, or of CSV rows in the export's columns, as new records of the importer's
country.

Only the owning country exports its records (they are read through ``visible_to``). The
handling code travels in the entity's ``notes`` so restrictions follow the data.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from tawasul.core.errors import ServiceError
from tawasul.core.handling import HandlingCode
from tawasul.core.spreadsheet import FORMULA_PREFIXES, guess_delimiter
from tawasul.persons.models import Category, DocumentType, NameType, PersonRecord, Sex
from tawasul.persons.screening import export_rows, is_formula, parse_partial_date
from tawasul.persons.services import DocumentIn, NameIn, import_refusal

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ENTITIES = 5000
_TOPICS = {
    "suspect": ["crime"],
    "ftf": ["crime.terror"],
    "kst": ["crime.terror"],
    "wanted": ["wanted"],
    "missing": [],
}
_GENDER = {Sex.FEMALE: "female", Sex.MALE: "male"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def to_ftm(record: PersonRecord) -> dict[str, Any]:
    names = list(record.names.all())
    documents = list(record.documents.all())
    props: dict[str, list[str]] = {
        "name": [n.full_name for n in names if n.name_type == NameType.PRIMARY],
        "alias": [n.full_name for n in names if n.name_type == NameType.ALIAS],
        "weakAlias": [n.full_name for n in names if n.name_type == NameType.KUNYA],
        "previousName": [n.full_name for n in names if n.name_type == NameType.PREVIOUS],
        "birthDate": [record.birth_date_display] if record.birth_year else [],
        "birthPlace": [record.place_of_birth] if record.place_of_birth else [],
        "nationality": [c.lower() for c in record.nationalities or []],
        "gender": [_GENDER[Sex(record.sex)]] if record.sex in _GENDER else [],
        "passportNumber": [d.number for d in documents if d.doc_type == DocumentType.PASSPORT],
        "idNumber": [d.number for d in documents if d.doc_type != DocumentType.PASSPORT],
        "topics": _TOPICS.get(record.category, []),
        "notes": [
            f"Tawasul {record.reference}; category {record.category}; handling code "
            f"{record.handling_code}"
            + (f" ({record.restriction})" if record.restriction else "")
            + (f"; INTERPOL notice {record.interpol_notice}" if record.interpol_notice else "")
        ],
        "country": [record.country.lower()],
    }
    return {
        "id": f"tawasul-{record.reference.lower()}",
        "schema": "Person",
        "properties": {k: v for k, v in props.items() if v},
    }


def export_ftm(records: Iterable[PersonRecord]) -> str:
    return "".join(json.dumps(to_ftm(r), ensure_ascii=False) + "\n" for r in records)


EXPORT_COLUMNS = (
    "reference",
    "category",
    "primary_name",
    "aliases",
    "date_of_birth",
    "place_of_birth",
    "nationalities",
    "sex",
    "documents",
    "interpol_notice",
    "handling_code",
    "review_date",
)


def export_csv(records: Iterable[PersonRecord]) -> str:
    rows: list[list[object]] = [list(EXPORT_COLUMNS)]
    for r in records:
        names = list(r.names.all())
        rows.append(
            [
                r.reference,
                r.category,
                next((n.full_name for n in names if n.name_type == NameType.PRIMARY), ""),
                " | ".join(n.full_name for n in names if n.name_type != NameType.PRIMARY),
                r.birth_date_display,
                r.place_of_birth,
                " ".join(r.nationalities or []),
                r.sex,
                " | ".join(
                    f"{d.doc_type}:{d.number}:{d.issuing_country}" for d in r.documents.all()
                ),
                r.interpol_notice,
                r.handling_code,
                r.review_date.isoformat(),
            ]
        )
    return export_rows(rows)


@dataclass
class ImportedPerson:
    """A person read from an import file; empty fields take the import form's values or the
    defaults of a new record."""

    names: list[NameIn]
    birth: tuple[int | None, int | None, int | None]
    place_of_birth: str
    nationalities: list[str]
    sex: str
    documents: list[DocumentIn]
    category: str = ""
    interpol_notice: str = ""
    handling_code: str = ""
    restriction: str = ""
    review_date: datetime.date | None = None
    # Where the person is in the file ("Line 4", "Entity 2"), for error messages.
    position: str = ""


def _strings(props: dict[str, Any], key: str, n: int) -> list[str]:
    value = props.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ServiceError(
            _("Entity %(n)s: property “%(key)s” must be a list of strings.") % {"n": n, "key": key},
            field="file",
        )
    # A JSON escape may give NUL or a lone surrogate, which no database column holds.
    if any("\x00" in v or _SURROGATE.search(v) for v in value):
        raise ServiceError(
            _("Entity %(n)s: property “%(key)s” holds a character that is not text.")
            % {"n": n, "key": key},
            field="file",
        )
    return [" ".join(v.split()) for v in value if v.strip()]


def parse_ftm(data: bytes) -> list[ImportedPerson]:
    """FtM ``Person`` entities (JSON lines or one JSON array); any problem refuses all."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": 5}, field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(_("The file is not UTF-8 text."), field="file") from None
    try:
        stripped = text.strip()
        if stripped.startswith("["):
            entities = json.loads(stripped)
        else:
            # JSON lines end at "\n" only: a string may hold U+2028 or U+0085 unescaped.
            entities = [json.loads(line) for line in stripped.split("\n") if line.strip()]
    except json.JSONDecodeError as problem:
        raise ServiceError(
            _("The file is not valid JSON (line %(line)s).") % {"line": problem.lineno},
            field="file",
        ) from None
    except (ValueError, RecursionError):
        # Nested beyond the recursion limit, or a number beyond int()'s digit limit.
        raise ServiceError(
            _("The file is not valid JSON: it nests too deeply or holds too long a number."),
            field="file",
        ) from None
    if not isinstance(entities, list) or not entities:
        raise ServiceError(_("The file holds no entity."), field="file")
    if len(entities) > MAX_IMPORT_ENTITIES:
        raise ServiceError(
            _("At most %(max)s entities per import.") % {"max": MAX_IMPORT_ENTITIES}, field="file"
        )
    people: list[ImportedPerson] = []
    known_countries = dict(countries)
    for n, entity in enumerate(entities, start=1):
        if not isinstance(entity, dict) or entity.get("schema") != "Person":
            raise ServiceError(
                _("Entity %(n)s is not a FollowTheMoney Person.") % {"n": n}, field="file"
            )
        props = entity.get("properties", {})
        if not isinstance(props, dict):
            raise ServiceError(_("Entity %(n)s has no properties.") % {"n": n}, field="file")
        primary = _strings(props, "name", n)
        if not primary:
            raise ServiceError(_("Entity %(n)s has no name.") % {"n": n}, field="file")
        names = [NameIn(primary[0], NameType.PRIMARY)]
        names += [NameIn(x, NameType.ALIAS) for x in primary[1:] + _strings(props, "alias", n)]
        names += [NameIn(x, NameType.KUNYA) for x in _strings(props, "weakAlias", n)]
        names += [NameIn(x, NameType.PREVIOUS) for x in _strings(props, "previousName", n)]
        birth: tuple[int | None, int | None, int | None] = (None, None, None)
        dates = _strings(props, "birthDate", n)
        if dates:
            try:
                birth = parse_partial_date(dates[0][:10])
            except ValueError:
                raise ServiceError(
                    _("Entity %(n)s: unreadable birth date “%(date)s”.")
                    % {"n": n, "date": dates[0]},
                    field="file",
                ) from None
        nationalities = [c.upper() for c in _strings(props, "nationality", n)]
        if any(c not in known_countries for c in nationalities):
            raise ServiceError(
                _("Entity %(n)s: unknown nationality code.") % {"n": n}, field="file"
            )
        gender = (_strings(props, "gender", n) or [""])[0].lower()
        sex = {"female": Sex.FEMALE, "male": Sex.MALE}.get(gender, Sex.UNKNOWN)
        documents = [
            DocumentIn(DocumentType.PASSPORT, x[:40]) for x in _strings(props, "passportNumber", n)
        ] + [DocumentIn(DocumentType.OTHER, x[:40]) for x in _strings(props, "idNumber", n)]
        people.append(
            ImportedPerson(
                names=names,
                birth=birth,
                place_of_birth=(_strings(props, "birthPlace", n) or [""])[0][:200],
                nationalities=nationalities,
                sex=sex,
                documents=documents,
                position=_("Entity %(n)s") % {"n": n},
            )
        )
    return people


# --- CSV import -------------------------------------------------------------------------

# The columns of ``export_csv``, and ``restriction`` (an H3 record needs one). Only the
# primary name is required; ``reference`` is read past (an import makes new records).
CSV_COLUMNS = (*EXPORT_COLUMNS, "restriction")
MAX_CSV_CELL = 2000


def _unneutralise(cell: str) -> str:
    """Undo ``neutralise``: the export writes '=x for a cell =x."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def import_format(data: bytes, filename: str) -> str:
    """``csv`` or ``ftm``: by the file's extension, else by its first character."""
    name = filename.lower()
    if name.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    if name.endswith((".json", ".jsonl", ".ndjson")):
        return "ftm"
    head = data[:64].removeprefix(b"\xef\xbb\xbf").lstrip()
    return "ftm" if head.startswith((b"{", b"[")) else "csv"


def _decode_csv(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": 5}, field="file")
    if not data.strip():
        raise ServiceError(_("The file is empty."), field="file")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ServiceError(
            _("Spreadsheet files are not accepted here: save the sheet as CSV (UTF-8)."),
            field="file",
        )
    if b"\x00" in data:
        raise ServiceError(_("This is not a CSV file (it contains binary data)."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise ServiceError(
            _(
                "The file is not UTF-8 text (invalid byte at position %(pos)s). Save it as CSV UTF-8."
            )
            % {"pos": problem.start},
            field="file",
        ) from None


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _csv_person(row: dict[str, str], known_countries: dict[str, str]) -> ImportedPerson:
    """One CSV row as an ImportedPerson; ``_RowError`` names the column at fault."""

    def cell(column: str) -> str:
        return " ".join(row.get(column, "").split())

    primary = cell("primary_name")
    if not primary:
        raise _RowError("primary_name", _("a record needs its primary name."))
    names = [NameIn(primary, NameType.PRIMARY)]
    names += [NameIn(a.strip(), NameType.ALIAS) for a in cell("aliases").split("|") if a.strip()]
    category = cell("category").lower()
    if category and category not in Category.values:
        raise _RowError("category", _("unknown category “%(value)s”.") % {"value": category})
    birth: tuple[int | None, int | None, int | None] = (None, None, None)
    if cell("date_of_birth"):
        try:
            birth = parse_partial_date(cell("date_of_birth"))
        except ValueError:
            raise _RowError(
                "date_of_birth",
                _("unreadable date “%(value)s” (write 1984, 1984-06 or 1984-06-21).")
                % {"value": cell("date_of_birth")},
            ) from None
    nationalities = [c.upper() for c in cell("nationalities").replace(",", " ").split()]
    for code in nationalities:
        if code not in known_countries:
            raise _RowError(
                "nationalities", _("unknown country code “%(value)s”.") % {"value": code}
            )
    sex = cell("sex").upper() or Sex.UNKNOWN
    if sex not in Sex.values:
        raise _RowError("sex", _("write F, M or U, not “%(value)s”.") % {"value": sex})
    documents = []
    for entry in cell("documents").split("|"):
        if not entry.strip():
            continue
        parts = [p.strip() for p in entry.split(":")]
        parts[0] = parts[0].lower()
        if len(parts) < 2 or parts[0] not in DocumentType.values or not parts[1]:
            raise _RowError(
                "documents",
                _("write each document as type:number:country, for example passport:AB123456:MA."),
            )
        issuing = parts[2].upper() if len(parts) > 2 else ""
        if len(parts) > 3 or (issuing and issuing not in known_countries):
            raise _RowError(
                "documents", _("unknown issuing country in “%(value)s”.") % {"value": entry}
            )
        documents.append(DocumentIn(parts[0], parts[1][:40], issuing))
    handling = cell("handling_code").upper() or HandlingCode.H0
    if handling not in HandlingCode.values:
        raise _RowError(
            "handling_code", _("unknown handling code “%(value)s”.") % {"value": handling}
        )
    review: datetime.date | None = None
    if cell("review_date"):
        try:
            review = datetime.date.fromisoformat(cell("review_date"))
        except ValueError:
            raise _RowError(
                "review_date",
                _("unreadable date “%(value)s” (write 2030-06-21).")
                % {"value": cell("review_date")},
            ) from None
    return ImportedPerson(
        names=names,
        birth=birth,
        place_of_birth=cell("place_of_birth")[:200],
        nationalities=nationalities,
        sex=sex,
        documents=documents,
        category=category,
        interpol_notice=cell("interpol_notice")[:40],
        handling_code=handling,
        restriction=cell("restriction"),
        review_date=review,
    )


def parse_records_csv(data: bytes) -> list[ImportedPerson]:
    """Person records in the columns of the CSV export (UTF-8; comma, semicolon or tab).

    Every row is checked before anything is created; any problem refuses the whole file, and
    the message names the line and the column of the first few problems. A cell a
    spreadsheet would run (= + - @) is refused, unless it carries the apostrophe the export
    puts before such cells.
    """
    text = _decode_csv(data)
    delimiter = guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        unknown = [h for h in header if h not in CSV_COLUMNS]
        if unknown or "primary_name" not in header:
            raise ServiceError(
                _(
                    "The first line must name the columns of the CSV export (%(columns)s); "
                    "“primary_name” is required. Not recognised: %(unknown)s."
                )
                % {
                    "columns": ", ".join(CSV_COLUMNS),
                    "unknown": ", ".join(f"“{h}”" for h in unknown[:5]) or "—",
                },
                field="file",
            )
        if len(set(header)) != len(header):
            raise ServiceError(_("Two columns have the same name."), field="file")
        people: list[ImportedPerson] = []
        errors: list[str] = []
        known_countries = dict(countries)
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(people) + len(errors) >= MAX_IMPORT_ENTITIES:
                raise ServiceError(
                    _("At most %(max)s records per import.") % {"max": MAX_IMPORT_ENTITIES},
                    field="file",
                )
            try:
                if len(row) != len(header):
                    raise _RowError(
                        "",
                        _("%(got)s columns; the first line names %(want)s.")
                        % {"got": len(row), "want": len(header)},
                    )
                cells: dict[str, str] = {}
                for column, raw in zip(header, row, strict=True):
                    if len(raw) > MAX_CSV_CELL:
                        raise _RowError(column, _("longer than 2,000 characters."))
                    if is_formula(raw):
                        raise _RowError(column, _("holds a formula; formulas are refused."))
                    cells[column] = _unneutralise(raw)
                person = _csv_person(cells, known_countries)
            except _RowError as problem:
                errors.append(_row_message(line, problem.column, problem.message))
                continue
            person.position = _("Line %(line)s") % {"line": line}
            people.append(person)
    except csv.Error as problem:
        raise ServiceError(
            _("The file is not valid CSV: %(error)s") % {"error": str(problem)}, field="file"
        ) from None
    if errors:
        raise ServiceError(import_refusal(errors), field="file")
    if not people:
        raise ServiceError(_("The file holds no record under its header."), field="file")
    return people


def _row_message(line: int, column: str, message: str) -> str:
    if column:
        return _("Line %(line)s, column “%(column)s”: %(error)s") % {
            "line": line,
            "column": column,
            "error": message,
        }
    return _("Line %(line)s: %(error)s") % {"line": line, "error": message}
