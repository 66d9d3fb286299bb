"""The load test, end to end: seed PostgreSQL, start gunicorn, run locust at each load, report.

    .venv/bin/python loadtest/run.py [--reuse] [--users 50,200] [--run-time 2m] [--spawn-rate 10]
        [--workers 3] [--port 8123] [--db tawasul_load] [--pg-server URL] [--drop]

1. Creates the scratch database ``--db`` on ``--pg-server`` (default
   postgres://postgres@127.0.0.1:5432; an existing one of that name is dropped first) and seeds
   it with ``loadtest/seed.py`` (100,000 requests, 100,000 person records, 1,000,000 messages,
   300 users); ``--reuse`` keeps the database and accounts file of an earlier run instead.
2. Starts gunicorn as docs/deploy.md does (``--workers 3``, loopback only, database
   connections kept ``--conn-max-age`` 60 s as in .env.example) with
   ``TAWASUL_ENV=development DEBUG=false``: MFA stays required (no demo mode), the cache is
   Redis (``CACHE_URL``, database 11, emptied first) as in production. Development mode only
   because production settings mark the cookies Secure, which a plain-HTTP loopback client
   never sends back.
3. Runs locust headless at each number of users (``-r`` users started per second, bounded by
   ``--run-time``), CSV statistics under var/loadtest/, and samples the load average and the
   CPU time of gunicorn and locust (they share the machine's cores); 35 s pause between loads.
4. Prints p50 / p95 / p99 and the error rate per endpoint, over the whole run (locust's CSV)
   and over the steady state (requests started ``--steady-after`` seconds into the run, once
   every user has signed in, from the locustfile's request log), checks the target (p95 <
   500 ms, no errors), writes var/loadtest/results.md, and stops gunicorn. The database is kept
   for ``--reuse`` unless ``--drop``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import math
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]  # locust's dependency; no stubs locked

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "loadtest"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
CACHE_URL = "redis://127.0.0.1:6379/11"
TARGET_P95_MS = 500
PAUSE_SECONDS = 35
SIGN_IN = "sign-in"


def _server_env(database_url: str, cache_url: str, conn_max_age: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TAWASUL_ENV="development",
        DEBUG="false",
        DEMO_MODE="false",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        DB_CONN_MAX_AGE=str(conn_max_age),
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
    )
    return env


def seed(database_url: str, accounts: Path, pg_server: str, name: str) -> float:
    from pg_database import main as pg_database

    pg_database("drop", pg_server, name)
    pg_database("create", pg_server, name)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own script, our own arguments
        [
            sys.executable,
            str(ROOT / "loadtest" / "seed.py"),
            "--database-url",
            database_url,
            "--accounts",
            str(accounts),
        ],
        check=True,
        cwd=ROOT,
        env={**os.environ, "TAWASUL_ENV": "development"},
    )
    return time.perf_counter() - started


def empty_cache(cache_url: str) -> None:
    if not cache_url.startswith("redis://"):
        return
    import redis

    redis.Redis.from_url(cache_url).flushdb()


def start_gunicorn(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--forwarded-allow-ips",
        "127.0.0.1",
        "--access-logfile",
        str(OUT / "gunicorn-access.log"),
        "--error-logfile",
        str(OUT / "gunicorn-error.log"),
        # Another gunicorn on this machine may use the default control socket.
        "--no-control-socket",
    ]
    if args.gunicorn_config:
        command += ["--config", str(args.gunicorn_config)]
    print("$", " ".join(command), flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - fixed command
    url = f"http://127.0.0.1:{args.port}"
    for _ in range(60):
        time.sleep(0.5)
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}): see {OUT}/gunicorn-error.log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    break
        except OSError:
            continue
    else:
        server.terminate()
        raise SystemExit("gunicorn did not answer /healthz within 30 s")
    # Each worker loads its URLs and templates on its first requests: not part of the figures.
    for _ in range(4 * args.workers):
        with urllib.request.urlopen(f"{url}/accounts/login/", timeout=10):  # noqa: S310
            pass
    return server


def _postgres_cpu_seconds() -> float:
    """CPU time of the PostgreSQL server (other databases' work included). A connection's
    backend lives for one request here (no persistent connections), so its time is counted
    once the postmaster has reaped it, in the postmaster's children's time."""
    total = 0.0
    for p in psutil.process_iter(["name", "cpu_times", "ppid"]):
        times = p.info["cpu_times"]
        if p.info["name"] not in ("postgres", "postmaster") or times is None:
            continue
        total += times.user + times.system
        try:
            is_postmaster = psutil.Process(p.info["ppid"]).name() not in ("postgres", "postmaster")
        except psutil.Error:
            is_postmaster = False
        if is_postmaster:
            total += times.children_user + times.children_system
    return total


def _busy(times: Any) -> float:
    """Machine-wide busy CPU seconds (all cores) in a ``psutil.cpu_times()``."""
    return float(times.user + times.nice + times.system + times.irq + times.softirq + times.steal)


def _cpu_seconds(process: psutil.Process) -> float:
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        try:
            times = p.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def run_locust(
    args: argparse.Namespace, users: int, server: subprocess.Popen[bytes]
) -> dict[str, Any]:
    prefix = OUT / f"u{users}"
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(args.spawn_rate),
        "--run-time",
        args.run_time,
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{args.port}",
        "--csv",
        str(prefix),
        "--only-summary",
    ]
    print("$", " ".join(command), flush=True)
    gunicorn = psutil.Process(server.pid)
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(5):
            samples.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample, daemon=True)
    load_before = os.getloadavg()
    cpu_gunicorn = _cpu_seconds(gunicorn)
    cpu_postgres = _postgres_cpu_seconds()
    machine = psutil.cpu_times()
    started = time.perf_counter()
    sampler.start()
    with open(f"{prefix}-locust.log", "wb") as log:
        locust = subprocess.Popen(  # noqa: S603 - fixed command
            command,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "LOADTEST_ACCOUNTS": str(args.accounts),
                "LOADTEST_REQUEST_LOG": f"{prefix}-requests.tsv",
            },
        )
        locust_process = psutil.Process(locust.pid)
        cpu_locust = 0.0
        while locust.poll() is None:
            with contextlib.suppress(psutil.Error):
                cpu_locust = _cpu_seconds(locust_process)
            time.sleep(1)
    elapsed = time.perf_counter() - started
    done.set()
    return {
        "users": users,
        "elapsed": elapsed,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "load_max": max(samples, default=os.getloadavg()[0]),
        "machine_busy": _busy(psutil.cpu_times()) - _busy(machine),
        "cpu_gunicorn": _cpu_seconds(gunicorn) - cpu_gunicorn,
        "cpu_locust": cpu_locust,
        "cpu_postgres": _postgres_cpu_seconds() - cpu_postgres,
        "rows": read_stats(Path(f"{prefix}_stats.csv")),
        "steady": steady_state(Path(f"{prefix}-requests.tsv"), args.steady_after),
        "failures": read_failures(Path(f"{prefix}_failures.csv")),
        "command": " ".join(command),
    }


def read_stats(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def steady_state(path: Path, after: float) -> list[dict[str, str]]:
    """The statistics of the requests started ``after`` seconds into the run (once every
    user has signed in), in the shape of locust's CSV rows."""
    if not path.is_file():
        return []
    rows = [line.split("\t") for line in path.read_text().splitlines() if line]
    if not rows:
        return []
    start = min(float(r[0]) for r in rows)
    end = max(float(r[0]) for r in rows)
    groups: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for started, kind, name, ms, failed in rows:
        if float(started) - start >= after:
            groups.setdefault((kind, name), []).append((float(ms), int(failed)))
    groups[("", "Aggregated")] = [item for key in list(groups) for item in groups[key]]
    seconds = max(1.0, end - start - after)
    stats = []
    for (kind, name), items in sorted(
        groups.items(), key=lambda g: (g[0][1] == "Aggregated", g[0][1], g[0][0])
    ):
        times = sorted(ms for ms, _ in items)
        row = {
            "Type": kind,
            "Name": name,
            "Request Count": str(len(items)),
            "Failure Count": str(sum(f for _, f in items)),
            "Requests/s": str(len(items) / seconds),
            "Max Response Time": str(times[-1] if times else 0),
        }
        for q in (50, 95, 99):
            # Nearest rank, rounded to two significant figures as locust does.
            value = times[max(0, math.ceil(q / 100 * len(times)) - 1)] if times else 0
            row[f"{q}%"] = str(int(float(f"{value:.2g}")) if value >= 100 else round(value))
        stats.append(row)
    return stats


def read_failures(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _pct(row: dict[str, str], key: str) -> str:
    value = row.get(key, "")
    return value if value not in ("", "N/A") else "–"


def table(result: dict[str, Any], key: str = "rows") -> list[str]:
    lines = [
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result[key]:
        count = int(row["Request Count"])
        failed = int(row["Failure Count"])
        name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        rate = f"{100 * failed / count:.1f} %" if count else "–"
        lines.append(
            f"| {name} | {count} | {float(row['Requests/s']):.1f} | {_pct(row, '50%')} | "
            f"{_pct(row, '95%')} | {_pct(row, '99%')} | {float(row['Max Response Time']):.0f} | "
            f"{failed} ({rate}) |"
        )
    return lines


def verdict(result: dict[str, Any], key: str = "rows") -> list[str]:
    """The target (p95 < 500 ms, no errors) per endpoint; sign-in steps are shown apart."""
    lines = []
    for row in result[key]:
        if row["Name"] == "Aggregated":
            continue
        label = f"{row['Type']} {row['Name']}"
        p95 = row.get("95%", "")
        missed = []
        if p95 not in ("", "N/A") and float(p95) >= TARGET_P95_MS:
            missed.append(f"p95 {p95} ms")
        if int(row["Failure Count"]):
            missed.append(f"{row['Failure Count']} errors")
        if missed:
            note = " (sign-in, once per session)" if row["Name"].startswith(SIGN_IN) else ""
            lines.append(f"MISSED {label}: {', '.join(missed)}{note}")
    return lines or ["MET on every endpoint: p95 < 500 ms and no errors"]


def report(args: argparse.Namespace, seeding: float | None, results: list[dict[str, Any]]) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    lines = [
        f"Machine: {psutil.cpu_count()} vCPU ({cpu}), {memory:.0f} GB RAM, "
        f"Python {platform.python_version()}; gunicorn {args.workers} sync workers, locust, "
        f"PostgreSQL and Redis on the same machine; DB_CONN_MAX_AGE={args.conn_max_age}."
        + (f" gunicorn config: {args.gunicorn_config}." if args.gunicorn_config else ""),
        f"Seeding: {seeding:.0f} s." if seeding is not None else "Seeding: reused (--reuse).",
        "",
    ]
    for result in results:
        before, after = result["load_before"], result["load_after"]
        capacity = result["elapsed"] * psutil.cpu_count()
        others = result["machine_busy"] - sum(
            result[k] for k in ("cpu_gunicorn", "cpu_postgres", "cpu_locust")
        )
        lines += [
            f"### {result['users']} users",
            "",
            f"    {result['command']}",
            "",
            f"Run {result['elapsed']:.0f} s; load average {before[0]:.2f} before, "
            f"{after[0]:.2f} after (1 min), highest 1-min sample {result['load_max']:.2f}; "
            f"CPU seconds used over the run (of {capacity:.0f} available on "
            f"{psutil.cpu_count()} cores): gunicorn {result['cpu_gunicorn']:.0f}, PostgreSQL "
            f"{result['cpu_postgres']:.0f}, locust {result['cpu_locust']:.0f}, everything else "
            f"on the machine {others:.0f}; machine {result['machine_busy']:.0f} busy.",
            "",
            "Whole run (ramp-up and every sign-in included):",
            "",
            *table(result),
            "",
            *verdict(result),
            "",
            f"Steady state (requests started {args.steady_after:.0f} s or more into the run):",
            "",
            *table(result, "steady"),
            "",
            *verdict(result, "steady"),
            "",
        ]
        if result["failures"]:
            lines += ["Errors:", ""]
            for failure in result["failures"]:
                lines.append(
                    f"- {failure['Method']} {failure['Name']}: {failure['Error']} "
                    f"(× {failure['Occurrences']})"
                )
            lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="Keep an earlier run's database.")
    parser.add_argument("--users", default="50,200", help="Comma-separated user counts.")
    parser.add_argument("--run-time", default="2m")
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--db", default="tawasul_load")
    parser.add_argument("--pg-server", default=PG_SERVER)
    parser.add_argument("--cache-url", default=CACHE_URL)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DB_CONN_MAX_AGE of the server (.env.example's production value; 0: a connection "
        "per request).",
    )
    parser.add_argument("--accounts", type=Path, default=OUT / "accounts.json")
    parser.add_argument(
        "--steady-after",
        type=float,
        default=30,
        help="Seconds into a run after which requests count as steady state.",
    )
    parser.add_argument("--drop", action="store_true", help="Drop the database at the end.")
    parser.add_argument(
        "--gunicorn-config", type=Path, help="A gunicorn config file (experiments only)."
    )
    args = parser.parse_args()
    if args.port == 8000:
        raise SystemExit("Port 8000 is kept for the developers' servers: choose another.")
    OUT.mkdir(parents=True, exist_ok=True)
    database_url = f"{args.pg_server.rstrip('/')}/{args.db}"
    seeding = None
    if args.reuse:
        if not args.accounts.is_file():
            raise SystemExit(f"--reuse: no accounts file at {args.accounts}; run without --reuse")
    else:
        seeding = seed(database_url, args.accounts, args.pg_server, args.db)
        print(f"seeded in {seeding:.0f} s", flush=True)
    empty_cache(args.cache_url)
    server = start_gunicorn(args, _server_env(database_url, args.cache_url, args.conn_max_age))
    results: list[dict[str, Any]] = []
    try:
        for users in [int(u) for u in args.users.split(",") if u.strip()]:
            if results:
                # Same accounts again: a TOTP code is refused twice in the same 30 s, and
                # the machine settles between loads.
                time.sleep(PAUSE_SECONDS)
            results.append(run_locust(args, users, server))
            print("\n".join(table(results[-1])), flush=True)
            print("\n".join(verdict(results[-1])), flush=True)
            print(f"steady state (after {args.steady_after:.0f} s):", flush=True)
            print("\n".join(table(results[-1], "steady")), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    text = report(args, seeding, results)
    (OUT / "results.md").write_text(text + "\n")
    print(f"\n{text}\nwritten to {OUT / 'results.md'}", flush=True)
    if args.drop:
        from pg_database import main as pg_database

        pg_database("drop", args.pg_server, args.db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
