"""Seed a scratch PostgreSQL database for the load test (fictional data only).

    .venv/bin/python loadtest/seed.py --database-url postgres://postgres@127.0.0.1:5432/tawasul_load \
        --accounts var/loadtest/accounts.json [--requests N] [--persons N] [--messages N] [--users N]

What it writes, in an empty, migrated database:
- the country profiles (``profiles_load``), 18 countries' agencies and 100,000 cooperation
  requests: ``scripts/bench_requests.py``'s seeding, reused as is (unequal activity per
  country, every status, three years);
- 300 load users across the 18 countries in proportion to their activity: focal points (60 %),
  central authorities (25 %) and border officers (15 %), each with a directory entry, a
  confirmed TOTP device whose key the load test knows (they sign in with their second factor,
  as in production), an API token, and one Argon2 password hash computed once and shared (the
  hash is the real one: signing in costs what it costs in production; computing 300 of them
  would only slow the seeding);
- 100,000 person records spread over the countries, with their names (Latin, and Arabic for a
  good part) and stored name keys, as ``scripts/bench_screening.py`` writes them;
- 1,000,000 messages in threads of 10 to 200 messages (log-uniform), between participants of
  2 to 5 countries, spread over three years; threads idle for a year are archived (as
  ``messaging_archive`` would), most threads are read up to their end, a third of the recent
  ones are not. Messages are written with PostgreSQL's COPY, with explicit ids.

Then ANALYZE, and the accounts file the locustfile reads: per user its password, TOTP key,
API token, a sample of the requests and threads it can open, and names to search.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import math
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SEED = 20261123
LOAD_PASSWORD = "load test passphrase 2026"  # noqa: S105 - fictional users of a scratch database
YEARS = 3
SUBJECTS = [
    "Joint investigation — financing network",
    "Foreign terrorist fighter returning via the southern route",
    "Smuggling ring: boat departures",
    "Trafficking in persons — recruitment agency",
    "E-evidence: subscriber data request follow-up",
    "Extradition file — hearing dates",
    "Passport fraud series",
    "Hawala transfers linked to the cell",
    "Witness protection coordination",
    "Border alert follow-up",
]
SENTENCES = [
    "Please find below the update agreed during yesterday's call.",
    "Our unit confirmed the identity of the second suspect this morning.",
    "The prosecutor asks whether the bank records can be shared before the hearing.",
    "We have received the transfer details and are checking them against our files.",
    "Could you confirm the date of entry recorded at the border post?",
    "The phone number appears in two other investigations on our side.",
    "A formal request will follow through the central authority.",
    "The suspect was seen at the port on the date you mentioned.",
    "We can arrange a secure video call with the investigating judge next week.",
    "Thank you, this is received and forwarded to the case officer.",
    "The vehicle was registered under a false name; the owner is unknown to us.",
    "Please treat the attached summary as restricted to the investigation team.",
    "Our records show no criminal history for this person.",
    "The money transfers stopped after the arrests in March.",
    "The liaison officer will bring the original documents to the meeting.",
]
RESTRICTIONS = [
    "Not to be shared with third countries.",
    "Investigation team only until the arrests.",
    "No use in public court documents.",
]


@dataclass
class LoadUser:
    user: Any
    role: str
    token: str = ""


def setup_django(database_url: str) -> None:
    """Django on the scratch database, migrated (development settings: Argon2 passwords)."""
    os.environ.setdefault("TAWASUL_ENV", "development")
    os.environ["EMAIL_URL"] = "dummymail://"
    from bench_requests import setup_django as bench_setup

    bench_setup(database_url)


def _weighted_counts(total: int, weights: dict[str, int], minimum: int) -> dict[str, int]:
    counts = {c: max(minimum, round(total * w / sum(weights.values()))) for c, w in weights.items()}
    # Fix the rounding on the busiest country so the total is exact.
    busiest = max(weights, key=weights.__getitem__)
    counts[busiest] += total - sum(counts.values())
    return counts


def seed_users(total: int, rng: random.Random) -> list[LoadUser]:
    """Load users with a directory entry, a TOTP device and an API token each."""
    from bench_requests import COUNTRIES
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tawasul.accounts.models import User, UserRole
    from tawasul.accounts.services import api_token_create
    from tawasul.core.roles import Role
    from tawasul.directory.models import Agency, AgencyKind, FocalPoint, codes_to_field

    password = make_password(LOAD_PASSWORD)
    agencies = {(a.country, a.kind): a for a in Agency.objects.all()}
    users: list[User] = []
    roles: dict[str, Role] = {}
    today = timezone.localdate()
    with transaction.atomic():
        for code, count in _weighted_counts(total, COUNTRIES, 6).items():
            border = Agency.objects.create(
                country=code, kind=AgencyKind.BORDER_POLICE, name_en=f"Border police {code}"
            )
            for i in range(count):
                share = i / count
                role = (
                    Role.FOCAL_POINT
                    if share < 0.6
                    else Role.CENTRAL_AUTHORITY
                    if share < 0.85
                    else Role.BORDER_OFFICER
                )
                agency = {
                    Role.FOCAL_POINT: agencies[(code, AgencyKind.PROSECUTION)],
                    Role.CENTRAL_AUTHORITY: agencies[(code, AgencyKind.CENTRAL_AUTHORITY_MLA)],
                    Role.BORDER_OFFICER: border,
                }[role]
                username = f"load.{code.lower()}.{i:03d}"
                roles[username] = role
                users.append(
                    User(
                        username=username,
                        email=f"{username}@example.invalid",
                        full_name=f"Load {code} {i:03d}",
                        country=code,
                        agency=agency,
                        language=rng.choice(["ar", "fr", "en"]),
                        password=password,
                    )
                )
        users = User.objects.bulk_create(users)
        UserRole.objects.bulk_create([UserRole(user=u, role=roles[u.username]) for u in users])
        TOTPDevice.objects.bulk_create(
            [
                TOTPDevice(user=u, name="load test", key=totp_key(u.username), confirmed=True)
                for u in users
            ]
        )
        FocalPoint.objects.bulk_create(
            [
                FocalPoint(
                    user=u,
                    agency=u.agency,
                    position={
                        Role.FOCAL_POINT: "Deputy prosecutor, counter-terrorism division",
                        Role.CENTRAL_AUTHORITY: "Mutual legal assistance officer",
                        Role.BORDER_OFFICER: "Border control — duty officer",
                    }[roles[u.username]],
                    competences=codes_to_field(rng.sample(["terrorism", "ftf", "tip", "som"], 2)),
                    languages=codes_to_field(["ar", rng.choice(["fr", "en"])]),
                    phone=f"+000 555 {u.pk:05d}",
                    email=f"{u.username}@secure.example.invalid",
                    reachable_24_7=rng.random() < 0.3,
                    last_verified=today - datetime.timedelta(days=rng.randint(0, 300)),
                )
                for u in users
            ]
        )
    return [
        LoadUser(u, roles[u.username], api_token_create(actor=u, name="load test", days=30)[1])
        for u in users
    ]


def totp_key(username: str) -> str:
    """The user's TOTP key (hex, 20 bytes): derived from the name so a reused database and the
    accounts file always agree."""
    return hashlib.sha1(f"{SEED}:{username}".encode()).hexdigest()  # noqa: S324 - not a password


def seed_persons(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """``n`` person records with names, a passport and their name keys; returns (latin,
    arabic) of every record."""
    from bench_requests import COUNTRIES
    from bench_screening import _person
    from django.db import transaction

    from tawasul.accounts.models import User
    from tawasul.persons import matching
    from tawasul.persons.models import (
        IdentityDocument,
        NameType,
        PersonName,
        PersonNameKey,
        PersonRecord,
    )

    originators = {u.country: u for u in User.objects.filter(username__startswith="fp.")}
    codes, weights = list(COUNTRIES), list(COUNTRIES.values())
    categories = ["suspect"] * 5 + ["ftf"] * 2 + ["kst", "wanted", "wanted", "missing"]
    people: list[tuple[str, str]] = []
    batch = 10_000
    for start in range(0, n, batch):
        chunk = [
            (_person(rng), rng.choices(codes, weights)[0]) for _ in range(min(batch, n - start))
        ]
        with transaction.atomic():
            records = PersonRecord.objects.bulk_create(
                [
                    PersonRecord(
                        reference=f"{code}-P-L{start + i:07d}",
                        country=code,
                        category=rng.choice(categories),
                        sex=rng.choice("FM"),
                        birth_year=rng.randint(1950, 2006),
                        birth_month=rng.randint(1, 12),
                        nationalities=[code],
                        legal_basis="Load test (fictional)",
                        originator=originators[code],
                    )
                    for i, (_names, code) in enumerate(chunk)
                ]
            )
            names: list[PersonName] = []
            for record, ((latin, arabic), _code) in zip(records, chunk, strict=True):
                people.append((latin, arabic))
                names.append(
                    PersonName(
                        record=record, full_name=latin, name_type=NameType.PRIMARY, script="latin"
                    )
                )
                if arabic:
                    names.append(
                        PersonName(
                            record=record,
                            full_name=arabic,
                            name_type=NameType.ALIAS,
                            script="arabic",
                        )
                    )
            names = PersonName.objects.bulk_create(names)
            IdentityDocument.objects.bulk_create(
                [
                    IdentityDocument(
                        record=r,
                        doc_type="passport",
                        number=f"L{r.pk:08d}",
                        number_norm=f"L{r.pk:08d}",
                        issuing_country=r.country,
                    )
                    for r in records
                ]
            )
            copy_rows(
                PersonNameKey,
                ["key", "name_id", "record_id"],
                (
                    (key, name.pk, name.record_id)
                    for name in names
                    for key in matching.name_keys(name.full_name)
                ),
            )
        print(f"  seeded {start + len(chunk)} person records", flush=True)
    return people


def copy_rows(model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY ``rows`` into ``model``'s table; ``columns`` must be every column but an ``id``
    left to the database (a new field on the model fails here, not silently)."""
    from django.db import connection
    from psycopg import sql

    table = model._meta.db_table
    expected = {f.column for f in model._meta.concrete_fields}
    missing = expected - set(columns) - {"id"}
    if missing or not set(columns) <= expected:
        raise SystemExit(f"{table}: columns {sorted(columns)} do not match {sorted(expected)}")
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _reset_sequence(model: Any) -> None:
    from django.db import connection
    from psycopg import sql

    table = model._meta.db_table
    statement = sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {}))")
    with connection.cursor() as cursor:
        cursor.execute(statement.format(sql.Identifier(table)), [table])


