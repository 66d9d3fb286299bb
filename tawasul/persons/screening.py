"""List screening: validating an uploaded list (CSV or XLSX), running it against the person
index, and exporting the results with spreadsheet formulas neutralised.

A CSV cell starting with = + - @ is refused (a spreadsheet opening the file would run it). An
XLSX sheet is read with openpyxl in read-only, ``data_only`` mode: formulas are never
evaluated, and its text cells are typed as text, so they are kept as they are.
"""

from __future__ import annotations

import csv
import datetime
import gc
import io
import multiprocessing
import os
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import openpyxl  # type: ignore[import-untyped]
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

# openpyxl's own XML parser for the content types: it resolves no entities (lxml without
# entity resolution, or defusedxml), like the parser openpyxl reads the sheets with.
from openpyxl.xml.functions import fromstring as parse_xml  # type: ignore[import-untyped]

from tawasul.core.errors import ServiceError
from tawasul.core.spreadsheet import FORMULA_PREFIXES, guess_delimiter, neutralise
from tawasul.names import Match, NameIndex
from tawasul.persons import matching
from tawasul.persons.models import IdentityDocument, PersonName, PersonRecord, ScreeningJob

_NUMBER = re.compile(r"^[+-][\d\s.,]*$")
# PDF, PNG, JPEG, gzip: files people upload by mistake.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"\x1f\x8b")
_ZIP_MAGIC = b"PK\x03\x04"
_XLSX_NAMES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls")
# The main part of a workbook without macros (a workbook or a template).
_XLSX_MAIN = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    }
)
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Error values a formula leaves as its cached result: no data.
_XLSX_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
# Parts of a package: a real workbook has a few dozen; thousands is a crafted file.
MAX_ZIP_ENTRIES = 1000
# Unpacked, a workbook may be ten times its packed size (XML compresses well), no more.
UNPACK_FACTOR = 10
MAX_COLUMNS = 100
MAX_CELL = 500
# Excel's own last row: a sheet claiming rows beyond it is crafted.
_XLSX_LAST_ROW = 1_048_576
PROGRESS_EVERY = 500
# Rows a forked screening process takes at a time (and the smallest list worth forking for).
CHUNK_ROWS = 1000
# Distinct names whose search results a job keeps.
NAME_CACHE = 50_000


def max_bytes() -> int:
    return settings.PERSONS_SCREENING_MAX_MB * 1024 * 1024


def max_rows() -> int:
    return settings.PERSONS_SCREENING_MAX_ROWS


@dataclass(frozen=True)
class ParsedList:
    header: list[str]
    text: str
    delimiter: str
    rows: int


def is_formula(cell: str) -> bool:
    """A cell a spreadsheet would run: starts with = + - @ tab or CR (signed numbers are not)."""
    if not cell or not cell.startswith(FORMULA_PREFIXES):
        return False
    return not _NUMBER.match(cell)


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, field="file")


def _too_large() -> ServiceError:
    return _refuse(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)})


def parse_upload(
    stream: IO[bytes], size: int, *, filename: str = "", sheet: str = ""
) -> ParsedList:
    """Validate an uploaded list (CSV in UTF-8, or an XLSX workbook) by its content; a refusal
    raises a translated ServiceError and nothing is kept.

    An XLSX sheet is read without running anything (``_read_xlsx``) and kept as CSV text, so
    the job runs the same way whatever the upload was.
    """
    limit = max_bytes()
    if size > limit:
        raise _too_large()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large()
    if not data.strip():
        raise _refuse(_("The file is empty."))
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, sheet.strip())
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(
            _(
                "Old Excel files (.xls) and password-protected workbooks are not accepted: "
                "save the sheet as XLSX without a password, or as CSV UTF-8."
            )
        )
    if filename.lower().endswith(_XLSX_NAMES):
        raise _refuse(_("The file is named as an Excel workbook but its content is not one."))
    if data.startswith(_BINARY_MAGIC):
        raise _refuse(_("This is not a CSV file."))
    if b"\x00" in data:
        raise _refuse(_("This is not a CSV file (it contains binary data)."))
    return _read_csv(data)


