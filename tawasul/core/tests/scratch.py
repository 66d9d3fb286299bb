"""Scratch sites for tests that must run Tawasul end to end in other processes: a database of
their own (a SQLite file, or a PostgreSQL database on the test server) and a var folder, set
through DATABASE_URL and TAWASUL_VAR_DIR. pytest-django's test database cannot be dropped or
restored from inside the test run, and a process killed mid-transaction must be a real one.

The engine follows the suite's: PostgreSQL when DATABASE_URL names one, else SQLite. Each
engine's migrated template is made once per test run and copied for every site.

Run as ``python -m tawasul.core.tests.scratch FUNCTION [JSON-ARGS]`` (with the site's
environment) to call one of the functions in ``TASKS`` inside a configured Django; it prints
the JSON result on its last line.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[3]
SCRATCH_PREFIX = "tawasul_scratch"
_templates: dict[str, str] = {}
_cleanups: list[Any] = []


def suite_engine() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return (
        "postgresql" if url.startswith(("postgres://", "postgresql://", "pgsql://")) else "sqlite"
    )


def pg_admin_url() -> str:
    """The server of the suite's PostgreSQL database (or CI_POSTGRES_URL, or the local one)."""
    url = os.environ.get("DATABASE_URL", "")
    if suite_engine() == "postgresql":
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    return os.environ.get("CI_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def _pg_admin(statement: Any) -> None:
    import psycopg

    with psycopg.connect(f"{pg_admin_url()}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def pg_create(name: str, template: str = "") -> None:
    from psycopg import sql

    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
    _pg_admin(statement)


def pg_drop(name: str) -> None:
    from psycopg import sql

    _pg_admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _base_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TAWASUL_VAR_DIR", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("PYTEST")
    }
    env.update(
        {
            "TAWASUL_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "EMAIL_URL": "dummymail://",
        }
    )
    return env


@dataclass
class Site:
    engine: str
    var_dir: Path
    database_url: str
    pg_name: str = ""

    @property
    def sqlite_path(self) -> Path:
        return self.var_dir / "tawasul.sqlite3"

    @property
    def media_root(self) -> Path:
        return self.var_dir / "uploads"

    def env(self, **extra: str) -> dict[str, str]:
        env = _base_env()
        env.update(
            {"DATABASE_URL": self.database_url, "TAWASUL_VAR_DIR": str(self.var_dir)}, **extra
        )
        return env

    def manage(
        self, *args: str, check: bool = True, timeout: float = 300, **extra: str
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def call(self, task: str, *args: Any, timeout: float = 300) -> Any:
        result = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "tawasul.core.tests.scratch", task, json.dumps(list(args))],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"{task} failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def popen(self, task: str, *args: Any) -> subprocess.Popen[str]:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "tawasul.core.tests.scratch", task, json.dumps(list(args))],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wipe(self) -> None:
        """Lose everything: a fresh, empty database (no tables) and no uploads."""
        if self.engine == "postgresql":
            pg_drop(self.pg_name)
            pg_create(self.pg_name)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self.media_root, ignore_errors=True)

    def drop(self) -> None:
        if self.engine == "postgresql":
            pg_drop(self.pg_name)
        shutil.rmtree(self.var_dir, ignore_errors=True)


def _cleanup_templates() -> None:
    for cleanup in reversed(_cleanups):
        with contextlib.suppress(Exception):  # best effort, at exit
            cleanup()


atexit.register(_cleanup_templates)


def _unique(label: str) -> str:
    return f"{SCRATCH_PREFIX}_{os.getpid()}_{label}_{time.monotonic_ns() % 10**9}"


def _template(engine: str) -> str:
    """A migrated, empty database to copy: a SQLite file path or a PostgreSQL name."""
    if engine in _templates:
        return _templates[engine]
    if engine == "postgresql":
        name = _unique("template")
        pg_create(name)
        _cleanups.append(lambda: pg_drop(name))
        site = Site(engine, Path(tempfile.mkdtemp()), f"{pg_admin_url()}/{name}", name)
    else:
        var_dir = Path(tempfile.mkdtemp(prefix="tawasul-template-"))
        _cleanups.append(lambda: shutil.rmtree(var_dir, ignore_errors=True))
        site = Site(engine, var_dir, f"sqlite:///{var_dir / 'tawasul.sqlite3'}")
        name = str(site.sqlite_path)
    site.manage("migrate", "--noinput", "-v0")
    if engine == "postgresql":
        shutil.rmtree(site.var_dir, ignore_errors=True)
    _templates[engine] = name
    return name


def new_site(engine: str, base: Path) -> Site:
    """A migrated, empty site under ``base`` (a test's tmp_path); drop() it afterwards."""
    var_dir = base / f"var-{engine}"
    var_dir.mkdir(parents=True)
    template = _template(engine)
    if engine == "postgresql":
        name = _unique("site")
        pg_create(name, template=template)
        return Site(engine, var_dir, f"{pg_admin_url()}/{name}", name)
    shutil.copyfile(template, var_dir / "tawasul.sqlite3")
    return Site(engine, var_dir, f"sqlite:///{var_dir / 'tawasul.sqlite3'}")


def pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{pg_admin_url()}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


# --- Tasks run inside a configured Django (python -m tawasul.core.tests.scratch TASK ARGS) ------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nBACKUP-DRILL-MARKER\n%%EOF\n"


