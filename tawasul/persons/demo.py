"""Demonstration person records for Morocco, Tunisia and Algeria (demo mode only;
idempotent). Every person is invented: each name carries "Demo" / "ديمو", and document
numbers start with DEMO. No victim records are seeded."""

from __future__ import annotations

from tawasul.accounts.models import User
from tawasul.persons.matching import Query
from tawasul.persons.models import Category, NameType, PersonRecord
from tawasul.persons.services import (
    DocumentIn,
    NameIn,
    RecordData,
    person_record_create,
    person_search,
)

LEGAL_BASIS = "Demonstration record — fictional legal basis (demo)"

# (owner, category, [(name, type)], (year, month, day), nationalities, sex, document, share_more)
PEOPLE = [
    (
        "ma.police",
        Category.FTF,
        [
            ("Youssef Amrani Demo", NameType.PRIMARY),
            ("يوسف العمراني ديمو", NameType.ALIAS),
            ("Abu Hafs Demo", NameType.KUNYA),
        ],
        (1989, 4, None),
        ["MA"],
        "M",
        ("passport", "DEMO-MA-0001", "MA"),
        False,
    ),
    (
        "ma.police",
        Category.MISSING,
        [("Salma Bennani Demo", NameType.PRIMARY), ("سلمى بناني ديمو", NameType.ALIAS)],
        (2004, None, None),
        ["MA"],
        "F",
        None,
        True,
    ),
    (
        "tn.police",
        Category.KST,
        [
            ("Hichem Trabelsi Demo", NameType.PRIMARY),
            ("هشام الطرابلسي ديمو", NameType.ALIAS),
            ("Hichem Trabelssi Demo", NameType.PREVIOUS),
        ],
        (1985, 11, 2),
        ["TN"],
        "M",
        ("national_id", "DEMO-TN-0042", "TN"),
        False,
    ),
    (
        "tn.police",
        Category.WANTED,
        [("Leila Gharbi Demo", NameType.PRIMARY), ("ليلى الغربي ديمو", NameType.ALIAS)],
        (1992, 6, None),
        ["TN", "FR"],
        "F",
        None,
        False,
    ),
    (
        "dz.police",
        Category.SUSPECT,
        [
            ("Djamel Brahimi Demo", NameType.PRIMARY),
            ("جمال براهيمي ديمو", NameType.ALIAS),
            ("Abou Djamel Demo", NameType.KUNYA),
        ],
        (1979, None, None),
        ["DZ"],
        "M",
        ("passport", "DEMO-DZ-7788", "DZ"),
        True,
    ),
]


def seed() -> int:
    usernames = {p[0] for p in PEOPLE} | {"tn.police"}
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    if len(users) < len(usernames) or PersonRecord.objects.filter(legal_basis=LEGAL_BASIS).exists():
        return 0
    created = 0
    for owner, category, names, birth, nationalities, sex, document, share_more in PEOPLE:
        person_record_create(
            actor=users[owner],
            data=RecordData(
                category=category,
                names=[NameIn(n, t) for n, t in names],
                legal_basis=LEGAL_BASIS,
                birth_year=birth[0],
                birth_month=birth[1],
                birth_day=birth[2],
                nationalities=nationalities,
                sex=sex,
                documents=[DocumentIn(*document)] if document else [],
                share_more=share_more,
            ),
        )
        created += 1
    # One cross-border search, so the Moroccan focal point has a possible hit to review.
    person_search(actor=users["tn.police"], query=Query(name="يوسف العمراني", birth_year=1989))
    return created
