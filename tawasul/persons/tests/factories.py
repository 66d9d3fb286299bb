"""Test data for the person index, built through the services so every invariant holds."""

from __future__ import annotations

import datetime

from tawasul.core.roles import Role
from tawasul.core.tests.factories import UserFactory
from tawasul.persons.models import Category, NameType, PersonRecord, VictimRecord
from tawasul.persons.services import (
    DocumentIn,
    NameIn,
    RecordData,
    VictimIn,
    person_record_create,
    victim_create,
)


def make_record(
    owner,
    name="Mohamed Abderrahmane Zahrani",
    *,
    aliases=(),
    category=Category.FTF,
    birth=(1988, 3, 14),
    nationalities=("MA",),
    sex="M",
    documents=(("passport", "AB1234567", "MA"),),
    share_more=False,
    **extra,
) -> PersonRecord:
    names = [NameIn(name, NameType.PRIMARY), *[NameIn(a, NameType.ALIAS) for a in aliases]]
    year, month, day = birth if birth else (None, None, None)
    return person_record_create(
        actor=owner,
        data=RecordData(
            category=category,
            names=names,
            legal_basis="Law 03-03 on terrorism, art. 7 (fictional)",
            birth_year=year,
            birth_month=month,
            birth_day=day,
            place_of_birth="Fictional Town",
            nationalities=list(nationalities),
            sex=sex,
            documents=[DocumentIn(*d) for d in documents],
            interpol_notice="A-1234/5-2020",
            restriction=extra.pop("restriction", ""),
            handling_code=extra.pop("handling_code", "H0"),
            share_more=share_more,
            **extra,
        ),
    )


def make_victim(owner, names=("Amina Fictive Demo",), **kwargs) -> VictimRecord:
    return victim_create(
        actor=owner,
        data=VictimIn(
            names=list(names),
            consent_date=kwargs.pop("consent_date", datetime.date(2026, 1, 5)),
            consent_scope=kwargs.pop("consent_scope", "Recording and referral to TN"),
            birth_year=kwargs.pop("birth_year", 1999),
            birth_month=kwargs.pop("birth_month", 7),
            birth_day=kwargs.pop("birth_day", None),
            nationalities=kwargs.pop("nationalities", ["NG"]),
            sex=kwargs.pop("sex", "F"),
        ),
    )


def person_user(country="MA", role=Role.FOCAL_POINT, **kwargs):
    return UserFactory(country=country, roles=[role], **kwargs)