def _check_header(header: list[str], formulas_refused: bool) -> list[str]:
    header = [h.strip() for h in header]
    if not header or not any(header):
        raise _refuse(_("The first line must name the columns."))
    if len(header) > MAX_COLUMNS:
        raise _refuse(
            _("The list has %(got)s columns; at most %(max)s are accepted.")
            % {"got": len(header), "max": MAX_COLUMNS}
        )
    if any(not h for h in header):
        raise _refuse(_("Every column needs a name in the first line."))
    if len(set(header)) != len(header):
        raise _refuse(_("Two columns have the same name."))
    for col, cell in enumerate(header, start=1):
        if len(cell) > MAX_CELL:
            raise _refuse(
                _("Line %(line)s, column %(col)s is longer than 500 characters.")
                % {"line": 1, "col": col}
            )
        if formulas_refused and is_formula(cell):
            raise _refuse(
                _("Line %(line)s, column %(col)s holds a formula; formulas are refused.")
                % {"line": 1, "col": col}
            )
    return header


def _read_csv(data: bytes) -> ParsedList:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise _refuse(
            _(
                "The file is not UTF-8 text (invalid byte at position %(pos)s). Save it as CSV UTF-8."
            )
            % {"pos": problem.start}
        ) from None
    delimiter = guess_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = _check_header(next(reader, []), formulas_refused=True)
        count = 0
        for line, row in enumerate(reader, start=2):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise _refuse(
                    _("Line %(line)s has %(got)s columns; the first line names %(want)s.")
                    % {"line": line, "got": len(row), "want": len(header)}
                )
            for col, cell in enumerate(row, start=1):
                if is_formula(cell):
                    raise _refuse(
                        _("Line %(line)s, column %(col)s holds a formula; formulas are refused.")
                        % {"line": line, "col": col}
                    )
                if len(cell) > MAX_CELL:
                    raise _refuse(
                        _("Line %(line)s, column %(col)s is longer than 500 characters.")
                        % {"line": line, "col": col}
                    )
            count += 1
            if count > max_rows():
                raise _refuse(_("The list has more than %(max)s rows.") % {"max": max_rows()})
    except csv.Error as problem:
        raise _refuse(_("The file is not valid CSV: %(error)s") % {"error": str(problem)}) from None
    if count == 0:
        raise _refuse(_("The list has no rows under its header."))
    return ParsedList(header=header, text=text, delimiter=delimiter, rows=count)


def _check_package(archive: zipfile.ZipFile) -> None:
    """Refuse a zip that is not a plain XLSX workbook, by its parts and content types (the
    file name is not trusted): encrypted or exotic entries, too many parts, a content that
    unpacks far beyond the upload limit (a zip bomb), macros, binary workbooks."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _refuse(_("This is not a valid XLSX workbook (too many parts)."))
    unpacked = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise _refuse(_("Password-protected workbooks are not accepted."))
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(_("This is not a valid XLSX workbook (unknown compression)."))
        # zipfile stops reading an entry at its declared size and checks its CRC, so the
        # declared sizes bound what openpyxl can unpack.
        unpacked += entry.file_size
        if entry.filename.lower().endswith("vbaproject.bin"):
            raise _refuse(_("Workbooks with macros (.xlsm) are not accepted: save it as .xlsx."))
    if unpacked > UNPACK_FACTOR * max_bytes():
        raise _refuse(
            _("The workbook unpacks to more than %(mb)s MB; it is refused.")
            % {"mb": UNPACK_FACTOR * max_bytes() // (1024 * 1024)}
        )
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise _refuse(_("This is not a valid XLSX workbook (no content types).")) from None
    if info.file_size > 1024 * 1024:
        raise _refuse(_("This is not a valid XLSX workbook (content types too large)."))
    try:
        root = parse_xml(archive.read(info))
    except Exception:
        raise _refuse(_("This is not a valid XLSX workbook (unreadable content types).")) from None
    types = {
        str(el.get("ContentType", ""))
        for el in root
        if el.tag in (_CT_NS + "Default", _CT_NS + "Override")
    }
    if any("binary" in t.lower() for t in types):
        raise _refuse(_("Binary workbooks (.xlsb) are not accepted: save it as .xlsx."))
    if any("macroenabled" in t.lower() or "vbaproject" in t.lower() for t in types):
        raise _refuse(_("Workbooks with macros (.xlsm) are not accepted: save it as .xlsx."))
    if not types & _XLSX_MAIN:
        raise _refuse(_("This is a zip file, not an XLSX workbook."))


def _xlsx_text(value: object) -> str:
    """A cell's value as the text a CSV export of the sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    text = str(value)
    return "" if text in _XLSX_ERRORS else text


