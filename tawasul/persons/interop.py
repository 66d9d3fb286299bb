"""Interoperability: the own country's person records as FollowTheMoney ``Person`` entities
(JSON lines, the format of OpenSanctions and ``ftm`` tooling) and as CSV; import of FtM
``Person`` entities as new records of the importer's country.

Only the owning country exports its records (they are read through ``visible_to``). The
handling code travels in the entity's ``notes`` so restrictions follow the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from tawasul.core.errors import ServiceError
from tawasul.persons.models import DocumentType, NameType, PersonRecord, Sex
from tawasul.persons.screening import export_rows, parse_partial_date
from tawasul.persons.services import DocumentIn, NameIn

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ENTITIES = 5000
_TOPICS = {
    "suspect": ["crime"],
    "ftf": ["crime.terror"],
    "kst": ["crime.terror"],
    "wanted": ["wanted"],
    "missing": [],
}
_GENDER = {Sex.FEMALE: "female", Sex.MALE: "male"}


def to_ftm(record: PersonRecord) -> dict[str, Any]:
    names = list(record.names.all())
    documents = list(record.documents.all())
    props: dict[str, list[str]] = {
        "name": [n.full_name for n in names if n.name_type == NameType.PRIMARY],
        "alias": [n.full_name for n in names if n.name_type == NameType.ALIAS],
        "weakAlias": [n.full_name for n in names if n.name_type == NameType.KUNYA],
        "previousName": [n.full_name for n in names if n.name_type == NameType.PREVIOUS],
        "birthDate": [record.birth_date_display] if record.birth_year else [],
        "birthPlace": [record.place_of_birth] if record.place_of_birth else [],
        "nationality": [c.lower() for c in record.nationalities or []],
        "gender": [_GENDER[Sex(record.sex)]] if record.sex in _GENDER else [],
        "passportNumber": [d.number for d in documents if d.doc_type == DocumentType.PASSPORT],
        "idNumber": [d.number for d in documents if d.doc_type != DocumentType.PASSPORT],
        "topics": _TOPICS.get(record.category, []),
        "notes": [
            f"Tawasul {record.reference}; category {record.category}; handling code "
            f"{record.handling_code}"
            + (f" ({record.restriction})" if record.restriction else "")
            + (f"; INTERPOL notice {record.interpol_notice}" if record.interpol_notice else "")
        ],
        "country": [record.country.lower()],
    }
    return {
        "id": f"tawasul-{record.reference.lower()}",
        "schema": "Person",
        "properties": {k: v for k, v in props.items() if v},
    }


def export_ftm(records: Iterable[PersonRecord]) -> str:
    return "".join(json.dumps(to_ftm(r), ensure_ascii=False) + "\n" for r in records)


def export_csv(records: Iterable[PersonRecord]) -> str:
    rows: list[list[object]] = [
        [
            "reference",
            "category",
            "primary_name",
            "aliases",
            "date_of_birth",
            "place_of_birth",
            "nationalities",
            "sex",
            "documents",
            "interpol_notice",
            "handling_code",
            "review_date",
        ]
    ]
    for r in records:
        names = list(r.names.all())
        rows.append(
            [
                r.reference,
                r.category,
                next((n.full_name for n in names if n.name_type == NameType.PRIMARY), ""),
                " | ".join(n.full_name for n in names if n.name_type != NameType.PRIMARY),
                r.birth_date_display,
                r.place_of_birth,
                " ".join(r.nationalities or []),
                r.sex,
                " | ".join(
                    f"{d.doc_type}:{d.number}:{d.issuing_country}" for d in r.documents.all()
                ),
                r.interpol_notice,
                r.handling_code,
                r.review_date.isoformat(),
            ]
        )
    return export_rows(rows)


@dataclass
class ImportedPerson:
    names: list[NameIn]
    birth: tuple[int | None, int | None, int | None]
    place_of_birth: str
    nationalities: list[str]
    sex: str
    documents: list[DocumentIn]


def _strings(props: dict[str, Any], key: str, n: int) -> list[str]:
    value = props.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ServiceError(
            _("Entity %(n)s: property “%(key)s” must be a list of strings.") % {"n": n, "key": key},
            field="file",
        )
    return [" ".join(v.split()) for v in value if v.strip()]


def parse_ftm(data: bytes) -> list[ImportedPerson]:
    """FtM ``Person`` entities (JSON lines or one JSON array); any problem refuses all."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": 5}, field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(_("The file is not UTF-8 text."), field="file") from None
    try:
        stripped = text.strip()
        if stripped.startswith("["):
            entities = json.loads(stripped)
        else:
            entities = [json.loads(line) for line in stripped.splitlines() if line.strip()]
    except json.JSONDecodeError as problem:
        raise ServiceError(
            _("The file is not valid JSON (line %(line)s).") % {"line": problem.lineno},
            field="file",
        ) from None
    if not isinstance(entities, list) or not entities:
        raise ServiceError(_("The file holds no entity."), field="file")
    if len(entities) > MAX_IMPORT_ENTITIES:
        raise ServiceError(
            _("At most %(max)s entities per import.") % {"max": MAX_IMPORT_ENTITIES}, field="file"
        )
    people: list[ImportedPerson] = []
    known_countries = dict(countries)
    for n, entity in enumerate(entities, start=1):
        if not isinstance(entity, dict) or entity.get("schema") != "Person":
            raise ServiceError(
                _("Entity %(n)s is not a FollowTheMoney Person.") % {"n": n}, field="file"
            )
        props = entity.get("properties", {})
        if not isinstance(props, dict):
            raise ServiceError(_("Entity %(n)s has no properties.") % {"n": n}, field="file")
        primary = _strings(props, "name", n)
        if not primary:
            raise ServiceError(_("Entity %(n)s has no name.") % {"n": n}, field="file")
        names = [NameIn(primary[0], NameType.PRIMARY)]
        names += [NameIn(x, NameType.ALIAS) for x in primary[1:] + _strings(props, "alias", n)]
        names += [NameIn(x, NameType.KUNYA) for x in _strings(props, "weakAlias", n)]
        names += [NameIn(x, NameType.PREVIOUS) for x in _strings(props, "previousName", n)]
        birth: tuple[int | None, int | None, int | None] = (None, None, None)
        dates = _strings(props, "birthDate", n)
        if dates:
            try:
                birth = parse_partial_date(dates[0][:10])
            except ValueError:
                raise ServiceError(
                    _("Entity %(n)s: unreadable birth date “%(date)s”.")
                    % {"n": n, "date": dates[0]},
                    field="file",
                ) from None
        nationalities = [c.upper() for c in _strings(props, "nationality", n)]
        if any(c not in known_countries for c in nationalities):
            raise ServiceError(
                _("Entity %(n)s: unknown nationality code.") % {"n": n}, field="file"
            )
        gender = (_strings(props, "gender", n) or [""])[0].lower()
        sex = {"female": Sex.FEMALE, "male": Sex.MALE}.get(gender, Sex.UNKNOWN)
        documents = [
            DocumentIn(DocumentType.PASSPORT, x[:40]) for x in _strings(props, "passportNumber", n)
        ] + [DocumentIn(DocumentType.OTHER, x[:40]) for x in _strings(props, "idNumber", n)]
        people.append(
            ImportedPerson(
                names=names,
                birth=birth,
                place_of_birth=(_strings(props, "birthPlace", n) or [""])[0][:200],
                nationalities=nationalities,
                sex=sex,
                documents=documents,
            )
        )
    return people
