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
import io
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
    # No system checks: they import every URL module (seconds) and are not what a scratch
    # site is for; the processes under test run them as usual.
    site.manage("migrate", "--noinput", "-v0", "--skip-checks")
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
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\nBACKUP-DRILL-EVIDENCE\n%%EOF\n"
PERSON_NAME = "Karim Benali Drill"
PERSON_ALIAS = "كريم بن علي"
VICTIM_NAMES = ["Amina Fictive Drill", "أمينة"]


def _drill_request(users: dict[str, Any]) -> Any:
    """A Morocco → Spain request for mutual legal assistance, drafted, submitted, approved
    (transmitted) and acknowledged through the services: its formal request is rendered and
    stored encrypted, and each transition carries a signed receipt."""
    from tawasul.cooperation import services as cooperation
    from tawasul.directory.services import country_profile_load, profiles_dir

    for country in ("MA", "ES"):
        country_profile_load(actor=None, path=profiles_dir() / f"{country}.yaml")
    drafter = users["drafter"]
    request = cooperation.request_create(
        actor=drafter,
        values={
            "request_type": "mla",
            "requested_country": "ES",
            "offence_category": "terrorist_financing",
            "requesting_reference": "PR-RBT/2026/0412 (drill)",
            "summary_of_facts": "Transfers from accounts held in Spain financed a cell in "
            "Tangier. (Fictional facts for the backup drill.)",
            "purpose": "To identify the holders of the accounts and every transfer to Morocco.",
            "document_language": "fr",
            "dual_criminality_statement": "The facts are offences under the law of both states.",
            "non_political_statement": "The offences are terrorist offences.",
            "assurance_fair_trial": True,
        },
    )
    cooperation.request_update(
        actor=drafter, request=request, values={"requested_agency": users["es"].agency_id}
    )
    cooperation.request_offence_add(
        actor=drafter,
        request=request,
        description="Financement du terrorisme (exercice)",
        legal_provision="Code pénal, art. 218-4 (disposition fictive pour l'exercice)",
        penalty="5 à 20 ans",
    )
    cooperation.request_person_add(
        actor=drafter,
        request=request,
        values={
            "role": "suspect",
            "name_arabic": PERSON_ALIAS,
            "name_latin": PERSON_NAME,
            "date_of_birth": "1991-05-14",
            "nationality": "MA",
        },
    )
    cooperation.request_measure_add(
        actor=drafter,
        request=request,
        kind="bank_records",
        details={
            "bank": "Banco Drill S.A.",
            "account": "ES00 DRILL 0000 0000 0001",
            "period_start": "2025-01-01",
            "period_end": "2025-10-31",
            "records": "Statements and transfer orders",
        },
    )
    for actor, action in (
        (drafter, "submit"),
        (users["checker"], "approve"),
        (users["es"], "acknowledge"),
    ):
        request.refresh_from_db()
        cooperation.request_transition(actor=actor, request=request, action=action)
    request.refresh_from_db()
    return request