def seed_messages(total: int, load_users: list[LoadUser], rng: random.Random) -> None:
    """``total`` messages in threads of 10–200 messages between 2–5 countries."""
    from bench_requests import COUNTRIES
    from django.db import transaction
    from django.utils import timezone

    from tawasul.core.handling import most_restrictive
    from tawasul.messaging.models import Message, Participant, Thread

    by_country: dict[str, list[Any]] = {}
    for lu in load_users:
        by_country.setdefault(str(lu.user.country), []).append(lu.user)
    codes, weights = list(COUNTRIES), list(COUNTRIES.values())
    bodies = [" ".join(rng.sample(SENTENCES, rng.choice([1, 1, 2, 2, 3, 4]))) for _ in range(3000)]
    now = timezone.now()
    start = now - datetime.timedelta(days=365 * YEARS)
    archive_after = datetime.timedelta(days=365)

    # Plan the threads first (sizes, countries, people, times), oldest first, so message ids
    # grow with time as they do in production.
    plans = []
    remaining = total
    while remaining > 0:
        size = min(remaining, int(math.exp(rng.uniform(math.log(10), math.log(200)))))
        if remaining - size < 10:
            size = remaining
        remaining -= size
        countries = [rng.choices(codes, weights)[0]]
        wanted = rng.choice([2, 2, 2, 3, 3, 4, 5])
        while len(countries) < wanted:
            code = rng.choices(codes, weights)[0]
            if code not in countries:
                countries.append(code)
        people = [rng.choice(by_country[c]) for c in countries]
        opened = start + datetime.timedelta(seconds=rng.uniform(0, 365 * YEARS * 86400))
        plans.append((opened, size, people))
    plans.sort(key=lambda p: p[0])

    thread_rows: list[Thread] = []
    participant_rows: list[Participant] = []
    message_id = 0

    def messages() -> Iterable[tuple[Any, ...]]:
        nonlocal message_id
        for thread_id, (opened, size, people) in enumerate(plans, start=1):
            # Bursts of replies: gaps from minutes to days, the thread's pace its own.
            pace = rng.uniform(0.05, 2.0)
            moment = opened
            codes_seen = []
            first_id = message_id + 1
            times = []
            for _ in range(size):
                message_id += 1
                sender = rng.choice(people)
                code = rng.choices(["H0", "H1", "H2", "H3"], [70, 10, 15, 5])[0]
                codes_seen.append(code)
                moment = min(now, moment + datetime.timedelta(days=rng.expovariate(1 / pace)))
                times.append(moment)
                yield (
                    message_id,
                    code,
                    rng.choice(RESTRICTIONS) if code == "H3" else "",
                    rng.choice("ABCX"),
                    rng.choice("1234"),
                    thread_id,
                    sender.pk,
                    str(sender.country),
                    rng.choice(bodies),
                    None,
                    moment,
                )
            last = times[-1]
            archived = last + archive_after if now - last > archive_after else None
            opener = people[0]
            thread_rows.append(
                Thread(
                    id=thread_id,
                    subject=rng.choice(SUBJECTS),
                    country=str(opener.country),
                    created_by=opener,
                    created_at=opened,
                    last_message_at=last,
                    handling_code=most_restrictive(codes_seen),
                    archived_at=archived,
                )
            )
            for person in people:
                read_up_to = message_id
                if archived is None and rng.random() < 0.33:
                    read_up_to = rng.randint(first_id - 1, message_id - 1)
                participant_rows.append(
                    Participant(
                        thread_id=thread_id,
                        user=person,
                        country=str(person.country),
                        added_by=None if person is opener else opener,
                        added_at=opened,
                        last_delivered_message_id=message_id,
                        last_read_message_id=read_up_to,
                        last_read_at=times[read_up_to - first_id]
                        if read_up_to >= first_id
                        else None,
                    )
                )

    # The threads' last message time is only known once their messages are drawn, so the
    # messages go first: Django's foreign keys are checked at commit (DEFERRABLE INITIALLY
    # DEFERRED), when the threads are there.
    with transaction.atomic():
        written = copy_rows(
            Message,
            [
                "id",
                "handling_code",
                "restriction",
                "source_reliability",
                "information_accuracy",
                "thread_id",
                "sender_id",
                "sender_country",
                "body",
                "origin_id",
                "created_at",
            ],
            messages(),
        )
        Thread.objects.bulk_create(thread_rows, batch_size=5000)
        Participant.objects.bulk_create(participant_rows, batch_size=5000)
    for model in (Thread, Message):
        _reset_sequence(model)
    print(
        f"  seeded {written} messages in {len(thread_rows)} threads "
        f"({len(participant_rows)} participations)",
        flush=True,
    )