def _read_xlsx(data: bytes, sheet: str) -> ParsedList:
    """Read one worksheet of an XLSX workbook with openpyxl in read-only mode and
    ``data_only``: a formula is never evaluated (its cached value is read, or nothing), and a
    text cell starting with = + - @ is text (exports neutralise it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise _refuse(_("This is not a valid XLSX workbook (damaged zip file).")) from None
    with archive:
        _check_package(archive)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation, styles): irrelevant here.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_vba=False, keep_links=False
            )
    except Exception:
        raise _refuse(_("The workbook could not be read; save it again as .xlsx.")) from None
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                raise _refuse(
                    _("The workbook has no worksheet “%(sheet)s”; it has: %(names)s.")
                    % {"sheet": sheet, "names": ", ".join(workbook.sheetnames[:20])}
                )
            worksheet = workbook[sheet]
        elif workbook.worksheets:
            worksheet = workbook.worksheets[0]
        else:
            raise _refuse(_("The workbook has no worksheet."))
        return _read_sheet(worksheet)
    except ServiceError:
        raise
    except Exception:
        raise _refuse(_("The worksheet could not be read; save it again as .xlsx.")) from None
    finally:
        workbook.close()


def _read_sheet(worksheet: Any) -> ParsedList:
    # The stored dimension may be wrong or crafted (A1:XFD1048576): read the cells present.
    worksheet.reset_dimensions()
    out = io.StringIO()
    writer = csv.writer(out)
    header: list[str] | None = None
    count = 0
    limit = max_bytes()
    for line, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if line > _XLSX_LAST_ROW:
            raise _refuse(_("This is not a valid XLSX workbook (too many rows)."))
        cells = [_xlsx_text(v) for v in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            continue
        if header is None:
            header = _check_header(cells, formulas_refused=False)
            writer.writerow(header)
            continue
        if len(cells) > len(header):
            raise _refuse(
                _("Row %(line)s has %(got)s columns; the first row names %(want)s.")
                % {"line": line, "got": len(cells), "want": len(header)}
            )
        for col, cell in enumerate(cells, start=1):
            if len(cell) > MAX_CELL:
                raise _refuse(
                    _("Row %(line)s, column %(col)s is longer than 500 characters.")
                    % {"line": line, "col": get_column_letter(col)}
                )
        cells.extend([""] * (len(header) - len(cells)))
        writer.writerow(cells)
        count += 1
        if count > max_rows():
            raise _refuse(_("The list has more than %(max)s rows.") % {"max": max_rows()})
        if out.tell() > limit:
            raise _refuse(
                _("The worksheet holds more than %(mb)s MB of text; split the list.")
                % {"mb": limit // (1024 * 1024)}
            )
    if header is None:
        raise _refuse(_("The worksheet is empty."))
    if count == 0:
        raise _refuse(_("The list has no rows under its header."))
    return ParsedList(header=header, text=out.getvalue(), delimiter=",", rows=count)


def guess_column(header: list[str], field: str) -> int | None:
    hints = {
        "name": ("name", "nom", "اسم", "الاسم", "full name", "passenger"),
        "date_of_birth": ("birth", "naissance", "dob", "ميلاد"),
        "nationality": ("national", "جنسية"),
        "document": ("passport", "document", "passeport", "جواز", "وثيقة"),
        "sex": ("sex", "sexe", "gender", "جنس"),
    }[field]
    for i, h in enumerate(header):
        low = h.lower()
        if field == "name" and any(w in low for w in ("birth", "naissance")):
            continue
        if any(w in low for w in hints):
            return i
    return None


def iter_rows(job: ScreeningJob) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(job.source_text, newline=""), delimiter=job.delimiter)
    next(reader, None)
    n = 0
    for row in reader:
        if not row or not any(c.strip() for c in row):
            continue
        n += 1
        yield n, row


def row_query(row: list[str], mapping: dict[str, int]) -> matching.Query:
    def cell(field: str) -> str:
        i = mapping.get(field)
        return row[i].strip() if i is not None and i < len(row) else ""

    year = month = day = None
    dob = cell("date_of_birth")
    if dob:
        try:
            year, month, day = parse_partial_date(dob)
        except ValueError:
            year = month = day = None
    sex = cell("sex")[:1].upper()
    return matching.Query(
        name=cell("name")[:200],
        birth_year=year,
        birth_month=month,
        birth_day=day,
        nationality=cell("nationality")[:2].upper(),
        document=cell("document")[:40],
        sex=sex if sex in ("F", "M") else "",
    )


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})$"),
)


def parse_partial_date(text: str) -> tuple[int, int | None, int | None]:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``DD/MM/YYYY``; ValueError otherwise."""
    text = text.strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            parts = m.groupdict()
            year = int(parts["y"])
            month = int(parts["m"]) if parts.get("m") else None
            day = int(parts["d"]) if parts.get("d") else None
            datetime.date(year, month or 1, day or 1)  # raises ValueError if impossible
            return year, month, day
    raise ValueError(text)