def seed() -> dict[str, Any]:
    """A small site built through the services: users; a message thread with an attachment;
    a cooperation request transmitted to Spain (its formal request stored encrypted, signed
    receipts); a person record with its name keys; an encrypted victim record; an action-plan
    action with an evidence file. Returns what was seeded and the probe of the site."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.utils import override_settings

    from tawasul.actionplans import services as actionplans
    from tawasul.actionplans.tests.factories import ActionFactory
    from tawasul.core.roles import Role
    from tawasul.core.tests.factories import AgencyFactory, UserFactory
    from tawasul.directory.models import AgencyKind
    from tawasul.messaging.files import IncomingFile
    from tawasul.messaging.services import message_post, thread_create
    from tawasul.persons.tests.factories import make_record, make_victim

    prosecution = AgencyFactory(country="MA", kind=AgencyKind.PROSECUTION, name_en="Rabat drill")
    spanish = AgencyFactory(country="ES", kind=AgencyKind.CENTRAL_AUTHORITY_MLA, name_en="ES drill")
    users: dict[str, Any] = {
        "fp_ma": UserFactory(username="drill.ma", country="MA", roles=[Role.FOCAL_POINT]),
        "fp_tn": UserFactory(username="drill.tn", country="TN", roles=[Role.FOCAL_POINT]),
        "admin": UserFactory(username="drill.admin", country="MA", roles=[Role.NATIONAL_ADMIN]),
        "drafter": UserFactory(
            username="drill.prosecutor",
            country="MA",
            agency=prosecution,
            roles=[Role.FOCAL_POINT],
        ),
        "checker": UserFactory(
            username="drill.central",
            country="MA",
            agency=prosecution,
            roles=[Role.CENTRAL_AUTHORITY],
        ),
        "es": UserFactory(
            username="drill.es", country="ES", agency=spanish, roles=[Role.CENTRAL_AUTHORITY]
        ),
        "vp_ma": UserFactory(username="drill.vp.ma", country="MA", roles=[Role.VICTIM_PROTECTION]),
        "vp_tn": UserFactory(username="drill.vp.tn", country="TN", roles=[Role.VICTIM_PROTECTION]),
    }
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        thread = thread_create(
            actor=users["fp_ma"],
            subject="Backup drill",
            participants=[users["fp_tn"]],
            body="A message with an attachment",
            attachments=[IncomingFile(name="evidence.pdf", stream=io.BytesIO(PDF), size=len(PDF))],
        )
        message_post(actor=users["fp_tn"], thread=thread, body="A reply")
        request = _drill_request(users)
        record = make_record(users["fp_ma"], PERSON_NAME, aliases=[PERSON_ALIAS])
        victim = make_victim(users["vp_ma"], names=VICTIM_NAMES)
        action: Any = ActionFactory(country="MA", description="Name the drill's focal points")
        actionplans.action_report_progress(
            actor=users["fp_ma"],
            action=action,
            status="done",
            text="Decision signed.",
            evidence="The decree",
            evidence_file=SimpleUploadedFile("décision.pdf", EVIDENCE_PDF),
        )
    return {
        "thread": thread.pk,
        "request": request.pk,
        "reference": request.reference,
        "owner": users["drafter"].pk,
        "record": record.reference,
        "victim": victim.reference,
        "searcher": users["fp_tn"].pk,
        "victim_searcher": users["vp_tn"].pk,
        "probe": probe(),
    }


def _signed_in(user: Any) -> Any:
    """A test client signed in with a verified second factor."""
    from django.test import Client

    from tawasul.core.tests.factories import sign_in_with_second_factor

    return sign_in_with_second_factor(Client(), user)


def _stored_files() -> dict[str, list[dict[str, Any]]]:
    """Every stored file read back: the encrypted ones decrypted with the file key and
    checked against their recorded SHA-256, the evidence files hashed."""
    import hashlib

    from django.conf import settings

    from tawasul.actionplans.models import ProgressUpdate
    from tawasul.cooperation.models import RequestDocument
    from tawasul.messaging.files import read_decrypted
    from tawasul.messaging.models import Attachment

    attachments = [
        {"filename": a.filename, "size": len(read_decrypted(a.storage_name, a.sha256))}
        for a in Attachment.objects.order_by("pk")
    ]
    documents = []
    for document in RequestDocument.objects.order_by("pk"):
        data = read_decrypted(document.storage_name, document.sha256)
        documents.append(
            {
                "language": document.language,
                "format": document.format,
                "size": len(data),
                "sha256": document.sha256,
                "pdf": data.startswith(b"%PDF"),
            }
        )
    evidence = []
    for update in ProgressUpdate.objects.exclude(evidence_file_path="").order_by("pk"):
        data = (Path(settings.MEDIA_ROOT) / update.evidence_file_path).read_bytes()
        evidence.append(
            {
                "filename": update.evidence_file_name,
                "size": len(data),
                "sha256_ok": hashlib.sha256(data).hexdigest() == update.evidence_file_sha256,
            }
        )
    return {"attachments": attachments, "documents": documents, "evidence": evidence}


def probe() -> dict[str, Any]:
    """What the site holds, read without changing it: counts, the audit chain, the sign-in
    page, every stored file read back and checked, the victims' identities decrypted."""
    from django.test import Client

    from tawasul.accounts.models import User
    from tawasul.actionplans.models import FollowUpAction, ProgressUpdate
    from tawasul.audit.models import AuditEvent
    from tawasul.audit.verify import verify_chain
    from tawasul.cooperation.models import CooperationRequest, RequestDocument, RequestTransition
    from tawasul.messaging.models import Message, Thread
    from tawasul.persons import crypto
    from tawasul.persons.models import (
        PersonName,
        PersonNameKey,
        PersonRecord,
        VictimNameEncoding,
        VictimRecord,
    )

    chain = verify_chain()
    return {
        "users": User.objects.count(),
        "threads": Thread.objects.count(),
        "messages": Message.objects.count(),
        "requests": CooperationRequest.objects.count(),
        "transmitted": sorted(
            CooperationRequest.objects.exclude(transmitted_at=None).values_list(
                "reference", "status"
            )
        ),
        "request_documents": RequestDocument.objects.count(),
        "receipts": sorted(
            [t.request.reference, t.action, t.receipt["signature"]]
            for t in RequestTransition.objects.select_related("request")
        ),
        "person_records": PersonRecord.objects.count(),
        "person_names": PersonName.objects.count(),
        "name_keys": PersonNameKey.objects.count(),
        "victims": VictimRecord.objects.count(),
        "victim_encodings": VictimNameEncoding.objects.count(),
        "victim_identities": {
            v.reference: crypto.open_identity(v.reference, bytes(v.identity_ciphertext))
            for v in VictimRecord.objects.order_by("pk")
        },
        "actions": FollowUpAction.objects.count(),
        "progress_updates": ProgressUpdate.objects.count(),
        **_stored_files(),
        "audit_events": AuditEvent.objects.count(),
        "audit_ok": chain.ok,
        "audit_checked": chain.checked,
        "sign_in_status": Client().get("/accounts/login/").status_code,
    }


