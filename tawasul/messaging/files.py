"""Attachments: what a file is (from its bytes, never its name), whether it is allowed, and
how it is kept: encrypted at rest with AES-256-GCM under MEDIA_ROOT/messaging/ with a random
name, its SHA-256 recorded so the chain of custody can be checked at every download.
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

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext as _

from tawasul.core.errors import ServiceError
from tawasul.core.keys import aes_key

# --- What a file is --------------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    code: str
    content_type: str
    extensions: frozenset[str]


KINDS: dict[str, FileKind] = {
    k.code: k
    for k in [
        FileKind("pdf", "application/pdf", frozenset({".pdf"})),
        FileKind("png", "image/png", frozenset({".png"})),
        FileKind("jpeg", "image/jpeg", frozenset({".jpg", ".jpeg"})),
        FileKind("gif", "image/gif", frozenset({".gif"})),
        FileKind("webp", "image/webp", frozenset({".webp"})),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            frozenset({".docx"}),
        ),
        FileKind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            frozenset({".xlsx"}),
        ),
        FileKind(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            frozenset({".pptx"}),
        ),
        FileKind("zip", "application/zip", frozenset({".zip"})),
        FileKind("csv", "text/csv", frozenset({".csv"})),
        FileKind("text", "text/plain", frozenset({".txt"})),
    ]
}

# Limits on archives (ZIP and the ZIP inside office documents), checked from the central
# directory before anything is accepted; nothing is ever extracted.
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_RATIO = 100
ZIP_MAX_UNCOMPRESSED_FACTOR = 4  # times the upload limit
_NESTED_ARCHIVES = (".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".cab", ".jar")
# Markup a browser or an office suite would run or render: never accepted as text.
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<iframe", b"<body", b"<head")
MAX_ATTACHMENTS_PER_MESSAGE = 10


def max_upload_bytes() -> int:
    return int(settings.MESSAGING_MAX_UPLOAD_MB) * 1024 * 1024


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, field="attachments")


def clean_filename(raw: str) -> str:
    """The name to show and offer on download: folders and control characters refused,
    never used to build a path on disk."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise _refuse(_("A file has no name."))
    if "/" in name or "\\" in name or name.startswith("~") or (len(name) > 1 and name[1] == ":"):
        raise _refuse(
            _("The file name %(name)s contains a folder; send the file under its own name.")
            % {"name": name[:80]}
        )
    if name in {".", ".."} or any(unicodedata.category(c)[0] == "C" for c in name):
        raise _refuse(_("The file name %(name)s is not allowed.") % {"name": name[:80]})
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext)] + ext
    return name


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _refuse(_("The archive is damaged and cannot be accepted.")) from None
    if len(entries) > ZIP_MAX_ENTRIES:
        raise _refuse(
            _("The archive holds more than %(count)d files.") % {"count": ZIP_MAX_ENTRIES}
        )
    total = sum(e.file_size for e in entries)
    if total > max_upload_bytes() * ZIP_MAX_UNCOMPRESSED_FACTOR or total > ZIP_MAX_RATIO * max(
        len(data), 1
    ):
        raise _refuse(
            _("The archive expands to far more than its size (a possible ZIP bomb); refused.")
        )
    for entry in entries:
        name = entry.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
            raise _refuse(_("The archive holds a file with a path outside it; refused."))
        if entry.flag_bits & 0x1:
            raise _refuse(_("The archive holds encrypted files, which cannot be checked."))
        if name.lower().endswith(_NESTED_ARCHIVES):
            raise _refuse(_("Archives inside archives are not accepted."))
    return archive


def _office_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse(_("Office documents with macros are not accepted."))
    for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(n.startswith(prefix) for n in names):
            return kind
    return None


def _text_kind(data: bytes, extension: str) -> str | None:
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = text[:4096].lstrip("\ufeff \t\r\n").lower().encode()
    if head.startswith(b"<") or any(tag in text.lower().encode() for tag in _MARKUP):
        raise _refuse(_("Web pages, SVG and other markup files are not accepted."))
    return "csv" if extension == ".csv" else "text"


