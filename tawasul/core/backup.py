"""Backups: one encrypted, authenticated file holding the database, the uploaded files and a
manifest, and its restore.

The file is a header followed by AES-256-GCM chunks (the STREAM construction): each chunk's
nonce is its position plus a last-chunk flag, so a chunk altered, dropped, moved or cut off
the end fails authentication. The key is derived from TAWASUL_BACKUP_KEY and a random salt
in the header, so no two backups share a key and a counter nonce never repeats.

Inside, a sequence of entries: the database (a ``pg_dump -Fc`` stream, or a consistent copy
of the SQLite file), each file under MEDIA_ROOT, and last the manifest that gives the SHA-256
of every part. The audit log is part of the database (its tables are in the dump); the
manifest records the chain head the dump holds. A restore unpacks everything into a private
staging folder and checks it against the manifest before it touches the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from tawasul.core.keys import aes_key

MAGIC = b"TAWASUL-BACKUP\x00\x01"  # 16 bytes; the last byte is the container version
FORMAT_VERSION = 1
CHUNK_SIZE = 1 << 20  # plaintext bytes per encrypted chunk
BLOCK_SIZE = 1 << 20  # largest block of an entry inside the stream
_SALT_SIZE = 16
_CHECK_SIZE = 16
_LEN = struct.Struct(">I")
_MAX_SEALED_CHUNK = CHUNK_SIZE + 16
_MAX_ENTRY_HEADER = 64 * 1024
_MAX_MANIFEST = 256 * 1024 * 1024

AUDIT_NOTE = (
    "The audit log (tables audit_auditevent and audit_auditchainhead) is inside the database "
    "part; a restore brings it back whole and `manage.py audit_verify` checks it."
)

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup could not be made, or a file is refused for restore; nothing was changed
    unless the message says otherwise."""


# --- The encrypted container -----------------------------------------------------------------


def backup_key() -> bytes:
    """The 32-byte key of TAWASUL_BACKUP_KEY (a fixed development key outside production)."""
    return aes_key("TAWASUL_BACKUP_KEY")


def _derive(key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=salt, info=b"tawasul backup v1"
    ).derive(key)
    return material[:32], material[32:]


def _key_check(check_key: bytes) -> bytes:
    return hmac.new(check_key, b"tawasul backup key check", hashlib.sha256).digest()[:_CHECK_SIZE]


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class SealedWriter:
    """Encrypts what is written to it in authenticated chunks; ``close`` seals the last one.
    Memory use is one chunk, whatever the size of the backup."""

    def __init__(self, out: IO[bytes], key: bytes) -> None:
        salt = os.urandom(_SALT_SIZE)
        chunk_key, check_key = _derive(key, salt)
        self._aead = AESGCM(chunk_key)
        self._aad = MAGIC + salt
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        self.sha256 = hashlib.sha256()
        self._emit(self._aad + _key_check(check_key))

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self.sha256.update(data)

    def _seal(self, data: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, last), data, self._aad)
        self._emit(_LEN.pack(len(sealed)) + sealed)
        self._counter += 1

    def write(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]

    def close(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()


class SealedReader:
    """Decrypts a file written by SealedWriter; raises BackupError at the first chunk that
    fails authentication, and when the stream ends before its last chunk."""

    def __init__(self, source: IO[bytes], key: bytes) -> None:
        header = source.read(len(MAGIC) + _SALT_SIZE + _CHECK_SIZE)
        if len(header) < len(MAGIC) or header[: len(MAGIC)] != MAGIC:
            raise BackupError("This is not a Tawasul backup file (or of an unknown version).")
        salt = header[len(MAGIC) : len(MAGIC) + _SALT_SIZE]
        check = header[len(MAGIC) + _SALT_SIZE :]
        chunk_key, check_key = _derive(key, salt)
        if len(check) != _CHECK_SIZE or not hmac.compare_digest(check, _key_check(check_key)):
            raise BackupError(
                "The backup key does not match this backup: set TAWASUL_BACKUP_KEY to the key "
                "it was made with."
            )
        self._aead = AESGCM(chunk_key)
        self._aad = MAGIC + salt
        self._source = source
        self._counter = 0
        self._buffer = b""
        self._position = 0
        self._finished = False
        self._next_length = self._read_length()

    def _read_length(self) -> int | None:
        raw = self._source.read(_LEN.size)
        if not raw:
            return None
        if len(raw) != _LEN.size:
            raise BackupError("The backup file is cut short or damaged; refused.")
        (length,) = _LEN.unpack(raw)
        if not 16 <= length <= _MAX_SEALED_CHUNK:
            raise BackupError("The backup file is damaged (a chunk has an impossible size).")
        return length

    def _next_chunk(self) -> bool:
        if self._finished:
            return False
        length = self._next_length
        if length is None:
            raise BackupError("The backup file is cut short (its last chunk is missing); refused.")
        sealed = self._source.read(length)
        if len(sealed) != length:
            raise BackupError("The backup file is cut short or damaged; refused.")
        self._next_length = self._read_length()
        last = self._next_length is None
        try:
            plain = self._aead.decrypt(_nonce(self._counter, last), sealed, self._aad)
        except InvalidTag:
            raise BackupError(
                f"The backup file fails authentication at chunk {self._counter + 1}: it was "
                "altered, damaged or cut short. Refused; nothing was restored."
            ) from None
        self._counter += 1
        self._finished = last
        self._buffer = self._buffer[self._position :] + plain
        self._position = 0
        return True

    def read(self, size: int) -> bytes:
        """Exactly ``size`` bytes, or fewer only at the authenticated end of the stream."""
        while len(self._buffer) - self._position < size and self._next_chunk():
            pass
        data = self._buffer[self._position : self._position + size]
        self._position += len(data)
        return data

    def at_end(self) -> bool:
        while self._position >= len(self._buffer):
            if not self._next_chunk():
                return True
        return False


# --- Entries inside the container --------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    sha256: str
    size: int


def _write_entry(writer: SealedWriter, kind: str, name: str, blocks: Iterator[bytes]) -> Written:
    header = json.dumps({"kind": kind, "name": name}).encode()
    writer.write(_LEN.pack(len(header)) + header)
    digest = hashlib.sha256()
    size = 0
    for block in blocks:
        if not block:
            continue
        writer.write(_LEN.pack(len(block)) + block)
        digest.update(block)
        size += len(block)
    writer.write(_LEN.pack(0))
    return Written(digest.hexdigest(), size)


def _file_blocks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK_SIZE):
            yield block


