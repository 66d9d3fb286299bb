"""List screening: validating an uploaded list, running it against the person index, and
exporting the results with spreadsheet formulas neutralised.

CSV only: XLSX would need openpyxl, which this installation does not have; an XLSX upload is
told to export the sheet as CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from tawasul.core.errors import ServiceError
from tawasul.core.spreadsheet import FORMULA_PREFIXES, neutralise
from tawasul.names import NameIndex
from tawasul.persons import matching
from tawasul.persons.models import PersonRecord, ScreeningJob

_NUMBER = re.compile(r"^[+-][\d\s.,]*$")
_BINARY_MAGIC = {
    b"PK\x03\x04": "xlsx",
    b"%PDF": "pdf",
    b"\xd0\xcf\x11\xe0": "xls",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"\x1f\x8b": "gzip",
}
PROGRESS_EVERY = 500


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


def parse_upload(stream: IO[bytes], size: int) -> ParsedList:
    """Validate an uploaded list by its content; a refusal raises a translated ServiceError
    and nothing is kept."""
    limit = max_bytes()
    if size > limit:
        raise ServiceError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, field="file"
        )
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, field="file"
        )
    if not data.strip():
        raise ServiceError(_("The file is empty."), field="file")
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            if kind == "xlsx":
                raise ServiceError(
                    _("Spreadsheet files are not accepted here: save the sheet as CSV (UTF-8)."),
                    field="file",
                )
            raise ServiceError(_("This is not a CSV file."), field="file")
    if b"\x00" in data:
        raise ServiceError(_("This is not a CSV file (it contains binary data)."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise ServiceError(
            _(
                "The file is not UTF-8 text (invalid byte at position %(pos)s). Save it as CSV UTF-8."
            )
            % {"pos": problem.start},
            field="file",
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        header = next(reader, [])
        header = [h.strip() for h in header]
        if len(header) < 1 or not any(header):
            raise ServiceError(_("The first line must name the columns."), field="file")
        if any(not h for h in header):
            raise ServiceError(_("Every column needs a name in the first line."), field="file")
        if len(set(header)) != len(header):
            raise ServiceError(_("Two columns have the same name."), field="file")
        for col, cell in enumerate(header, start=1):
            if is_formula(cell):
                raise ServiceError(
                    _("Line %(line)s, column %(col)s holds a formula; formulas are refused.")
                    % {"line": 1, "col": col},
                    field="file",
                )
        count = 0
        for line, row in enumerate(reader, start=2):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise ServiceError(
                    _("Line %(line)s has %(got)s columns; the first line names %(want)s.")
                    % {"line": line, "got": len(row), "want": len(header)},
                    field="file",
                )
            for col, cell in enumerate(row, start=1):
                if is_formula(cell):
                    raise ServiceError(
                        _("Line %(line)s, column %(col)s holds a formula; formulas are refused.")
                        % {"line": line, "col": col},
                        field="file",
                    )
                if len(cell) > 500:
                    raise ServiceError(
                        _("Line %(line)s, column %(col)s is longer than 500 characters.")
                        % {"line": line, "col": col},
                        field="file",
                    )
            count += 1
            if count > max_rows():
                raise ServiceError(
                    _("The list has more than %(max)s rows.") % {"max": max_rows()}, field="file"
                )
    except csv.Error as problem:
        raise ServiceError(
            _("The file is not valid CSV: %(error)s") % {"error": str(problem)}, field="file"
        ) from None
    if count == 0:
        raise ServiceError(_("The list has no rows under its header."), field="file")
    return ParsedList(header=header, text=text, delimiter=delimiter, rows=count)


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
    reader = csv.reader(io.StringIO(job.source_text), delimiter=job.delimiter)
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
    import datetime

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


class Matcher:
    """The searchable records of one user, indexed in memory for a whole list."""

    def __init__(self, records: list[PersonRecord]) -> None:
        self.records = {r.pk: r for r in records}
        self.facts = {f.pk: f for f in matching.facts_of(records)}
        self.index = NameIndex()
        self.documents: dict[str, list[int]] = {}
        for f in self.facts.values():
            self.index.add(str(f.pk), f.names)
            for doc in f.documents:
                self.documents.setdefault(doc, []).append(f.pk)

    @classmethod
    def for_user(cls, user: Any) -> Matcher:
        records = list(
            PersonRecord.objects.searchable_by(user)
            .select_related("originator")
            .prefetch_related("names", "documents")
        )
        return cls(records)

    def match(self, query: matching.Query) -> list[matching.Scored]:
        results: dict[int, matching.Scored] = {}
        if query.document:
            for pk in self.documents.get(matching.normalise_document(query.document), []):
                s = matching.score_record(query, self.facts[pk])
                if s is not None:
                    results[pk] = s
        if query.name:
            for m in self.index.search(query.name, limit=5, threshold=matching.NAME_THRESHOLD):
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


def run_job(job: ScreeningJob) -> ScreeningJob:
    """Screen a claimed job's rows; store its hits; the job ends done or failed."""
    from tawasul.persons import services
    from tawasul.persons.models import may_use_person_index

    if not may_use_person_index(job.owner):
        services.screening_job_fail(job=job, error="The uploader may no longer screen lists.")
        return job
    try:
        matcher = Matcher.for_user(job.owner)
        matches: list[tuple[PersonRecord, matching.Scored, dict[str, Any], int]] = []
        for n, row in iter_rows(job):
            query = row_query(row, job.mapping)
            for scored in matcher.match(query):
                matches.append((matcher.records[scored.record_id], scored, query.as_dict(), n))
            if n % PROGRESS_EVERY == 0:
                services.screening_job_progress(job=job, processed=n)
        return services.screening_job_finish(job=job, matches=matches)
    except Exception as problem:
        services.screening_job_fail(job=job, error=f"{type(problem).__name__}: {problem}")
        raise