def sniff(data: bytes, filename: str) -> FileKind:
    """The file's kind from its content, checked against the allowlist and its own name.

    Raises ServiceError for anything not allowed (HTML or SVG whatever their name, an
    executable, an archive over the limits, a name that contradicts the content)."""
    extension = os.path.splitext(filename)[1].lower()
    code: str | None = None
    if data.startswith(b"%PDF-"):
        code = "pdf"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        code = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        code = "jpeg"
    elif data.startswith((b"GIF87a", b"GIF89a")):
        code = "gif"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        code = "webp"
    elif data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        archive = _check_zip(data)
        code = _office_kind(archive) or "zip"
    else:
        code = _text_kind(data, extension)
    if code is None:
        raise _refuse(
            _(
                "%(name)s is not an accepted type. Accepted: PDF, PNG, JPEG, GIF, WebP, Word, "
                "Excel, PowerPoint (without macros), CSV, plain text and ZIP."
            )
            % {"name": filename[:80]}
        )
    kind = KINDS[code]
    if extension not in kind.extensions:
        raise _refuse(
            _("The content of %(name)s does not match its name (it is %(kind)s).")
            % {"name": filename[:80], "kind": code.upper()}
        )
    return kind


# --- Incoming files ------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file as the services see it: the name the sender gave, unsanitised, and
    a readable stream."""

    name: str
    stream: IO[bytes]
    size: int


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    kind: FileKind
    data: bytes
    sha256: str


def check_upload(incoming: IncomingFile) -> CheckedFile:
    filename = clean_filename(incoming.name)
    limit = max_upload_bytes()
    if incoming.size > limit:
        raise _refuse(
            _("%(name)s is larger than the %(limit)d MB limit.")
            % {"name": filename[:80], "limit": settings.MESSAGING_MAX_UPLOAD_MB}
        )
    data = incoming.stream.read(limit + 1)
    if len(data) > limit:
        raise _refuse(
            _("%(name)s is larger than the %(limit)d MB limit.")
            % {"name": filename[:80], "limit": settings.MESSAGING_MAX_UPLOAD_MB}
        )
    if not data:
        raise _refuse(_("%(name)s is empty.") % {"name": filename[:80]})
    kind = sniff(data, filename)
    return CheckedFile(filename, kind, data, hashlib.sha256(data).hexdigest())


# --- Encryption at rest ----------------------------------------------------------------------

_MAGIC = b"TWSA1"


def file_key() -> bytes:
    """The 256-bit key of TAWASUL_FILE_KEY (a fixed development key outside production)."""
    return aes_key("TAWASUL_FILE_KEY")


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "messaging"


def _path(storage_name: str) -> Path:
    if not storage_name.isalnum():
        raise ValueError("bad storage name")
    return storage_root() / storage_name[:2] / storage_name


def store_encrypted(data: bytes) -> str:
    """Encrypt and write; returns the random storage name. The name is authenticated with
    the content, so a file swapped for another on disk fails to decrypt."""
    storage_name = secrets.token_hex(24)
    nonce = os.urandom(12)
    sealed = AESGCM(file_key()).encrypt(nonce, data, storage_name.encode())
    path = _path(storage_name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    with open(temporary, "wb") as handle:
        handle.write(_MAGIC + nonce + sealed)
    os.chmod(temporary, 0o600)
    temporary.replace(path)
    return storage_name


class IntegrityError(Exception):
    """The stored file is missing, was altered, or no longer matches its recorded hash."""


def read_decrypted(storage_name: str, expected_sha256: str) -> bytes:
    try:
        raw = _path(storage_name).read_bytes()
    except (OSError, ValueError):
        raise IntegrityError("missing") from None
    if not raw.startswith(_MAGIC):
        raise IntegrityError("format")
    nonce, sealed = raw[len(_MAGIC) : len(_MAGIC) + 12], raw[len(_MAGIC) + 12 :]
    try:
        data = AESGCM(file_key()).decrypt(nonce, sealed, storage_name.encode())
    except InvalidTag:
        raise IntegrityError("tag") from None
    if hashlib.sha256(data).hexdigest() != expected_sha256:
        raise IntegrityError("hash")
    return data


def delete_stored(storage_name: str) -> None:
    try:
        _path(storage_name).unlink(missing_ok=True)
    except (OSError, ValueError):
        return