def seed() -> dict[str, Any]:
    """Some users, a thread whose first message carries an attachment, their audit events."""
    import hashlib
    import io

    from tawasul.core.roles import Role
    from tawasul.core.tests.factories import UserFactory
    from tawasul.messaging.files import IncomingFile
    from tawasul.messaging.services import message_post, thread_create

    fp_ma: Any = UserFactory(username="drill.ma", country="MA", roles=[Role.FOCAL_POINT])
    fp_tn: Any = UserFactory(username="drill.tn", country="TN", roles=[Role.FOCAL_POINT])
    UserFactory(username="drill.admin", country="MA", roles=[Role.NATIONAL_ADMIN])
    thread = thread_create(
        actor=fp_ma,
        subject="Backup drill",
        participants=[fp_tn],
        body="A message with an attachment",
        attachments=[IncomingFile(name="evidence.pdf", stream=io.BytesIO(PDF), size=len(PDF))],
    )
    message_post(actor=fp_tn, thread=thread, body="A reply")
    return {"thread": thread.pk, "sha256": hashlib.sha256(PDF).hexdigest()}


def probe() -> dict[str, Any]:
    """Counts, the audit chain, the sign-in page and every attachment decrypted and checked."""
    from django.test import Client

    from tawasul.accounts.models import User
    from tawasul.audit.models import AuditEvent
    from tawasul.audit.verify import verify_chain
    from tawasul.messaging.files import read_decrypted
    from tawasul.messaging.models import Attachment, Message, Thread

    attachments = []
    for attachment in Attachment.objects.order_by("pk"):
        data = read_decrypted(attachment.storage_name, attachment.sha256)
        attachments.append({"filename": attachment.filename, "size": len(data)})
    chain = verify_chain()
    return {
        "users": User.objects.count(),
        "threads": Thread.objects.count(),
        "messages": Message.objects.count(),
        "attachments": attachments,
        "audit_events": AuditEvent.objects.count(),
        "audit_ok": chain.ok,
        "audit_checked": chain.checked,
        "sign_in_status": Client().get("/accounts/login/").status_code,
    }


def person_rows() -> dict[str, Any]:
    from tawasul.audit.models import AuditEvent
    from tawasul.audit.verify import verify_chain
    from tawasul.persons.models import IdentityDocument, PersonName, PersonNameKey, PersonRecord

    chain = verify_chain()
    return {
        "records": PersonRecord.objects.count(),
        "names": PersonName.objects.count(),
        "name_keys": PersonNameKey.objects.count(),
        "documents": IdentityDocument.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "audit_ok": chain.ok,
        "audit_problem": chain.problem,
    }


def make_person_user() -> dict[str, Any]:
    from tawasul.core.roles import Role
    from tawasul.core.tests.factories import UserFactory

    user: Any = UserFactory(username="writer.ma", country="MA", roles=[Role.FOCAL_POINT])
    return {"user": user.pk}


def create_person(user_id: int, ready_file: str = "", sleep_seconds: float = 0) -> dict[str, Any]:
    """Create a person record with two names and two documents. With ``ready_file``, the
    write stops inside its transaction, after every row and the audit event are written:
    it creates the file and sleeps, so a test can kill the process there."""
    from tawasul.accounts.models import User
    from tawasul.persons import services

    real_audit_record = services.audit_record

    def audit_then_wait(**kwargs: Any) -> Any:
        event = real_audit_record(**kwargs)
        if ready_file:
            Path(ready_file).write_text("inside the transaction")
            time.sleep(sleep_seconds)
        return event

    services.audit_record = audit_then_wait
    actor = User.objects.get(pk=user_id)
    record = services.person_record_create(
        actor=actor,
        data=services.RecordData(
            category="wanted",
            names=[
                services.NameIn("Karim Benali", "primary"),
                services.NameIn("كريم بن علي", "alias"),
            ],
            legal_basis="Fault drill",
            documents=[
                services.DocumentIn("passport", "XK1234567", "MA"),
                services.DocumentIn("national_id", "AB123456", "MA"),
            ],
        ),
    )
    return {"record": record.pk}


def api_user() -> list[Any]:
    """A Moroccan focal point with an API token, and a Tunisian one to write to."""
    from tawasul.accounts.services import api_token_create
    from tawasul.core.roles import Role
    from tawasul.core.tests.factories import UserFactory

    writer: Any = UserFactory(username="api.ma", country="MA", roles=[Role.FOCAL_POINT])
    other: Any = UserFactory(username="api.tn", country="TN", roles=[Role.FOCAL_POINT])
    _, token = api_token_create(actor=writer, name="fault drill", days=1)
    return [token, other.pk]


def api_post_slow(token: str, other_id: int, go_file: str, sleep_seconds: float) -> dict[str, Any]:
    """Wait for ``go_file``, then open a thread through the API with Idempotency-Key "race",
    the thread's creation slowed by ``sleep_seconds`` (so two such processes overlap)."""
    from django.test import Client

    from tawasul.messaging import services

    real_thread_create = services.thread_create

    def slow_thread_create(**kwargs: Any) -> Any:
        time.sleep(sleep_seconds)
        return real_thread_create(**kwargs)

    services.thread_create = slow_thread_create
    while not Path(go_file).exists():
        time.sleep(0.05)
    response = Client().post(
        "/api/v1/messaging/threads",
        {"subject": "Race", "participant_ids": [other_id], "body": "Once"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "race"},
    )
    return {
        "status": response.status_code,
        "body": response.json(),
        "replayed": response.get("Idempotent-Replayed") == "true",
    }


def thread_count() -> int:
    from tawasul.messaging.models import Thread

    return Thread.objects.count()


TASKS = {
    f.__name__: f
    for f in (
        seed,
        probe,
        person_rows,
        make_person_user,
        create_person,
        api_user,
        api_post_slow,
        thread_count,
    )
}


def main(argv: list[str]) -> int:
    import django

    django.setup()
    task = TASKS[argv[1]]
    args = json.loads(argv[2]) if len(argv) > 2 else []
    print(json.dumps(task(*args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