def load_facts(searchable: QuerySet[PersonRecord]) -> list[matching.RecordFacts]:
    """What scoring needs of every searchable record, in three flat queries: a list is
    screened against all of them, and model instances with prefetched names and documents
    cost four times as much to build. Records keep the queryset's order: the in-memory
    index breaks ties by the order names were added, so results do not depend on how the
    records were loaded."""
    facts = {
        pk: matching.RecordFacts(
            pk=pk,
            names=[],
            birth_year=year,
            birth_month=month,
            birth_day=day,
            nationalities=list(nationalities or []),
            sex=sex,
        )
        for pk, year, month, day, nationalities, sex in searchable.values_list(
            "pk", "birth_year", "birth_month", "birth_day", "nationalities", "sex"
        )
    }
    ids = searchable.order_by().values("pk")
    for record_id, full_name in (
        PersonName.objects.filter(record__in=ids)
        .order_by("pk")
        .values_list("record_id", "full_name")
    ):
        if record_id in facts:
            facts[record_id].names.append(full_name)
    for record_id, number in IdentityDocument.objects.filter(record__in=ids).values_list(
        "record_id", "number_norm"
    ):
        if record_id in facts:
            facts[record_id].documents.add(number)
    return list(facts.values())


class Matcher:
    """The searchable records of one user, indexed in memory for a whole list."""

    def __init__(self, facts: list[matching.RecordFacts]) -> None:
        self.facts = {f.pk: f for f in facts}
        self.index = NameIndex()
        self.documents: dict[str, list[int]] = {}
        # Name searches already made: a list repeats names (families, crews, the same
        # traveller twice), and the search depends on the name only.
        self._by_name: dict[str, list[Match]] = {}
        for f in self.facts.values():
            self.index.add(str(f.pk), f.names)
            for doc in f.documents:
                self.documents.setdefault(doc, []).append(f.pk)

    @classmethod
    def for_user(cls, user: Any) -> Matcher:
        return cls(load_facts(PersonRecord.objects.searchable_by(user)))

    def _search(self, name: str) -> list[Match]:
        found = self._by_name.get(name)
        if found is None:
            found = self.index.search(name, limit=5, threshold=matching.NAME_THRESHOLD)
            if len(self._by_name) >= NAME_CACHE:
                self._by_name.clear()
            self._by_name[name] = found
        return found

    def match(self, query: matching.Query) -> list[matching.Scored]:
        results: dict[int, matching.Scored] = {}
        if query.document:
            for pk in self.documents.get(matching.normalise_document(query.document), []):
                s = matching.score_record(query, self.facts[pk])
                if s is not None:
                    results[pk] = s
        if query.name:
            for m in self._search(query.name):
                pk = int(m.key)
                if pk in results:
                    continue
                s = matching.score_record(query, self.facts[pk], name_score=m.score, matched=m.name)
                if s is not None:
                    results[pk] = s
        return sorted(results.values(), key=matching.rank)


