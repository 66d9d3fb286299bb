"""The restore drill: back up a seeded site, lose it, restore it, and prove it whole; and the
refusals (a tampered file, a file cut short, a wrong key, a manifest that does not match).

The drill runs `manage.py backup` and `manage.py restore` as real processes against a scratch
site (tawasul.core.tests.scratch) on the suite's engine: SQLite, or PostgreSQL when
DATABASE_URL names one. The site is seeded through the services: users, a message thread with
an attachment, a cooperation request transmitted (its formal request stored encrypted, signed
receipts), a person record with its name keys, an encrypted victim record, an action-plan
action with an evidence file. After the wipe and the restore, the drill compares every count,
reads back and checks every stored file, decrypts the victim's identity, runs `audit_verify`
and `receipt_verify --all` (with call_command, in the process that checks the site), and uses
the site: the request's page for its owner signed in with MFA, a person search and a victim
identification. Run with ``-s`` to see how long each phase took (site, seed, backup, wipe,
restore, verify).
"""

from __future__ import annotations

import io
import json
import shutil
import time

import pytest

from tawasul.core import backup
from tawasul.core.tests.scratch import VICTIM_NAMES, new_site, suite_engine

ENGINE = suite_engine()
OTHER_KEY = "b3RoZXIta2V5LW5vdC10aGUtYmFja3VwLWtleS0zMiE="


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """A seeded site and a backup of it, with the time each phase took."""
    base = tmp_path_factory.mktemp("drill")
    timings: dict[str, float] = {}
    started = time.monotonic()
    site = new_site(ENGINE, base)
    timings["site"] = time.monotonic() - started
    try:
        started = time.monotonic()
        seeded = site.call("seed")
        before = seeded.pop("probe")
        timings["seed"] = time.monotonic() - started
        path = base / "site.backup"
        started = time.monotonic()
        made = site.manage("backup", str(path))
        timings["backup"] = time.monotonic() - started
        yield {
            "site": site,
            "path": path,
            "seeded": seeded,
            "before": before,
            "timings": timings,
            "made": made.stdout,
        }
    finally:
        site.drop()


def _restore(site, path, *args, **env):
    return site.manage("restore", str(path), *args, check=False, **env)


def _assert_seeded(before, seeded):
    """What the drill restores is really there before the backup (so the comparison after
    the restore is not between two empty sites)."""
    assert before["transmitted"] == [[seeded["reference"], "acknowledged"]]
    assert [r[1] for r in before["receipts"]] == ["acknowledge", "approve", "submit"]
    assert [d["pdf"] for d in before["documents"]] == [True]
    assert len(before["attachments"]) == 1
    assert [e["sha256_ok"] for e in before["evidence"]] == [True]
    assert before["person_records"] == 1 and before["person_names"] == 2
    assert before["name_keys"] > 0
    assert before["victims"] == 1 and before["victim_encodings"] == len(VICTIM_NAMES)
    assert before["actions"] == 1 and before["progress_updates"] == 1
    assert before["audit_ok"]


COUNTS = (
    "users",
    "threads",
    "messages",
    "requests",
    "request_documents",
    "person_records",
    "person_names",
    "name_keys",
    "victims",
    "victim_encodings",
    "actions",
    "progress_updates",
)


