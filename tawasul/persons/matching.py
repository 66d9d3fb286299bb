"""Matching a query against person records.

Names: ``tawasul.names`` scores (``similarity``, ``explain``, and ``NameIndex`` for list
screening). The library exposes no public function for its blocking keys, so the keys stored
in ``PersonNameKey`` are built here from the cross-script key functions of
``tawasul.names.keys`` (consonant skeletons in one alphabet for Arabic script and Latin, with
their regional alternatives), plus the skeleton of each pair of adjacent parts so that
"Abderrahmane" meets "عبد الرحمن". A search looks up its keys in the database (one indexed
query on SQLite and PostgreSQL), skips keys too common to discriminate when rarer ones exist,
and scores only the best-sharing candidates.

Other evidence adjusts the name score: agreement or disagreement on the date of birth,
nationality and sex. An exact identity-document number match outranks any name match.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from tawasul.names import explain, similarity
from tawasul.names.keys import (
    arabic_skeleton,
    arabic_skeletons,
    latin_alt_skeletons,
    latin_skeleton,
)

NAME_THRESHOLD = 0.60  # tawasul.names' calibrated operating point
HIT_THRESHOLD = 0.60
CANDIDATES = 40
COMMON_SCAN = 5000
COMMON_MIN = 500
COMMON_SHARE = 0.02

_AR_RANGE = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_AR_WORD = re.compile(f"[{_AR_RANGE}]")
_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_SPLIT = re.compile(r"[^\w\u0600-\u06ff]+|_")
_AR_PARTICLES = frozenset({"بن", "ابن", "بنت", "ولد", "ابو", "ابي", "ام", "ال"})
_LA_PARTICLES = frozenset(
    {
        "al", "el", "al-", "ben", "bin", "ibn", "bint", "bent", "ould", "abu", "abou",
        "bou", "ait", "de", "du", "da", "la", "le", "umm", "oum", "ag", "ag.",
    }
)  # fmt: skip
_LA_ABD = re.compile(r"^ab(d|de|du|dou|del|dal|dul|doul|der|des|den|dell)(?=[a-z])")
_LA_ARTICLE = re.compile(r"^(al|el)(?=[a-z]{3,})")
_DOC_NORM = re.compile(r"[^0-9A-Z]")


def script_of(text: str) -> str:
    """``arabic`` when the name has Arabic letters, ``latin`` when it has Latin letters."""
    if _AR_WORD.search(text):
        return "arabic"
    if any(ch.isalpha() and ord(ch) < 0x0250 for ch in text):
        return "latin"
    return "other"


def _latin_fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def _words(name: str) -> list[tuple[str, bool]]:
    """The name's words, folded, with whether each is Arabic script; particles dropped."""
    out: list[tuple[str, bool]] = []
    for raw in _SPLIT.split(name):
        if not raw:
            continue
        if _AR_WORD.search(raw):
            word = _AR_DIACRITICS.sub("", raw).translate(_AR_FOLD)
            if word in _AR_PARTICLES:
                continue
            if word.startswith("ال") and len(word) > 3:
                word = word[2:]
            out.append((word, True))
        else:
            word = _latin_fold(raw)
            if not word or word in _LA_PARTICLES or word.isdigit():
                continue
            out.append((word, False))
    return out


def _skeletons(word: str, arabic: bool) -> tuple[str, ...]:
    if arabic:
        return arabic_skeletons(word)
    return (latin_skeleton(word), *latin_alt_skeletons(word))


def _primary(word: str, arabic: bool) -> str:
    return arabic_skeleton(word) if arabic else latin_skeleton(word)


def name_keys(name: str) -> set[str]:
    """Blocking keys of a name: each part's skeleton(s), and each adjacent pair's."""
    keys: set[str] = set()
    words = _words(name)
    prims: list[str] = []
    for word, arabic in words:
        for skel in _skeletons(word, arabic):
            if skel:
                keys.add("s:" + skel[:36])
        prim = _primary(word, arabic)
        prims.append(prim)
        if not arabic:
            # "Abdelkader" is "عبد القادر": key the part after "Abd(el)" and the pair.
            abd = _LA_ABD.match(word)
            if abd and len(word) > abd.end() + 2:
                rest = latin_skeleton(word[abd.end() :])
                keys.add("s:" + rest[:36])
                keys.add("s:BD" + rest[:34])
            article = _LA_ARTICLE.match(word)
            if article:
                keys.add("s:" + latin_skeleton(word[article.end() :])[:36])
    for a, b in itertools.pairwise(prims):
        if a and b:
            keys.add("s:" + (a + b)[:36])
    return keys


def normalise_document(number: str) -> str:
    folded = unicodedata.normalize("NFKC", number).upper()
    return _DOC_NORM.sub("", folded)[:40]


@dataclass(frozen=True)
class Query:
    name: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    nationality: str = ""
    document: str = ""
    sex: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "date_of_birth": format_partial_date(self.birth_year, self.birth_month, self.birth_day),
            "nationality": self.nationality,
            "document": self.document,
            "sex": self.sex,
        }


@dataclass
class RecordFacts:
    """What scoring needs of a record, loaded once."""

    pk: int
    names: list[str]
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    nationalities: list[str]
    sex: str
    documents: set[str] = field(default_factory=set)


@dataclass
class Scored:
    record_id: int
    score: float
    name_score: float
    matched_name: str
    document_match: bool
    query_name: str

    @property
    def explanation(self) -> str:
        if not self.matched_name:
            return ""
        return explain(self.query_name, self.matched_name)


