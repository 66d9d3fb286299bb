"""Benchmark of the person index: list screening and one-query search latency.

    TAWASUL_ENV=development .venv/bin/python scripts/bench_screening.py [--records N] [--rows M]
        [--queries Q] [--db var/bench_persons.sqlite3] [--reuse] [--processes P]

Seeds N fictional person records (default 100,000) in a fresh database of its own (SQLite
file, or --database-url for PostgreSQL), then
1. screens M rows (default 100,000: 1% spelling variants of seeded records, the rest other
   fictional names) through the real job path (upload parser, ``screening_worker``'s
   ``run_job``, in ``--processes`` processes), and prints the wall time and the load average
   (the machine may be shared);
2. runs Q single searches (default 200) through ``person_search`` (candidate retrieval from
   the stored name keys, scoring, audit and hit records) and prints p50 / p95.

Seeding writes the rows in bulk (same tables, same name keys as the services) rather than
through ``person_record_create``, whose per-record audit entry would dominate the set-up time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GIVEN = [
    ("Mohamed", "محمد"), ("Ahmed", "أحمد"), ("Youssef", "يوسف"), ("Karim", "كريم"),
    ("Rachid", "رشيد"), ("Samir", "سمير"), ("Nabil", "نبيل"), ("Hamza", "حمزة"),
    ("Omar", "عمر"), ("Ali", "علي"), ("Hassan", "حسن"), ("Hussein", "حسين"),
    ("Khaled", "خالد"), ("Said", "سعيد"), ("Mustapha", "مصطفى"), ("Abdelkader", "عبد القادر"),
    ("Noureddine", "نور الدين"), ("Bilal", "بلال"), ("Anis", "أنيس"), ("Walid", "وليد"),
    ("Tarek", "طارق"), ("Sofiane", "سفيان"), ("Amine", "أمين"), ("Mehdi", "مهدي"),
    ("Ilyes", "إلياس"), ("Zakaria", "زكرياء"), ("Ayoub", "أيوب"), ("Hicham", "هشام"),
    ("Jamal", "جمال"), ("Fouad", "فؤاد"), ("Fatima", "فاطمة"), ("Amina", "أمينة"),
    ("Khadija", "خديجة"), ("Salma", "سلمى"), ("Leila", "ليلى"), ("Nadia", "نادية"),
    ("Samira", "سميرة"), ("Meriem", "مريم"), ("Sara", "سارة"), ("Imane", "إيمان"),
]  # fmt: skip
FAMILY = [
    ("Benali", "بن علي"), ("Belkacem", "بلقاسم"), ("Haddad", "حداد"), ("Mansouri", "المنصوري"),
    ("Trabelsi", "الطرابلسي"), ("Gharbi", "الغربي"), ("Bouazizi", "البوعزيزي"),
    ("Chaabane", "شعبان"), ("Zahrani", "الزهراني"), ("Alaoui", "العلوي"),
    ("Idrissi", "الإدريسي"), ("Tazi", "التازي"), ("Bennani", "بناني"),
    ("Cherkaoui", "الشرقاوي"), ("Saidi", "السعيدي"), ("Hamdi", "حمدي"), ("Jebali", "الجبالي"),
    ("Mejri", "الماجري"), ("Khelifi", "خليفي"), ("Brahimi", "براهيمي"),
    ("Boudiaf", "بوضياف"), ("Mebarki", "مباركي"), ("Slimani", "سليماني"), ("Ziani", "زياني"),
    ("Amrani", "العمراني"), ("Fassi", "الفاسي"), ("Lahlou", "لحلو"), ("Naciri", "الناصري"),
    ("Berrada", "برادة"), ("Kettani", "الكتاني"),
]  # fmt: skip
# Syllables of invented family names: the long tail a real population has.
SYL_A = ["Bel", "Ben", "Bou", "Tal", "Mar", "Kad", "Sel", "Dar", "Nef", "Zer", "Gou", "Lam"]
SYL_B = ["ra", "ka", "mi", "lou", "za", "ti", "na", "ha", "sou", "di", "fa", "ji", "ba"]
SYL_C = ["ni", "ri", "oui", "di", "ssi", "li", "mane", "zi", "ne", "chi", "bi", "ki"]
# The manifest's other people come from a distinct pool, so chance hits stay rare.
SYL_X = ["Van", "Kor", "Pel", "Dum", "Rov", "Sta", "Gre", "Vol", "Tro", "Mik", "Hol", "Bre"]
SYL_Y = ["ens", "ovic", "ard", "etti", "sson", "ier", "enko", "ani", "ert", "owski", "ez"]


def _family(rng: random.Random, pool: str = "record") -> tuple[str, str]:
    if pool == "record":
        if rng.random() < 0.4:
            return rng.choice(FAMILY)
        return (rng.choice(SYL_A) + rng.choice(SYL_B) + rng.choice(SYL_C), "")
    return (rng.choice(SYL_X) + rng.choice(SYL_Y) + rng.choice(SYL_B), "")


def _person(rng: random.Random, pool: str = "record") -> tuple[str, str]:
    (g, g_ar), (f, f_ar) = rng.choice(GIVEN), rng.choice(GIVEN)
    fam, fam_ar = _family(rng, pool)
    latin = f"{g} {f} {fam}"
    arabic = f"{g_ar} {f_ar} {fam_ar}" if fam_ar else ""
    return latin, arabic


def _variant(rng: random.Random, latin: str, arabic: str) -> str:
    """The same person as a manifest might spell them."""
    if arabic and rng.random() < 0.5:
        return arabic
    swaps = [("ou", "u"), ("Mohamed", "Muhammad"), ("ss", "s"), ("ch", "sh"), ("e", "a")]
    old, new = rng.choice(swaps)
    return latin.replace(old, new, 1) if old in latin else latin.upper()


def setup_django(db_url: str) -> None:
    os.environ.setdefault("TAWASUL_ENV", "development")
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("EMAIL_URL", "dummymail://")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(
    n: int, rng: random.Random, *, write: bool = True
) -> tuple[object, object, list[tuple[str, str, str]]]:
    """Seed ``n`` records; with ``write=False`` only replay the same random draws (to reuse a
    database seeded before with the same ``n``)."""
    from django.db import transaction

    from tawasul.accounts.models import User
    from tawasul.core.roles import Role
    from tawasul.core.tests.factories import UserFactory
    from tawasul.persons import matching
    from tawasul.persons.models import (
        IdentityDocument,
        NameType,
        PersonName,
        PersonNameKey,
        PersonRecord,
    )

    if write:
        # factory_boy returns the model instance; its stubs only know the factory type.
        owner = cast(User, UserFactory(username="bench.ma", country="MA", roles=[Role.FOCAL_POINT]))
        searcher = cast(
            User, UserFactory(username="bench.tn", country="TN", roles=[Role.FOCAL_POINT])
        )
    else:
        owner = User.objects.get(username="bench.ma")
        searcher = User.objects.get(username="bench.tn")
    people: list[tuple[str, str, str]] = []
    batch = 5000
    for start in range(0, n, batch):
        with transaction.atomic():
            records = []
            for i in range(start, min(n, start + batch)):
                latin, arabic = _person(rng)
                doc = f"BM{i:08d}"
                people.append((latin, arabic, doc))
                records.append(
                    PersonRecord(
                        reference=f"MA-P-B{i:07d}",
                        country="MA",
                        category="suspect",
                        sex=rng.choice("FM"),
                        birth_year=rng.randint(1950, 2005),
                        birth_month=rng.randint(1, 12),
                        nationalities=["MA"],
                        legal_basis="Benchmark (fictional)",
                        originator=owner,
                    )
                )
            if not write:
                continue
            records = PersonRecord.objects.bulk_create(records)
            names, docs = [], []
            for record, (latin, arabic, doc) in zip(records, people[start:], strict=False):
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
                docs.append(
                    IdentityDocument(
                        record=record,
                        doc_type="passport",
                        number=doc,
                        number_norm=doc,
                        issuing_country="MA",
                    )
                )
            names = PersonName.objects.bulk_create(names)
            IdentityDocument.objects.bulk_create(docs)
            PersonNameKey.objects.bulk_create(
                [
                    PersonNameKey(key=k, name=nm, record_id=nm.record_id)
                    for nm in names
                    for k in matching.name_keys(nm.full_name)
                ],
                batch_size=5000,
            )
        if write:
            print(f"  seeded {min(n, start + batch)} records", flush=True)
    return owner, searcher, people


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--db", default=str(ROOT / "var" / "bench_persons.sqlite3"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--skip-screening", action="store_true", help="Measure search only.")
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="Processes for the screening job (default: PERSONS_SCREENING_PROCESSES or the CPUs).",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="Reuse a database seeded by an earlier run."
    )
    args = parser.parse_args()
    db_url = args.database_url
    if not db_url:
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(args.db + suffix).unlink(missing_ok=True)
        db_url = f"sqlite:///{args.db}"
    setup_django(db_url)
    rng = random.Random(20261122)  # noqa: S311 - reproducible fictional data, not secrets

    t0 = time.perf_counter()
    _owner, searcher, people = seed(args.records, rng, write=not args.reuse)
    print(f"seed: {args.records} records in {time.perf_counter() - t0:.1f} s", flush=True)

    # --- screening -------------------------------------------------------------------
    import csv
    import io

    from tawasul.persons.screening import parse_upload, run_job
    from tawasul.persons.services import (
        screening_job_claim,
        screening_job_create,
        screening_job_queue,
    )

    if args.skip_screening:
        return _search_latency(args, rng, searcher, people)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["passenger", "birth", "passport"])
    planted = 0
    for _ in range(args.rows):
        if rng.random() < 0.01:
            latin, arabic, _doc = rng.choice(people)
            writer.writerow([_variant(rng, latin, arabic), "", ""])
            planted += 1
        else:
            writer.writerow([_person(rng, pool="other")[0], str(rng.randint(1950, 2005)), ""])
    data = out.getvalue().encode()
    from django.conf import settings

    from tawasul.persons.screening import processes

    if args.processes is not None:
        settings.PERSONS_SCREENING_PROCESSES = args.processes
    print(f"screening with {processes()} process(es); {_load()}", flush=True)
    t1 = time.perf_counter()
    parsed = parse_upload(io.BytesIO(data), len(data))
    job = screening_job_create(
        actor=searcher,
        filename="bench.csv",
        header=parsed.header,
        text=parsed.text,
        delimiter=parsed.delimiter,
        rows=parsed.rows,
    )
    screening_job_queue(
        actor=searcher, job=job, mapping={"name": 0, "date_of_birth": 1, "document": 2}
    )
    t2 = time.perf_counter()
    claimed = screening_job_claim()
    if claimed is None:
        print("no job claimed", file=sys.stderr)
        return 1
    done = run_job(claimed)
    t3 = time.perf_counter()
    print(
        f"screening: {args.rows} rows against {args.records} records: "
        f"validate+queue {t2 - t1:.1f} s, run {t3 - t2:.1f} s, total {t3 - t1:.1f} s; "
        f"{done.match_count} hits ({planted} planted variants); {_load()}",
        flush=True,
    )

    return _search_latency(args, rng, searcher, people)


def _search_latency(
    args: argparse.Namespace,
    rng: random.Random,
    searcher: object,
    people: list[tuple[str, str, str]],
) -> int:
    """One-query search latency: through the service, then the matching alone."""
    from django.conf import settings

    from tawasul.persons.matching import Query
    from tawasul.persons.services import person_search

    settings.PERSONS_SEARCH_RATE_PER_MINUTE = 10**9
    timings = []
    found = 0
    for i in range(args.queries):
        latin, arabic, _doc = rng.choice(people)
        name = arabic if (arabic and i % 2) else latin
        t = time.perf_counter()
        results = person_search(actor=searcher, query=Query(name=name))
        timings.append((time.perf_counter() - t) * 1000)
        found += bool(results)
    _report("search (service: retrieval, scoring, audit, hits, notifications)", timings, args)
    print(f"  {found} of {args.queries} queries found at least one record", flush=True)

    # The matching alone (candidate retrieval from the name keys + scoring), no writes.
    from tawasul.persons.matching import search_records
    from tawasul.persons.models import PersonRecord

    searchable = PersonRecord.objects.searchable_by(searcher)
    timings = []
    for i in range(args.queries):
        latin, arabic, _doc = rng.choice(people)
        name = arabic if (arabic and i % 2) else latin
        t = time.perf_counter()
        search_records(Query(name=name), searchable)
        timings.append((time.perf_counter() - t) * 1000)
    _report("search (matching only)", timings, args)
    return 0


def _load() -> str:
    """The machine's load average (the benchmark machine is shared)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _report(label: str, timings: list[float], args: argparse.Namespace) -> None:
    timings = sorted(timings)
    p50 = statistics.median(timings)
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"{label}: {args.queries} queries against {args.records} records: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