def test_drill_backup_wipe_restore_brings_everything_back(drill):
    site, timings, before, seeded = (
        drill["site"],
        drill["timings"],
        drill["before"],
        drill["seeded"],
    )
    assert "Backup written" in drill["made"]
    _assert_seeded(before, seeded)

    started = time.monotonic()
    site.wipe()
    timings["wipe"] = time.monotonic() - started
    assert not site.media_root.exists()

    started = time.monotonic()
    restored = _restore(site, drill["path"])
    timings["restore"] = time.monotonic() - started
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Restored:" in restored.stdout
    assert f"audit chain intact: {before['audit_events']} entries verified" in restored.stdout

    started = time.monotonic()
    used = site.call("verify_and_use", seeded)
    timings["verify"] = time.monotonic() - started
    after = used["probe"]

    assert used["audit_verify"]["ok"], used["audit_verify"]["output"]
    assert "Audit chain intact" in used["audit_verify"]["output"]
    assert used["receipt_verify"]["ok"], used["receipt_verify"]["output"]
    assert f"{len(before['receipts'])} receipts verified." in used["receipt_verify"]["output"]
    for key in COUNTS:
        assert after[key] == before[key], key
    # The request came back transmitted, with the same signed receipts.
    assert after["transmitted"] == before["transmitted"]
    assert after["receipts"] == before["receipts"]
    # Every stored file decrypts with the file key (or, for evidence, reads back) and
    # matches its recorded SHA-256: message attachments, the formal request, the evidence.
    assert after["attachments"] == before["attachments"]
    assert after["documents"] == before["documents"]
    assert after["evidence"] == before["evidence"]
    # The victim's identity decrypts with the victim key to what was recorded.
    identity = after["victim_identities"][seeded["victim"]]
    assert identity == {
        "names": VICTIM_NAMES,
        "date_of_birth": "1999-07",
        "nationalities": ["NG"],
        "sex": "F",
    }
    assert after["victim_identities"] == before["victim_identities"]
    # The restored chain holds what the backup held plus the entry recording the restore.
    assert after["audit_events"] == before["audit_events"] + 1
    assert after["audit_ok"]
    # The site works: the sign-in page, the request's page for its owner (signed in with
    # MFA), a search by the seeded name (through the restored name keys) and a victim
    # identification (through the restored name encodings) from another country.
    assert after["sign_in_status"] == 200
    assert used["request_page_status"] == 200
    assert used["request_page_shows_reference"], seeded["reference"]
    assert used["search_status"] == 200
    assert used["search_shows_record"], seeded["record"]
    assert used["victim_leads"] == ["MA"]
    print(
        f"\nbackup drill on {ENGINE}: "
        + ", ".join(f"{phase} {seconds:.1f}s" for phase, seconds in timings.items())
        + f"; backup file {drill['path'].stat().st_size} bytes; "
        f"{after['users']} users, {after['messages']} messages, "
        f"{len(after['attachments'])} attachment(s), {after['requests']} request(s) with "
        f"{after['request_documents']} document(s) and {len(after['receipts'])} receipts, "
        f"{after['person_records']} person record(s) with {after['name_keys']} name keys, "
        f"{after['victims']} victim(s), {after['actions']} action(s) with "
        f"{len(after['evidence'])} evidence file(s), {before['audit_events']} audit entries"
    )


