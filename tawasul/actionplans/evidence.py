"""Files: evidence attached to progress updates and documents of a meeting. Recognised from their bytes (never their
name or the browser's content type), size-limited, stored under MEDIA_ROOT with a random
name (outside the web root), and served only by a view, after the gateway, as an attachment.

Accepted: PDF, PNG, JPEG and Word documents without macros. Everything else is refused.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from tawasul.core.errors import ServiceError

FIELD = "evidence_file"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    DOCX: {".docx"},
}
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_RATIO = 100


def max_bytes() -> int:
    return settings.ACTIONPLANS_EVIDENCE_MAX_MB * 1024 * 1024


FOLDERS = ("evidence", "documents")


def storage_dir(folder: str = "evidence") -> Path:
    if folder not in FOLDERS:
        raise ValueError(folder)
    return Path(settings.MEDIA_ROOT) / "actionplans" / folder


@dataclass(frozen=True)
class StoredEvidence:
    name: str
    path: str
    content_type: str
    size: int
    sha256: str


def clean_filename(raw: str, field: str = FIELD) -> str:
    name = unicodedata.normalize("NFC", os.path.basename((raw or "").replace("\\", "/"))).strip()
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    if not name or name in {".", ".."}:
        raise ServiceError(_("The file has no usable name."), field=field)
    stem, ext = os.path.splitext(name)
    return stem[: 150 - len(ext)] + ext


def _docx(data: bytes) -> bool:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return False
    total = sum(e.file_size for e in entries)
    if len(entries) > ZIP_MAX_ENTRIES or total > ZIP_MAX_RATIO * max(len(data), 1):
        raise ServiceError(
            _("The document expands to far more than its size; refused."), field=FIELD
        )
    names = {e.filename for e in entries}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ServiceError(_("Documents with macros are not accepted."), field=FIELD)
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


def sniff(data: bytes, filename: str) -> str:
    """The content type, from the bytes; the file's name must agree with it."""
    if data.startswith(b"%PDF-"):
        kind = "application/pdf"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif data.startswith(b"PK\x03\x04") and _docx(data):
        kind = DOCX
    else:
        raise ServiceError(
            _("This type of file is not accepted. Accepted: PDF, PNG, JPEG and Word (DOCX)."),
            field=FIELD,
        )
    if os.path.splitext(filename)[1].lower() not in EXTENSIONS[kind]:
        raise ServiceError(_("The file's content does not match its name."), field=FIELD)
    return kind


def read_limited(upload: IO[bytes]) -> bytes:
    limit = max_bytes()
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, field=FIELD
        )
    if not data:
        raise ServiceError(_("The file is empty."), field=FIELD)
    return data


def check(upload: IO[bytes], filename: str, field: str = FIELD) -> tuple[bytes, str, str]:
    """Read and validate an upload: (bytes, clean name, content type). Writes nothing."""
    try:
        name = clean_filename(filename)
        data = read_limited(upload)
        return data, name, sniff(data, name)
    except ServiceError as error:
        raise ServiceError(error.message, field=field) from None


def store(data: bytes, name: str, content_type: str, folder: str = "evidence") -> StoredEvidence:
    storage_dir(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    relative = f"actionplans/{folder}/{secrets.token_hex(16)}"
    target = Path(settings.MEDIA_ROOT) / relative
    with open(target, "xb") as handle:
        handle.write(data)
    os.chmod(target, 0o600)
    return StoredEvidence(
        name=name,
        path=relative,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def discard(stored: StoredEvidence) -> None:
    (Path(settings.MEDIA_ROOT) / stored.path).unlink(missing_ok=True)


def open_stored(path: str) -> IO[bytes]:
    """Open a stored file; only names this module made, inside its own folders."""
    target = (Path(settings.MEDIA_ROOT) / path).resolve()
    if target.parent not in {storage_dir(f).resolve() for f in FOLDERS}:
        raise FileNotFoundError(path)
    return open(target, "rb")