def export_rows(rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue()


# A row's matches: (row number, the query as stored on the hit, the scored records).
RowMatches = tuple[int, dict[str, Any], list[matching.Scored]]

# The matcher the forked processes inherit (set only while a pool runs).
_SHARED: tuple[Matcher, dict[str, int]] | None = None


def _screen(
    matcher: Matcher, mapping: dict[str, int], rows: list[tuple[int, list[str]]]
) -> list[RowMatches]:
    out: list[RowMatches] = []
    for n, row in rows:
        query = row_query(row, mapping)
        found = matcher.match(query)
        if found:
            out.append((n, query.as_dict(), found))
    return out


def _screen_chunk(rows: list[tuple[int, list[str]]]) -> list[RowMatches]:
    """Run in a forked process: screen a chunk against the inherited matcher (no database)."""
    if _SHARED is None:  # pragma: no cover - only a pool started by _screen_parallel calls it
        raise RuntimeError("no matcher in this process")
    return _screen(_SHARED[0], _SHARED[1], rows)


def processes() -> int:
    """Processes a screening job uses: ``PERSONS_SCREENING_PROCESSES`` if set, else the CPUs
    this process may run on (at most four)."""
    configured = getattr(settings, "PERSONS_SCREENING_PROCESSES", None)
    if configured is not None:
        return max(1, int(configured))
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        available = os.cpu_count() or 1
    return max(1, min(4, available))


def _screen_parallel(
    job: ScreeningJob, matcher: Matcher, rows: list[tuple[int, list[str]]], workers: int
) -> list[RowMatches]:
    """Screen in ``workers`` forked processes that share the built matcher (copy-on-write:
    the index is built once). The children compute only: they never touch the database, and
    leave through ``os._exit`` (multiprocessing's fork), so the parent's connection is
    untouched. Progress is stored as chunks come back, in order."""
    global _SHARED
    from tawasul.persons import services

    chunks = [rows[i : i + CHUNK_ROWS] for i in range(0, len(rows), CHUNK_ROWS)]
    out: list[RowMatches] = []
    _SHARED = (matcher, job.mapping)
    # Keep the collector away from the inherited objects: walking them would copy every page
    # of the index into each child.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = 0
            for found in pool.imap(_screen_chunk, chunks):
                out.extend(found)
                done += CHUNK_ROWS
                services.screening_job_progress(job=job, processed=min(done, len(rows)))
    finally:
        gc.unfreeze()
        _SHARED = None
    return out


def run_job(job: ScreeningJob) -> ScreeningJob:
    """Screen a claimed job's rows; store its hits; the job ends done or failed.

    The user's searchable records are indexed in memory once (``Matcher``); a long list is
    split across ``processes()`` forked processes. The hits' records are read again through
    ``searchable_by`` when they are stored, so a record deleted meanwhile yields no hit.
    """
    from tawasul.persons import services
    from tawasul.persons.models import may_use_person_index

    if not may_use_person_index(job.owner):
        services.screening_job_fail(job=job, error="The uploader may no longer screen lists.")
        return job
    try:
        matcher = Matcher.for_user(job.owner)
        rows = list(iter_rows(job))
        workers = min(processes(), len(rows) // CHUNK_ROWS)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            found = _screen_parallel(job, matcher, rows, workers)
        else:
            found = []
            for start in range(0, len(rows), PROGRESS_EVERY):
                found.extend(_screen(matcher, job.mapping, rows[start : start + PROGRESS_EVERY]))
                services.screening_job_progress(
                    job=job, processed=min(start + PROGRESS_EVERY, len(rows))
                )
        ids = {s.record_id for _n, _query, scored in found for s in scored}
        records = (
            PersonRecord.objects.searchable_by(job.owner).select_related("originator").in_bulk(ids)
        )
        matches = [
            (records[s.record_id], s, query, n)
            for n, query, scored in found
            for s in scored
            if s.record_id in records
        ]
        return services.screening_job_finish(job=job, matches=matches)
    except Exception as problem:
        services.screening_job_fail(job=job, error=f"{type(problem).__name__}: {problem}")
        raise
