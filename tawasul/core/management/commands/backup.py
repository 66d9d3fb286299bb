"""Make one encrypted backup of the database, the uploaded files and a manifest.

    manage.py backup [PATH]

The file is encrypted and authenticated with TAWASUL_BACKUP_KEY; `manage.py restore` brings
it back. Taking a backup is audited (channel ``cli``) in the live database, after the dump.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record
from tawasul.core.backup import BackupError, create_backup, default_backup_path


class Command(BaseCommand):
    help = "Write an encrypted backup (database, uploaded files, manifest) to PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default="",
            help="the file to write (refused if it exists); default var/backups/tawasul-<time>.backup",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["path"]) if options["path"] else default_backup_path()
        try:
            summary = create_backup(output, log=lambda line: self.stdout.write(line))
        except BackupError as error:
            raise CommandError(str(error)) from None
        with transaction.atomic():
            audit_record(
                event_type=EventType.BACKUP_CREATED,
                object_type="backup",
                object_id=summary.path.name[:64],
                details={
                    "sha256": summary.sha256,
                    "engine": summary.engine,
                    "audit_head_seq": summary.state.audit_head_seq,
                    "files": summary.files,
                },
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {summary.path} ({summary.size} bytes, SHA-256 "
                f"{summary.sha256}). Database {summary.engine} ({summary.database_size} bytes, "
                f"{len(summary.state.migrations)} migrations, audit log up to "
                f"#{summary.state.audit_head_seq}), {summary.files} files "
                f"({summary.files_bytes} bytes)."
            )
        )
