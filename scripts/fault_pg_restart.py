"""Restart PostgreSQL under load: no acknowledged write may be lost, and the application must
recover without being restarted.

Starts gunicorn (2 workers, kept-alive database connections) on a scratch PostgreSQL database
and a free loopback port, opens message threads through the API from a few threads, restarts
the PostgreSQL cluster in the middle (pg_ctlcluster), keeps going, then checks that every
write answered 2xx is in the database, that writes succeed again after the restart, and that
the audit chain verifies. Prints the counts; exits 1 if any check fails. Cleans up its
database, folder and server whatever happens.

Usage: python scripts/fault_pg_restart.py [--admin-url postgres://postgres@127.0.0.1:5432]
       [--cluster 15/main] [--seconds 20] [--restart-after 6] [--threads 4]

It restarts the whole cluster: run it when nothing else needs PostgreSQL (in CI, after the
PostgreSQL test suite).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tawasul.core.tests.scratch import Site, pg_create, pg_drop  # noqa: E402


@dataclass
class Outcome:
    sent_at: float
    ok: bool
    subject: str
    thread_id: int | None = None
    error: str = ""


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def default_cluster() -> str:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if p.is_dir())
    version = versions[-1]
    clusters = sorted(p.name for p in (Path("/etc/postgresql") / version).iterdir() if p.is_dir())
    return f"{version}/{'main' if 'main' in clusters else clusters[0]}"


def restart_cluster(cluster: str) -> float:
    version, name = cluster.split("/")
    started = time.monotonic()
    subprocess.run(  # noqa: S603 - fixed argv
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    return time.monotonic() - started


def post_thread(base: str, token: str, other_id: int, subject: str) -> tuple[int, dict]:
    """Open a thread; the subject is also the Idempotency-Key, so a retry cannot duplicate."""
    request = urllib.request.Request(  # noqa: S310 - a loopback URL we built
        f"{base}/api/v1/messaging/threads",
        data=json.dumps(
            {"subject": subject, "participant_ids": [other_id], "body": "fault drill"}
        ).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": subject,
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def writer(run: Run, base: str, token: str, other_id: int, number: int) -> None:
    sequence = 0
    while not run.stop.is_set():
        sequence += 1
        subject = f"fault {number}-{sequence}"
        sent_at = time.monotonic()
        try:
            status, body = post_thread(base, token, other_id, subject)
        except (OSError, ValueError) as error:
            run.add(Outcome(sent_at, False, subject, error=type(error).__name__))
            time.sleep(0.1)
            continue
        if 200 <= status < 300:
            run.add(Outcome(sent_at, True, subject, thread_id=int(body["id"])))
        else:
            run.add(Outcome(sent_at, False, subject, error=f"HTTP {status}"))
            time.sleep(0.1)


def wait_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def stored_threads(admin_url: str, name: str) -> dict[str, list[int]]:
    import psycopg

    stored: dict[str, list[int]] = {}
    with psycopg.connect(f"{admin_url}/{name}") as conn:
        for subject, pk in conn.execute("SELECT subject, id FROM messaging_thread ORDER BY id"):
            stored.setdefault(str(subject), []).append(int(pk))
    return stored


def other_connections(admin_url: str, own: str) -> list[str]:
    import psycopg

    with psycopg.connect(f"{admin_url}/postgres") as conn:
        rows = conn.execute(
            "SELECT DISTINCT datname FROM pg_stat_activity "
            "WHERE datname IS NOT NULL AND datname NOT IN (%s, 'postgres') "
            "AND pid <> pg_backend_pid()",
            (own,),
        ).fetchall()
    return [str(r[0]) for r in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("CI_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--cluster", default="", help="version/name, e.g. 15/main")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--restart-after", type=float, default=6)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    admin_url = args.admin_url.rstrip("/")
    cluster = args.cluster or default_cluster()

    name = f"tawasul_fault_{os.getpid()}_{int(time.time())}"
    var_dir = Path(tempfile.mkdtemp(prefix="tawasul-fault-"))
    site = Site("postgresql", var_dir, f"{admin_url}/{name}", name)
    server: subprocess.Popen[bytes] | None = None
    try:
        pg_create(name)
        site.manage("migrate", "--noinput", "-v0")
        token, other_id = site.call("api_user")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(var_dir / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the server
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=site.env(DB_CONN_MAX_AGE="600", LOG_LEVEL="ERROR"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_healthy(base, server)
        others = other_connections(admin_url, name)
        if others:
            print(f"note: other databases in use during the restart: {', '.join(others)}")

        run = Run()
        workers = [
            threading.Thread(target=writer, args=(run, base, token, other_id, n), daemon=True)
            for n in range(args.threads)
        ]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        time.sleep(args.restart_after)
        restart_began = time.monotonic()
        restart_seconds = restart_cluster(cluster)
        restart_ended = time.monotonic()
        time.sleep(max(0.0, args.seconds - (restart_ended - started)))
        run.stop.set()
        ended = time.monotonic()
        for worker in workers:
            worker.join(timeout=30)
        if server.poll() is not None:
            print("FAILED: gunicorn died during the run")
            return 1

        acknowledged = [o for o in run.outcomes if o.ok]
        failed = [o for o in run.outcomes if not o.ok]
        stored = stored_threads(admin_url, name)
        lost = [o.subject for o in acknowledged if stored.get(o.subject) != [o.thread_id]]
        unanswered = [o.subject for o in failed if o.subject in stored]
        after_restart = [o for o in run.outcomes if o.sent_at > restart_ended]
        recovered = [o for o in after_restart if o.ok]
        # Once PostgreSQL is back (pg_ctlcluster waits for it), no request may fail.
        failed_after_restart = [o for o in after_restart if not o.ok]
        failed_before_restart = [o for o in failed if o.sent_at < restart_began - 1.0]

        # The clients retry what failed, with the same Idempotency-Key: a write that had
        # committed is answered from its stored response, the others are made now.
        retried = [post_thread(base, token, other_id, o.subject) for o in failed]
        retry_failures = [status for status, _ in retried if not 200 <= status < 300]
        replayed_ids = {
            o.subject: body.get("id") for o, (_, body) in zip(failed, retried, strict=True)
        }
        stored = stored_threads(admin_url, name)
        duplicated = [subject for subject, ids in stored.items() if len(ids) > 1]
        missing_after_retry = [o.subject for o in run.outcomes if o.subject not in stored]
        wrong_replay = [
            subject for subject, pk in replayed_ids.items() if stored.get(subject) != [pk]
        ]

        # Idle workers hold kept-alive connections across a second restart; each must notice
        # its dead connection before use (CONN_HEALTH_CHECKS) and open a new one.
        time.sleep(1.0)
        quiet_seconds = restart_cluster(cluster)
        quiet = [post_thread(base, token, other_id, f"after quiet restart {n}") for n in range(6)]
        quiet_failures = [status for status, _ in quiet if not 200 <= status < 300]
        audit = site.manage("audit_verify", check=False)

        print(
            f"PostgreSQL {cluster} restarted in {restart_seconds:.1f}s, "
            f"{restart_began - started:.1f}s into a {ended - started:.0f}s "
            f"run; {args.threads} client threads, gunicorn 2 workers, kept-alive connections"
        )
        print(f"acknowledged (2xx): {len(acknowledged)}")
        print(
            f"failed during the restart: {len(failed)} "
            f"({', '.join(sorted({o.error for o in failed})) or 'none'})"
        )
        print(f"found after: {sum(len(ids) for ids in stored.values())} threads in the database")
        print(f"acknowledged but missing: {len(lost)}")
        print(f"failed for the client but committed: {len(unanswered)}")
        print(f"successful writes after the restart: {len(recovered)} of {len(after_restart)}")
        print(
            f"failed writes retried with their Idempotency-Key: {len(retried)}, "
            f"{len(retried) - len(retry_failures)} succeeded, {len(duplicated)} duplicates"
        )
        print(
            f"second restart with idle workers ({quiet_seconds:.1f}s): "
            f"{len(quiet) - len(quiet_failures)} of {len(quiet)} writes succeeded right after"
        )
        print(audit.stdout.strip() or audit.stderr.strip())

        problems = []
        if lost:
            problems.append(f"{len(lost)} acknowledged writes are missing: {lost[:5]}")
        if not recovered:
            problems.append("no write succeeded after the restart")
        if failed_after_restart:
            problems.append(f"{len(failed_after_restart)} writes failed after the restart")
        if failed_before_restart:
            problems.append(f"{len(failed_before_restart)} writes failed before the restart")
        if retry_failures or missing_after_retry or duplicated or wrong_replay:
            problems.append(
                f"retries: {len(retry_failures)} failed, {len(missing_after_retry)} missing, "
                f"{len(duplicated)} duplicated, {len(wrong_replay)} answered another thread"
            )
        if quiet_failures:
            problems.append(f"{len(quiet_failures)} writes failed after the idle restart")
        if audit.returncode != 0:
            problems.append("the audit chain does not verify")
        if server.poll() is not None:
            problems.append("gunicorn died")
        if problems:
            print("FAILED: " + "; ".join(problems))
            return 1
        print("OK: no acknowledged write lost; the application recovered without a restart")
        return 0
    finally:
        if server is not None:
            stop_server(server)
        try:
            pg_drop(name)
        except Exception as error:  # the cluster may be down if the restart failed
            print(f"could not drop {name}: {error}")
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
