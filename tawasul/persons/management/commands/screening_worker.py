"""Run queued list-screening jobs: ``manage.py screening_worker`` (loop) or ``--once``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tawasul.persons.screening import run_job
from tawasul.persons.services import screening_job_claim, screening_jobs_expire


class Command(BaseCommand):
    help = "Run queued person-index screening jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the queued jobs, then stop.")
        parser.add_argument("--sleep", type=float, default=2.0, help="Seconds between polls.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            screening_jobs_expire()
            job = screening_job_claim()
            if job is None:
                if options["once"]:
                    return
                time.sleep(options["sleep"])
                continue
            try:
                done = run_job(job)
            except Exception as problem:  # the job is marked failed; keep serving others
                self.stderr.write(f"screening job {job.pk} failed: {problem}")
                continue
            self.stdout.write(f"screening job {done.pk}: {done.status}, {done.match_count} hits")