def format_partial_date(year: int | None, month: int | None, day: int | None) -> str:
    if not year:
        return ""
    if not month:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def adjust(name_score: float, query: Query, facts: RecordFacts) -> float:
    """The name score moved by agreement on date of birth, nationality and sex."""
    score = name_score
    if query.birth_year and facts.birth_year:
        if query.birth_year == facts.birth_year:
            score += 0.05
            if query.birth_month and facts.birth_month:
                if query.birth_month == facts.birth_month:
                    score += 0.03
                    if query.birth_day and facts.birth_day:
                        score += 0.04 if query.birth_day == facts.birth_day else -0.05
                else:
                    score -= 0.05
        elif abs(query.birth_year - facts.birth_year) > 1:
            score -= 0.15
        else:
            score -= 0.05
    if query.nationality and facts.nationalities:
        score += 0.03 if query.nationality in facts.nationalities else -0.05
    if query.sex in ("F", "M") and facts.sex in ("F", "M"):
        score += 0.02 if query.sex == facts.sex else -0.2
    return max(0.0, min(1.0, score))


def score_record(
    query: Query, facts: RecordFacts, *, name_score: float | None = None, matched: str = ""
) -> Scored | None:
    """Score one record; ``None`` when it is no hit."""
    document_match = bool(query.document) and normalise_document(query.document) in facts.documents
    best, best_name = 0.0, ""
    if name_score is not None:
        best, best_name = name_score, matched
    elif query.name:
        for candidate in facts.names:
            s = similarity(query.name, candidate)
            if s > best:
                best, best_name = s, candidate
    if document_match:
        # An exact document number outranks any name: above every name-only score.
        return Scored(facts.pk, 1.0, best, best_name, True, query.name)
    if best < NAME_THRESHOLD:
        return None
    final = adjust(best, query, facts)
    if final < HIT_THRESHOLD:
        return None
    return Scored(facts.pk, final, best, best_name, False, query.name)


def rank(s: Scored) -> tuple[bool, float, float, int]:
    """Document matches first, then by score, then by name score."""
    return (not s.document_match, -s.score, -s.name_score, s.record_id)


def facts_of(records: Iterable[Any]) -> list[RecordFacts]:
    """RecordFacts of records fetched with ``prefetch_related("names", "documents")``."""
    return [
        RecordFacts(
            pk=r.pk,
            names=[n.full_name for n in r.names.all()],
            birth_year=r.birth_year,
            birth_month=r.birth_month,
            birth_day=r.birth_day,
            nationalities=list(r.nationalities or []),
            sex=r.sex,
            documents={d.number_norm for d in r.documents.all()},
        )
        for r in records
    ]


def candidate_record_ids(query: Query, searchable: QuerySet[Any]) -> set[int]:
    """Records worth scoring: sharing the query's rarer name keys, or its document number."""
    from tawasul.persons.models import IdentityDocument, PersonName, PersonNameKey

    ids: set[int] = set()
    if query.document:
        norm = normalise_document(query.document)
        if norm:
            ids.update(
                IdentityDocument.objects.filter(
                    number_norm=norm, record__in=searchable
                ).values_list("record_id", flat=True)
            )
    keys = name_keys(query.name) if query.name else set()
    if not keys:
        return ids
    # Key frequencies over the whole index: an index-only count, no join.
    freq = dict(
        PersonNameKey.objects.filter(key__in=keys)
        .values_list("key")
        .annotate(n=Count("id"))
        .values_list("key", "n")
    )
    if not freq:
        return ids
    total = PersonName.objects.count()
    common_at = max(COMMON_MIN, int(COMMON_SHARE * total))
    rare = [k for k, n in freq.items() if n <= common_at]
    if rare:
        # A covering index scan of (key, record), counted here; visibility is applied to the
        # best-sharing records only (a join before grouping costs ten times more).
        pairs = PersonNameKey.objects.filter(key__in=rare).values_list("record_id", "key")
        shared = Counter(record_id for record_id, _key in pairs.distinct())
        ranked = sorted(shared, key=lambda r: (-shared[r], r))[: CANDIDATES * 4]
        visible = set(searchable.filter(pk__in=ranked).values_list("pk", flat=True))
        ids.update([r for r in ranked if r in visible][:CANDIDATES])
        return ids
    keyed = PersonNameKey.objects.filter(record__in=searchable)
    # Only common parts (Mohamed Ali): records holding the two rarest of them, looked up
    # through a bounded slice of the rarest one.
    rarest = sorted(freq, key=freq.__getitem__)[:2]
    first = list(keyed.filter(key=rarest[0]).values_list("record_id", flat=True)[:COMMON_SCAN])
    if len(rarest) == 1:
        ids.update(first[:CANDIDATES])
        return ids
    both = (
        PersonNameKey.objects.filter(key=rarest[1], record_id__in=first)
        .values_list("record_id", flat=True)
        .distinct()[:CANDIDATES]
    )
    ids.update(both)
    return ids


def search_records(query: Query, searchable: QuerySet[Any]) -> list[tuple[Any, Scored]]:
    """Records matching the query, best first (document matches first)."""
    ids = candidate_record_ids(query, searchable)
    if not ids:
        return []
    records = list(searchable.filter(pk__in=ids).prefetch_related("names", "documents"))
    by_pk = {r.pk: r for r in records}
    scored = [s for f in facts_of(records) if (s := score_record(query, f)) is not None]
    scored.sort(key=rank)
    return [(by_pk[s.record_id], s) for s in scored]