def _read_exact(reader: SealedReader, size: int) -> bytes:
    data = reader.read(size)
    if len(data) != size:
        raise BackupError("The backup ends in the middle of an entry; refused.")
    return data


def _read_entry_header(reader: SealedReader) -> dict[str, str] | None:
    (length,) = _LEN.unpack(_read_exact(reader, _LEN.size))
    if length == 0:
        return None
    if length > _MAX_ENTRY_HEADER:
        raise BackupError("The backup holds an entry with an impossible header; refused.")
    try:
        header = json.loads(_read_exact(reader, length))
    except ValueError:
        raise BackupError("The backup holds an unreadable entry header; refused.") from None
    if not isinstance(header, dict) or not {"kind", "name"} <= header.keys():
        raise BackupError("The backup holds an unreadable entry header; refused.")
    return {"kind": str(header["kind"]), "name": str(header["name"])}


def _read_entry_blocks(reader: SealedReader) -> Iterator[bytes]:
    while True:
        (length,) = _LEN.unpack(_read_exact(reader, _LEN.size))
        if length == 0:
            return
        if length > BLOCK_SIZE:
            raise BackupError("The backup holds a block of an impossible size; refused.")
        yield _read_exact(reader, length)


# --- The database --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseState:
    """What the dumped database holds, read in the very snapshot the dump is made from."""

    migrations: list[str]
    audit_head_seq: int
    audit_head_hash: str
    audit_events: int


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _audit_tables() -> tuple[str, str]:
    from tawasul.audit.models import AuditChainHead, AuditEvent

    return AuditEvent._meta.db_table, AuditChainHead._meta.db_table


def _read_state(cursor: Any) -> DatabaseState:
    from tawasul.audit.models import GENESIS_HASH

    events_table, head_table = _audit_tables()
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    # Table names come from the models, never from input.
    cursor.execute(f'SELECT seq, hash FROM "{head_table}" WHERE id = 1')  # noqa: S608
    head = cursor.fetchone()
    cursor.execute(f'SELECT COUNT(*) FROM "{events_table}"')  # noqa: S608
    (events,) = cursor.fetchone()
    return DatabaseState(
        migrations=migrations,
        audit_head_seq=int(head[0]) if head else 0,
        audit_head_hash=str(head[1]) if head else GENESIS_HASH,
        audit_events=int(events),
    )


def _pg_env() -> dict[str, str]:
    """The libpq environment of the configured database; the password never appears in a
    command line."""
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
    }
    options = db.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        values[variable] = options.get(option)
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools (the server's major "
            "version or newer)."
        )
    return found