def test_restore_refuses_a_tampered_backup_and_changes_nothing(drill, tmp_path):
    site = drill["site"]
    tampered = tmp_path / "tampered.backup"
    data = bytearray(drill["path"].read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    before = site.call("probe")

    result = _restore(site, tampered, "--force")

    assert result.returncode != 0
    assert "fails authentication" in result.stderr
    assert "nothing was restored" in result.stderr
    assert site.call("probe") == before
    assert not list(site.var_dir.glob(".tawasul-restore-*")), "staging left behind"


def test_restore_refuses_a_backup_cut_short(drill, tmp_path):
    cut = tmp_path / "cut.backup"
    cut.write_bytes(drill["path"].read_bytes()[:-100])

    result = _restore(drill["site"], cut, "--check-only")

    assert result.returncode != 0
    assert "refused" in result.stderr.lower()


def test_restore_refuses_a_wrong_key(drill):
    result = _restore(drill["site"], drill["path"], "--force", TAWASUL_BACKUP_KEY=OTHER_KEY)

    assert result.returncode != 0
    assert "The backup key does not match this backup" in result.stderr


def test_restore_refuses_to_overwrite_a_database_holding_data(drill):
    site = drill["site"]
    before = site.call("probe")

    result = _restore(site, drill["path"])

    assert result.returncode != 0
    assert "not empty" in result.stderr
    assert "--force" in result.stderr
    assert site.call("probe") == before


# --- The container, in process ---------------------------------------------------------------

KEY = bytes(range(32))


def _container(entries, *, end=True):
    out = io.BytesIO()
    writer = backup.SealedWriter(out, KEY)
    for kind, name, body in entries:
        backup._write_entry(writer, kind, name, iter([body]))
    if end:
        writer.write(backup._LEN.pack(0))
    writer.close()
    return out.getvalue()


def _manifest(database: bytes, files: dict[str, bytes], **overrides):
    import hashlib

    manifest = {
        "format": "tawasul-backup",
        "version": backup.FORMAT_VERSION,
        "created_at": "2026-01-01T00:00:00+00:00",
        "instance": "test",
        "database": {
            "engine": "sqlite",
            "size": len(database),
            "sha256": hashlib.sha256(database).hexdigest(),
            "migrations": [],
        },
        "audit": {"in_database": True, "head_seq": 0, "head_hash": "0" * 64, "events": 0},
        "media": {
            "count": len(files),
            "bytes": sum(len(b) for b in files.values()),
            "files": [
                {"path": p, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
                for p, b in files.items()
            ],
        },
    }
    manifest.update(overrides)
    return json.dumps(manifest).encode()


@pytest.fixture
def small_chunks(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(backup, "CHUNK_SIZE", 64)
    settings.MEDIA_ROOT = tmp_path / "var" / "uploads"
    return tmp_path


def _unpack(tmp_path, data, key=KEY):
    path = tmp_path / "x.backup"
    path.write_bytes(data)
    return backup.unpack(path, key=key)


def test_a_well_formed_container_unpacks_with_every_file(small_chunks):
    database = b"D" * 500
    files = {"messaging/ab/abcdef": b"F" * 300, "evidence/x.pdf": b"%PDF-1.4"}
    data = _container(
        [
            ("database", "sqlite", database),
            *[("media", p, b) for p, b in files.items()],
            ("manifest", "manifest.json", _manifest(database, files)),
        ]
    )

    unpacked = _unpack(small_chunks, data)

    assert unpacked.database.read_bytes() == database
    assert (unpacked.media / "messaging" / "ab" / "abcdef").read_bytes() == files[
        "messaging/ab/abcdef"
    ]
    assert unpacked.media_files == 2
    shutil.rmtree(unpacked.workdir)


def test_a_container_cut_at_a_chunk_boundary_is_refused(small_chunks):
    database = b"D" * 1000
    data = _container(
        [("database", "sqlite", database), ("manifest", "m", _manifest(database, {}))]
    )
    header = len(backup.MAGIC) + 32
    sealed = 64 + 16 + backup._LEN.size
    cut = data[: header + 3 * sealed]  # whole chunks only: the last one kept is not the last

    with pytest.raises(backup.BackupError, match="fails authentication"):
        _unpack(small_chunks, cut)
    assert not list((small_chunks / "var").glob(".tawasul-restore-*"))


def test_chunks_swapped_in_place_are_refused(small_chunks):
    database = b"A" * 64 + b"B" * 64 + b"C" * 64
    data = bytearray(
        _container([("database", "sqlite", database), ("manifest", "m", _manifest(database, {}))])
    )
    header = len(backup.MAGIC) + 32
    sealed = 64 + 16 + backup._LEN.size
    first = data[header : header + sealed]
    data[header : header + sealed] = data[header + sealed : header + 2 * sealed]
    data[header + sealed : header + 2 * sealed] = first

    with pytest.raises(backup.BackupError, match="fails authentication"):
        _unpack(small_chunks, bytes(data))


def test_a_manifest_that_does_not_match_the_parts_is_refused(small_chunks):
    database = b"D" * 100
    files = {"a/b": b"file"}
    lying = _manifest(database, {"a/b": b"another file"})
    data = _container(
        [("database", "sqlite", database), ("media", "a/b", files["a/b"]), ("manifest", "m", lying)]
    )

    with pytest.raises(backup.BackupError, match="does not match its manifest"):
        _unpack(small_chunks, data)


def test_a_file_missing_from_the_manifest_is_refused(small_chunks):
    database = b"D" * 100
    data = _container(
        [
            ("database", "sqlite", database),
            ("media", "a/extra", b"x"),
            ("manifest", "m", _manifest(database, {})),
        ]
    )

    with pytest.raises(backup.BackupError, match="list of files"):
        _unpack(small_chunks, data)


@pytest.mark.parametrize("name", ["../outside", "/etc/passwd", "a/../../b", "a\\b", ""])
def test_a_file_named_outside_the_uploads_is_refused(small_chunks, name):
    database = b"D"
    data = _container(
        [
            ("database", "sqlite", database),
            ("media", name, b"x"),
            ("manifest", "m", _manifest(database, {name: b"x"})),
        ]
    )

    with pytest.raises(backup.BackupError, match="outside the uploads folder"):
        _unpack(small_chunks, data)
    assert not (small_chunks / "outside").exists()


def test_a_wrong_key_is_named_as_such(small_chunks):
    database = b"D"
    data = _container(
        [("database", "sqlite", database), ("manifest", "m", _manifest(database, {}))]
    )

    with pytest.raises(backup.BackupError, match="backup key does not match"):
        _unpack(small_chunks, data, key=bytes(32))


def test_a_file_that_is_not_a_backup_is_refused(small_chunks):
    with pytest.raises(backup.BackupError, match="not a Tawasul backup"):
        _unpack(small_chunks, b"SQLite format 3\x00" + b"\x00" * 100)


def test_the_backup_file_holds_no_plaintext(small_chunks):
    secret = b"SECRET-PLAINTEXT-MARKER"
    data = _container(
        [("database", "sqlite", secret * 10), ("manifest", "m", _manifest(secret * 10, {}))]
    )

    assert secret not in data
    assert b"manifest" not in data
