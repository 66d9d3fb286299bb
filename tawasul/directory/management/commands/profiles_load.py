"""Load the country profiles (data/profiles/<CC>.yaml) into the database.

Each valid file whose content changed becomes a new version; an unchanged file is skipped.
A malformed file is refused with its file, line and field, and that country keeps its
previous version; the others still load. Exit status 1 if any file was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tawasul.directory.profile_schema import ProfileError
from tawasul.directory.services import country_profile_load, profiles_dir


class Command(BaseCommand):
    help = "Validate and load the country profiles from data/profiles (or the given files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", help="profile files (default: every data/profiles/*.yaml)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]] or sorted(profiles_dir().glob("*.yaml"))
        if not paths:
            raise CommandError(f"no profile found in {profiles_dir()}")
        refused = 0
        for path in paths:
            try:
                profile, created = country_profile_load(actor=None, path=path)
            except ProfileError as error:
                refused += 1
                self.stderr.write(f"REFUSED {error}")
                continue
            state = "loaded" if created else "unchanged"
            self.stdout.write(f"{profile.country}: version {profile.version} {state}")
        if refused:
            raise CommandError(f"{refused} profile(s) refused; the previous versions are kept.")