@contextmanager
def _postgres_dump() -> Iterator[tuple[Iterator[bytes], DatabaseState]]:
    """pg_dump's custom-format stream, taken in a snapshot exported by a transaction that
    also reads the migration state and audit head, so the manifest describes the dump
    exactly even while the application keeps writing."""
    pg_dump = _pg_tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        state = _read_state(cursor)
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 - fixed argv, the libpq environment
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password"],
                stdout=subprocess.PIPE,
                stderr=errors,
                env=_pg_env(),
            )
            assert process.stdout is not None  # noqa: S101 - stdout=PIPE above

            def blocks() -> Iterator[bytes]:
                stdout = process.stdout
                assert stdout is not None  # noqa: S101
                while block := stdout.read(BLOCK_SIZE):
                    yield block

            try:
                yield blocks(), state
            finally:
                process.stdout.close()
                code = process.wait()
            if code != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip()
                raise BackupError(f"pg_dump failed (exit {code}): {message}")


@contextmanager
def _sqlite_copy(workdir: Path) -> Iterator[tuple[Iterator[bytes], DatabaseState]]:
    """A consistent copy made with SQLite's online-backup API (in one step, so no write
    lands half-way), then read for the manifest."""
    source_path = str(settings.DATABASES["default"]["NAME"])
    if not Path(source_path).is_file():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    copy_path = workdir / "database.sqlite3"
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(copy_path)
    try:
        source.backup(target)
        # Fold the copy into one file (no -wal beside it) before it is streamed.
        target.execute("PRAGMA journal_mode=DELETE")
        state = _read_state(target.cursor())
    finally:
        target.close()
        source.close()
    yield _file_blocks(copy_path), state


# --- Making a backup ---------------------------------------------------------------------------


@dataclass
class BackupSummary:
    path: Path
    sha256: str
    size: int
    engine: str
    database_size: int
    files: int
    files_bytes: int
    state: DatabaseState
    created_at: str


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    if not root.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if path.is_symlink():
                raise BackupError(f"{path} is a symbolic link; uploads never are. Refused.")
            if path.is_file():
                found.append((path.relative_to(root).as_posix(), path))
    return found


def default_backup_path() -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"tawasul-{stamp}.backup"


def _private_workdir() -> Path:
    base = Path(settings.VAR_DIR)
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".tawasul-backup-", dir=base))


def create_backup(output: Path, *, log: Log) -> BackupSummary:
    """Write one encrypted backup of the database and MEDIA_ROOT to ``output`` (refused if it
    exists). The database is dumped first, then the files: a file uploaded meanwhile is at
    worst an unreferenced extra, never a reference to a missing file."""
    key = backup_key()
    engine = _engine()
    output = output.resolve()
    if output.exists():
        raise BackupError(f"{output} already exists; choose another name.")
    if media_root().resolve() in output.parents:
        raise BackupError("A backup is never written inside MEDIA_ROOT.")
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    workdir = _private_workdir()
    created_at = timezone.now().isoformat(timespec="seconds")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            writer = SealedWriter(handle, key)
            dump = _postgres_dump() if engine == "postgresql" else _sqlite_copy(workdir)
            with dump as (blocks, state):
                database = _write_entry(writer, "database", engine, blocks)
            log(f"database: {engine}, {database.size} bytes, audit head #{state.audit_head_seq}")
            files: list[dict[str, Any]] = []
            for name, path in _media_files(media_root()):
                written = _write_entry(writer, "media", name, _file_blocks(path))
                files.append({"path": name, "size": written.size, "sha256": written.sha256})
            files_bytes = sum(int(f["size"]) for f in files)
            log(f"files: {len(files)} under MEDIA_ROOT ({files_bytes} bytes)")
            manifest = {
                "format": "tawasul-backup",
                "version": FORMAT_VERSION,
                "created_at": created_at,
                "instance": str(settings.TAWASUL_INSTANCE_NAME),
                "database": {
                    "engine": engine,
                    "format": "pg_dump custom" if engine == "postgresql" else "sqlite3 database",
                    "size": database.size,
                    "sha256": database.sha256,
                    "migrations": state.migrations,
                },
                "audit": {
                    "in_database": True,
                    "note": AUDIT_NOTE,
                    "head_seq": state.audit_head_seq,
                    "head_hash": state.audit_head_hash,
                    "events": state.audit_events,
                },
                "media": {
                    "count": len(files),
                    "bytes": files_bytes,
                    "files": files,
                },
            }
            body = json.dumps(manifest, sort_keys=True, indent=1).encode()
            _write_entry(writer, "manifest", "manifest.json", iter([body]))
            writer.write(_LEN.pack(0))
            writer.close()
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return BackupSummary(
        path=output,
        sha256=writer.sha256.hexdigest(),
        size=output.stat().st_size,
        engine=engine,
        database_size=database.size,
        files=len(files),
        files_bytes=files_bytes,
        state=state,
        created_at=created_at,
    )