def accounts_file(
    load_users: list[LoadUser], people: list[tuple[str, str]], rng: random.Random
) -> dict[str, Any]:
    """What the locustfile needs: credentials, the objects each user opens, names to search."""
    from bench_screening import _person, _variant

    from tawasul.cooperation.models import CooperationRequest
    from tawasul.core.roles import Role
    from tawasul.messaging.models import Participant

    # The same visibility for every user of a country, role and agency: one query each.
    visible: dict[tuple[str, str, int], list[int]] = {}
    threads: dict[int, list[int]] = {}
    for thread_id, user_id in (
        Participant.objects.filter(left_at__isnull=True, thread__archived_at__isnull=True)
        .order_by("-thread__last_message_at")
        .values_list("thread_id", "user_id")
    ):
        threads.setdefault(user_id, []).append(thread_id)
    accounts = []
    for lu in load_users:
        u = lu.user
        group = "border" if lu.role == Role.BORDER_OFFICER else "case"
        request_ids: list[int] = []
        if group == "case":
            key = (str(u.country), lu.role, u.agency_id)
            if key not in visible:
                visible[key] = list(
                    CooperationRequest.objects.visible_to(u)
                    .order_by("-updated_at")
                    .values_list("pk", flat=True)[:300]
                )
            request_ids = visible[key]
        accounts.append(
            {
                "username": u.username,
                "country": str(u.country),
                "role": lu.role,
                "group": group,
                "totp_key": totp_key(u.username),
                "token": lu.token,
                # Recent requests are opened far more often than old ones.
                "request_ids": request_ids[:100]
                + rng.sample(request_ids, min(20, len(request_ids))),
                "thread_ids": threads.get(u.pk, [])[:40],
            }
        )
    # Integration clients (the API) use a slice of the case workers' accounts, so no account
    # signs in twice.
    case = [a for a in accounts if a["group"] == "case"]
    for account in rng.sample(case, len(case) // 7):
        account["group"] = "api"
    rng.shuffle(accounts)
    names = []
    for _ in range(3000):
        if rng.random() < 0.6:
            latin, arabic = rng.choice(people)
            names.append(_variant(rng, latin, arabic) if rng.random() < 0.3 else latin)
        else:
            names.append(_person(rng, pool="other")[0])
    return {"password": LOAD_PASSWORD, "accounts": accounts, "names": names}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--accounts", required=True, help="where to write the accounts file")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=300)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("PostgreSQL only: COPY writes the messages.")
    started = time.perf_counter()
    setup_django(args.database_url)
    import bench_requests
    from django.core.management import call_command
    from django.db import connection

    rng = random.Random(SEED)  # noqa: S311 - reproducible fictional data, not secrets
    phases: list[tuple[str, float]] = []

    def phase(label: str, since: float) -> float:
        now = time.perf_counter()
        phases.append((label, now - since))
        print(f"[seed] {label}: {now - since:.1f} s", flush=True)
        return now

    t = phase("migrate", started)
    call_command("profiles_load", stdout=io.StringIO())
    bench_requests.seed(args.requests)
    t = phase(f"{args.requests} cooperation requests (bench_requests.seed)", t)
    load_users = seed_users(args.users, rng)
    t = phase(f"{len(load_users)} load users, TOTP devices, directory entries, API tokens", t)
    people = seed_persons(args.persons, rng)
    t = phase(f"{args.persons} person records with names and name keys", t)
    seed_messages(args.messages, load_users, rng)
    t = phase(f"{args.messages} messages", t)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    t = phase("ANALYZE", t)
    data = accounts_file(load_users, people, rng)
    path = Path(args.accounts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    phase("accounts file", t)
    print(f"[seed] total {time.perf_counter() - started:.0f} s; accounts in {path}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
