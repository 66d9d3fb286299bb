"""Restore a backup made by `manage.py backup` into the configured database and MEDIA_ROOT.

    manage.py restore PATH [--force] [--check-only]

The whole file is decrypted, authenticated and checked against its manifest before anything
is replaced; a file that fails is refused. A database holding users or audit events, or
uploads already present, are replaced only with --force (the old uploads are kept aside).
Afterwards the audit chain is verified and must end where the manifest says. Stop the
application and its workers first.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record
from tawasul.core.backup import BackupError, restore_backup, unpack


class Command(BaseCommand):
    help = "Restore an encrypted backup (database and uploaded files), then verify the audit chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds data, and uploads already present",
        )
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="decrypt and check the file against its manifest; restore nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            unpacked = unpack(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = unpacked.manifest
        audit = manifest["audit"]
        described = (
            f"backup of {manifest['created_at']} ({manifest['instance']}): "
            f"{manifest['database']['engine']} database, "
            f"{len(manifest['database']['migrations'])} migrations, audit log up to "
            f"#{audit['head_seq']}, {unpacked.media_files} files"
        )
        try:
            if options["check_only"]:
                self.stdout.write(self.style.SUCCESS(f"Backup intact: {described}."))
                return
            self.stdout.write(f"Restoring the {described}.")
            summary = restore_backup(
                unpacked, force=options["force"], log=lambda line: self.stdout.write(line)
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            shutil.rmtree(unpacked.workdir, ignore_errors=True)
        with transaction.atomic():
            audit_record(
                event_type=EventType.BACKUP_RESTORED,
                object_type="backup",
                object_id=path.name[:64],
                details={
                    "created_at": manifest["created_at"],
                    "instance": manifest["instance"],
                    "audit_head_seq": audit["head_seq"],
                    "files": summary.files,
                },
            )
        self.stdout.write(f"audit chain intact: {summary.audit_checked} entries verified")
        if summary.kept_media is not None:
            self.stdout.write(f"the uploads that were there are kept in {summary.kept_media}")
        if summary.unknown_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"the backup has {len(summary.unknown_migrations)} migrations this code "
                    f"does not know (made by a newer version?): "
                    f"{', '.join(summary.unknown_migrations[:5])}"
                )
            )
        if summary.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(summary.pending_migrations)} migrations of this code are not applied "
                    "yet: run manage.py migrate"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored: {manifest['database']['engine']} database "
                f"({manifest['database']['size']} bytes), {summary.files} files "
                f"({summary.files_bytes} bytes), audit chain of {summary.audit_checked} entries "
                f"verified up to #{audit['head_seq']} (and one entry recording this restore)."
            )
        )