# --- Restoring -----------------------------------------------------------------------------------


@dataclass
class Unpacked:
    """A backup unpacked into a private staging folder and checked against its manifest."""

    workdir: Path
    manifest: dict[str, Any]
    database: Path
    media: Path
    media_files: int = 0
    media_bytes: int = 0
    notes: list[str] = field(default_factory=list)


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in {"", ".", ".."} for part in path.parts)
    ):
        raise BackupError(
            f"The backup names a file outside the uploads folder ({name!r}); refused."
        )
    return path


def _write_blocks(path: Path, blocks: Iterator[bytes]) -> Written:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for block in blocks:
            handle.write(block)
            digest.update(block)
            size += len(block)
    return Written(digest.hexdigest(), size)


def unpack(path: Path, *, key: bytes | None = None) -> Unpacked:
    """Decrypt and unpack ``path`` into a private staging folder beside MEDIA_ROOT; raise
    BackupError (and leave nothing behind) if any chunk fails authentication or any part
    differs from the manifest."""
    key = backup_key() if key is None else key
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    base = media_root().parent
    base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".tawasul-restore-", dir=base))
    try:
        return _unpack_into(path, key, workdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def _unpack_into(path: Path, key: bytes, workdir: Path) -> Unpacked:
    database_path = workdir / "database"
    media_dir = workdir / "media"
    media_dir.mkdir(mode=0o700)
    database: Written | None = None
    database_engine = ""
    media: dict[str, Written] = {}
    manifest: dict[str, Any] | None = None
    with open(path, "rb") as source:
        reader = SealedReader(source, key)
        while (header := _read_entry_header(reader)) is not None:
            if manifest is not None:
                raise BackupError("The backup holds entries after its manifest; refused.")
            kind, name = header["kind"], header["name"]
            blocks = _read_entry_blocks(reader)
            if kind == "database" and database is None:
                database_engine = name
                database = _write_blocks(database_path, blocks)
            elif kind == "media":
                relative = _safe_relative(name)
                if name in media:
                    raise BackupError(f"The backup holds {name} twice; refused.")
                media[name] = _write_blocks(media_dir.joinpath(*relative.parts), blocks)
            elif kind == "manifest":
                raw = b""
                for block in blocks:
                    raw += block
                    if len(raw) > _MAX_MANIFEST:
                        raise BackupError("The backup's manifest is impossibly large; refused.")
                try:
                    manifest = json.loads(raw)
                except ValueError:
                    raise BackupError("The backup's manifest is unreadable; refused.") from None
            else:
                raise BackupError(f"The backup holds an unexpected entry ({kind}); refused.")
        if not reader.at_end():
            raise BackupError("The backup holds data after its end; refused.")
    if manifest is None or database is None:
        raise BackupError("The backup has no manifest or no database; refused.")
    _check_manifest(manifest, database_engine, database, media)
    return Unpacked(
        workdir=workdir,
        manifest=manifest,
        database=database_path,
        media=media_dir,
        media_files=len(media),
        media_bytes=sum(w.size for w in media.values()),
    )


def _check_manifest(
    manifest: dict[str, Any], engine: str, database: Written, media: dict[str, Written]
) -> None:
    def refuse(what: str) -> BackupError:
        return BackupError(f"The backup does not match its manifest ({what}); refused.")

    try:
        if manifest["format"] != "tawasul-backup" or manifest["version"] != FORMAT_VERSION:
            raise BackupError("The manifest is of an unknown format or version; refused.")
        db = manifest["database"]
        if db["engine"] != engine:
            raise refuse("database engine")
        if db["sha256"] != database.sha256 or db["size"] != database.size:
            raise refuse("database SHA-256")
        listed = {f["path"]: (f["sha256"], f["size"]) for f in manifest["media"]["files"]}
        if manifest["media"]["count"] != len(media) or set(listed) != set(media):
            raise refuse("the list of files")
        for name, written in media.items():
            if listed[name] != (written.sha256, written.size):
                raise refuse(f"SHA-256 of {name}")
        if not isinstance(manifest["audit"]["head_seq"], int) or not isinstance(
            manifest["audit"]["head_hash"], str
        ):
            raise BackupError("The manifest's audit head is unreadable; refused.")
    except (KeyError, TypeError):
        raise BackupError("The manifest lacks required fields; refused.") from None


def database_holds_data() -> bool:
    """Whether the configured database holds users or audit events (an empty or freshly
    migrated one holds neither, and may be restored into without --force)."""
    from tawasul.accounts.models import User

    events_table, _head = _audit_tables()
    tables = set(connection.introspection.table_names())
    for table in (User._meta.db_table, events_table):
        if table in tables:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # noqa: S608 - model name
                if cursor.fetchone() is not None:
                    return True
    return False


def media_holds_files() -> bool:
    root = media_root()
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _restore_postgres(dump: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    connections.close_all()
    # One transaction: a failure leaves the database as it was. --clean drops each object
    # before creating it; dropping the audit table is allowed, its trigger refuses only
    # UPDATE, DELETE and TRUNCATE.
    result = subprocess.run(  # noqa: S603 - fixed argv, the libpq environment
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed (exit {result.returncode}); the database is unchanged: "
            f"{result.stderr.strip()}"
        )


def _restore_sqlite(copy: Path) -> None:
    target_path = Path(str(settings.DATABASES["default"]["NAME"]))
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(copy)
    try:
        (verdict,) = source.execute("PRAGMA quick_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"The database in the backup fails SQLite's check: {verdict}")
        connections.close_all()
        target = sqlite3.connect(target_path, timeout=30)
        try:
            # The online-backup API replaces the whole content under SQLite's own locks,
            # WAL included: safer than swapping files under an open database.
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _restore_media(staged: Path) -> Path | None:
    """Move the staged files into MEDIA_ROOT; what was there is kept aside (returned)."""
    root = media_root()
    kept: Path | None = None
    if root.exists():
        if media_holds_files():
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            kept = root.with_name(f"{root.name}.before-restore-{stamp}")
            root.rename(kept)
        else:
            shutil.rmtree(root)
    staged.rename(root)
    root.chmod(0o700)
    return kept


@dataclass
class RestoreSummary:
    manifest: dict[str, Any]
    files: int
    files_bytes: int
    audit_checked: int
    kept_media: Path | None
    pending_migrations: list[str]
    unknown_migrations: list[str]


def _migration_gaps(applied: set[str]) -> tuple[list[str], list[str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    return sorted(known - applied), sorted(applied - known)


def restore_backup(unpacked: Unpacked, *, force: bool, log: Log) -> RestoreSummary:
    """Replace the configured database and MEDIA_ROOT with an unpacked, checked backup, then
    verify the audit chain against the manifest. Refused into a database holding data, or
    over existing uploads, unless ``force``."""
    from tawasul.audit.verify import verify_chain

    manifest = unpacked.manifest
    engine = _engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"This is a backup of a {manifest['database']['engine']} database; the configured "
            f"database is {engine}."
        )
    if not force and (database_holds_data() or media_holds_files()):
        raise BackupError(
            "The configured database or MEDIA_ROOT is not empty; restoring would replace it. "
            "Use --force to replace it (the current uploads are kept aside)."
        )
    if engine == "postgresql":
        _restore_postgres(unpacked.database)
    else:
        _restore_sqlite(unpacked.database)
    log(f"database restored ({engine}, {manifest['database']['size']} bytes)")
    kept = _restore_media(unpacked.media)
    log(f"files restored: {unpacked.media_files} ({unpacked.media_bytes} bytes)")
    connections.close_all()
    with connection.cursor() as cursor:
        state = _read_state(cursor)
    audit = manifest["audit"]
    if (state.audit_head_seq, state.audit_head_hash) != (audit["head_seq"], audit["head_hash"]):
        raise BackupError(
            f"The restored audit head (#{state.audit_head_seq}) differs from the manifest's "
            f"(#{audit['head_seq']})."
        )
    if state.migrations != manifest["database"]["migrations"]:
        raise BackupError("The restored migration state differs from the manifest's.")
    report = verify_chain()
    if not report.ok:
        raise BackupError(
            f"Restored, but the audit chain is BROKEN at entry #{report.broken_seq}: "
            f"{report.problem}."
        )
    pending, unknown = _migration_gaps(set(state.migrations))
    return RestoreSummary(
        manifest=manifest,
        files=unpacked.media_files,
        files_bytes=unpacked.media_bytes,
        audit_checked=report.checked,
        kept_media=kept,
        pending_migrations=pending,
        unknown_migrations=unknown,
    )