def _command(name: str, *args: str) -> dict[str, Any]:
    """A management command run in this process (as ``manage.py`` runs it, without the
    system checks, which cost a second per process and are not what the drill is about)."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out)
    except CommandError as error:
        return {"ok": False, "output": f"{out.getvalue()}{error}"}
    return {"ok": True, "output": out.getvalue()}


def verify_and_use(seeded: dict[str, Any]) -> dict[str, Any]:
    """The probe, ``audit_verify`` and ``receipt_verify --all``; then the site used as its
    users would (this writes audit entries): the request's page for its owner, signed in
    with MFA; a person search by the seeded name from another country; a victim
    identification from another country."""
    from django.urls import reverse

    from tawasul.accounts.models import User
    from tawasul.persons import services as persons

    before_use = probe()
    audit = _command("audit_verify")
    receipts = _command("receipt_verify", "--all")
    owner = User.objects.get(pk=seeded["owner"])
    page = _signed_in(owner).get(reverse("cooperation:detail", args=[seeded["request"]]))
    searcher = User.objects.get(pk=seeded["searcher"])
    search = _signed_in(searcher).post(reverse("persons:search"), {"name": PERSON_NAME})
    leads = persons.victim_identify(
        actor=User.objects.get(pk=seeded["victim_searcher"]), name=VICTIM_NAMES[0]
    )
    return {
        "probe": before_use,
        "audit_verify": audit,
        "receipt_verify": receipts,
        "request_page_status": page.status_code,
        "request_page_shows_reference": seeded["reference"] in page.content.decode(),
        "search_status": search.status_code,
        "search_shows_record": seeded["record"] in search.content.decode(),
        "victim_leads": [lead.country for lead in leads],
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
        verify_and_use,
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
