"""Name similarity: unit keys, order-free alignment, rarity weights and calibration.

How a score is made (see ``docs/benchmarks/names.md`` for the measured effect):

1. Both names are parsed into units (:mod:`tawasul.names.normalize`) and each unit gets a
   skeleton and vowel key (:mod:`tawasul.names.keys`), a set of Arabic-script candidates from
   the lexicon (Latin spellings seen for an Arabic name part in the training data) and a weight
   from how rare the part is (Mohamed ≈ 0.3, a rare family name 1.0; kunyas are halved).
2. Units are aligned greedily by similarity regardless of order; two adjacent units may also
   align with one unit on the other side ("Ali Reza" / "Alireza").
3. ``score = M / (M + 2·C + 0.4·E)`` where M is the matched weight, C the weight of parts on
   both sides that contradict each other (at least 0.6 each, plus half the unmatched share of
   fuzzy part matches), E the weight of parts present on one side only (a dropped
   grandfather's name costs less than a different given name).  When the names
   differ in content, little matched evidence (only common names) scales the score down, and a
   match resting only on a kunya ("Abu Ali") is capped below the threshold.

``DEFAULT_THRESHOLD`` is the one operating point for Arabic↔Latin and Latin↔Latin, chosen on a
dev fold of the training split (never on the held-out split the benchmark reports).
"""

from __future__ import annotations

import gzip
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from tawasul.names.dataset import FREQ, LEXICON
from tawasul.names.keys import (
    arabic_skeleton,
    arabic_skeletons,
    arabic_vkey,
    latin_alt_skeletons,
    latin_glides,
    latin_skeleton,
    latin_vkey,
)
from tawasul.names.normalize import RawUnit, parse, roles, tokens

DEFAULT_THRESHOLD = 0.60
"""Scores at or above this mean "probably the same name" (Arabic↔Latin and Latin↔Latin)."""

# Token similarity below this is no match at all (chance level for 3-4 letter skeletons).
_TOKEN_MIN = 0.6
_CONFLICT_COST = 2.0
# Share of the conflict cost charged for the unmatched fraction of a fuzzy part match.
_PARTIAL_COST = 0.5
# A part matching at least this well is settled (not tried as half of a joined part).
_GOOD = 0.9
_EXTRA_COST = 0.4
# Matched weight needed before names that differ in content can score fully.
_EVIDENCE_FULL = 1.0
_KUNYA_ONLY_CAP = 0.5
_KNOWN_MIN_COUNT = 3
_KNOWN_DIFFERENT_FACTOR = 0.65
_FUZZY_FLOOR = 0.3
# A part that contradicts a part of the other name costs at least this weight, even if common
# ("Mohamed X Y" vs "Hamad X Y" are different people).
_CONFLICT_FLOOR = 0.6
# Leading titles (Sheikh, Hajj, Syed, Chaudhry) barely count, matched or not.
_TITLE_WEIGHT = 0.05


@dataclass(slots=True, eq=False)  # identity hash: cheap cache keys; treated as immutable
class Unit:
    """A name unit ready for comparison."""

    core: str
    arabic: bool
    kind: str
    skel: str
    pskel: str  # skeleton with a filiation particle ("ben Ali" -> BNL, matches "Benali")
    vkey: str
    # Tuples rather than frozensets: tuples of strings are not tracked by the cyclic garbage
    # collector, which would otherwise walk the 40k-entry lexicon on every full collection.
    cands: tuple[str, ...]
    loose: tuple[str, ...]  # cands without a penultimate alef: عبدرحمان ~ عبدرحمن (same name)
    known: bool
    weight: float
    surface: str
    alts: tuple[str, ...] = ()  # regional alternative skeletons (ض as z, Latin g as ق …)

    def prefix_skel(self) -> str:
        """Skeleton of the filiation particle, if any."""
        return self.pskel[: len(self.pskel) - len(self.skel)]


_LOAD_LOCK = threading.Lock()


class _Tables:
    """Lexicon and frequency tables, loaded once on first use."""

    def __init__(self) -> None:
        self.lexicon: dict[str, tuple[str, ...]] = {}
        self.lexicon_total: dict[str, int] = {}
        self.known_arabic: set[str] = set()
        self.df: dict[str, int] = {}
        self.total = 1
        self.loaded = False

    def load(self) -> None:
        if self.loaded:
            return
        with _LOAD_LOCK:
            if not self.loaded:
                self._load()

    def _load(self) -> None:
        cands: dict[str, set[str]] = {}
        ar_total: dict[str, int] = {}
        try:
            with gzip.open(LEXICON, "rt", encoding="utf-8") as fh:
                for line in fh:
                    lat, ar, c = line.rstrip("\n").split("\t")
                    cands.setdefault(lat, set()).add(ar)
                    self.lexicon_total[lat] = self.lexicon_total.get(lat, 0) + int(c)
                    ar_total[ar] = ar_total.get(ar, 0) + int(c)
            with gzip.open(FREQ, "rt", encoding="utf-8") as fh:
                for line in fh:
                    sk, c = line.rstrip("\n").split("\t")
                    if sk == "__total__":
                        self.total = int(c)
                    else:
                        self.df[sk] = int(c)
        except FileNotFoundError:
            # Library still works (rule-based keys only) if the data files are absent.
            pass
        self.lexicon = {k: tuple(sorted(v)) for k, v in cands.items()}
        self.known_arabic = {a for a, c in ar_total.items() if c >= _KNOWN_MIN_COUNT}
        self.loaded = True


TABLES = _Tables()


@lru_cache(maxsize=65536)
def _rarity_weight(skel: str) -> float:
    df = TABLES.df.get(skel, 1)
    n = TABLES.total
    idf = math.log((n + 1) / (df + 1))
    ref = math.log((n + 1) / 21)  # parts seen in ≤ 20 names count as fully rare
    return max(0.15, min(1.0, idf / ref)) if ref > 0 else 1.0


def _share(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True if the two small tuples have an element in common."""
    for x in a:  # noqa: SIM110 — a plain loop is faster than any() on 1-3 items
        if x in b:
            return True
    return False


def _loose(c: str) -> str:
    """Arabic spelling variants of one name: رحمان/رحمن, عطالله/عطاله (joined Allah)."""
    c = c.replace("لله", "له")
    return c[:-2] + c[-1] if len(c) >= 5 and c[-2] == "ا" else c


@lru_cache(maxsize=262144)
def make_unit(raw: RawUnit) -> Unit:
    """Key a parsed unit (cached per distinct unit)."""
    TABLES.load()
    if raw.arabic:
        skel = arabic_skeleton(raw.core)
        vkey = arabic_vkey(raw.core)
        cands: tuple[str, ...] = (raw.core,)
        known = raw.core in TABLES.known_arabic
    else:
        skel = latin_skeleton(raw.core)
        vkey = latin_vkey(raw.core)
        cands = TABLES.lexicon.get(raw.core, ())
        known = TABLES.lexicon_total.get(raw.core, 0) >= _KNOWN_MIN_COUNT
    if raw.kind == "title":
        weight = _TITLE_WEIGHT
    elif raw.kind == "initial":
        weight = 0.15
    else:
        weight = _rarity_weight(skel)
        if raw.kind == "kunya":
            weight *= 0.5
    pskel = raw.prefix + skel
    loose = cands
    if any((len(c) >= 5 and c[-2] == "ا") or "لله" in c for c in cands):
        loose = tuple(dict.fromkeys(_loose(c) for c in cands))
    if raw.arabic:
        alts = arabic_skeletons(raw.core)[1:]
        if raw.article:
            # Maghrebi spellings glue a bare l- article: Lassaad (الاسعد), Lahcen (الحسن)
            alts = (*alts, "L" + skel)
    else:
        alts = latin_alt_skeletons(raw.core)
    return Unit(
        raw.core,
        raw.arabic,
        raw.kind,
        skel,
        pskel,
        vkey,
        cands,
        loose,
        known,
        weight,
        raw.surface,
        alts,
    )


@lru_cache(maxsize=131072)
def prepare(name: str) -> tuple[Unit, ...]:
    """Parse and key a full name (cached)."""
    return tuple(make_unit(r) for r in parse(name))


def _norm_key(name: str) -> str:
    return " ".join(tokens(name))


@lru_cache(maxsize=524288)
def unit_similarity(a: Unit, b: Unit) -> tuple[float, str]:
    """Similarity of two units in [0, 1] and a short reason."""
    if a.core == b.core and a.arabic == b.arabic:
        return 1.0, "same"
    if a.kind == "initial" or b.kind == "initial":
        if a.kind == "initial" and b.kind == "initial":
            return (1.0, "same initial") if a.skel == b.skel else (0.0, "different")
        full = b if a.kind == "initial" else a
        ini = a if a.kind == "initial" else b
        first = full.skel[:1] if full.arabic else full.core[:1].upper()
        if ini.core.upper() == first or ini.skel == full.skel[:1]:
            return 0.9, "initial"
        return 0.0, "different"
    if _share(a.cands, b.cands):
        return 1.0, "known spelling"
    if _share(a.loose, b.loose):
        return 0.95, "known spelling (variant)"
    s_skel = Levenshtein.normalized_similarity(a.skel, b.skel)
    if (a.kind == "filiation") != (b.kind == "filiation"):
        # "Ben Ali" vs "Benali": compare with the particle included
        p = Levenshtein.normalized_similarity(a.pskel, b.pskel)
        if p >= 0.85 and p > s_skel:
            return p, "joined particle"
    if a.arabic == b.arabic:
        if a.arabic:
            s = 0.5 * s_skel + 0.5 * Levenshtein.normalized_similarity(a.core, b.core)
        else:
            if a.alts or b.alts:  # g read as ق/گ (Persian "Goli"/"Gholi") rather than ج
                s_skel = _best_skeleton_match(a, b, s_skel)
            s = 0.5 * s_skel + 0.5 * Levenshtein.normalized_similarity(a.vkey, b.vkey)
    else:
        ar, la = (a, b) if a.arabic else (b, a)
        if s_skel < 1.0 and (ar.alts or la.alts):
            s_skel = _best_skeleton_match(ar, la, s_skel)
        # Arabic writes long vowels only: Latin short vowels (insertions) cost nothing here.
        miss = Levenshtein.distance(ar.vkey, la.vkey, weights=(0, 1, 1))
        s = 0.75 * s_skel + 0.25 * max(0.0, 1.0 - miss / max(1, len(ar.vkey)))
        if (
            s_skel == 1.0
            and a.known
            and b.known
            and _long_vowels_agree(ar.core, ar.vkey, la.core, la.vkey)
        ):
            # جاما / "Jama": same consonants, and the Latin vowels do not contradict the
            # Arabic long vowels — a spelling the lexicon has not seen, not another name.
            return 0.9, "same sound"
    reason = "same sound" if s_skel == 1.0 else "similar sound"
    if a.known and b.known:
        # Both parts are well-attested names and no spelling links them: Hassan vs Hussein,
        # Saad vs Said.  They contradict each other rather than match weakly.
        return min(s * _KNOWN_DIFFERENT_FACTOR, _TOKEN_MIN - 0.05), "different known names"
    # Fuzzy matches count in proportion to how far they are above chance.
    return max(0.0, (s - _FUZZY_FLOOR) / (1.0 - _FUZZY_FLOOR)), reason


def _best_skeleton_match(a: Unit, b: Unit, best: float) -> float:
    """Best similarity over the units' skeletons and regional alternatives."""
    sim = Levenshtein.normalized_similarity
    for x in (a.skel, *a.alts):
        for y in (b.skel, *b.alts):
            s = sim(x, y)
            if s > best:
                best = s
                if best == 1.0:
                    return best
    return best


def _long_vowels_agree(ar_core: str, ar_vkey: str, la_core: str, la_vkey: str) -> bool:
    """Every Arabic long vowel appears in the Latin, and the Latin has no extra i/u vowels.

    Separates حسين "Hussein" (Arabic long i) from حسن "Hassan", سعد from "Said", and حمد from
    "Ahmed" (a Latin initial vowel needs an Arabic initial alef or ayn).
    """
    if (la_vkey[:1] in ("a", "i", "u")) != (ar_core[:1] in ("ا", "ع")):
        return False
    ar_vkey = "".join(c for i, c in enumerate(ar_vkey) if i == 0 or c != ar_vkey[i - 1])
    if Levenshtein.distance(ar_vkey, la_vkey, weights=(0, 1, 1)) != 0:
        return False
    ar_iu = sum(1 for c in ar_vkey if c in "iu")
    la_iu = sum(1 for c in la_vkey if c in "iu")
    # a consonantal medial w in the Latin ("Alawi") needs a waw in the Arabic (علوي, not علي)
    return la_iu <= ar_iu and latin_glides(la_core) <= ar_core.count("و", 1)


@dataclass(frozen=True, slots=True)
class PairMatch:
    """One aligned pair of units (or unit groups) and why they matched."""

    a: str
    b: str
    similarity: float
    reason: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Full account of a comparison; ``str()`` gives the explanation text."""

    score: float
    matched: tuple[PairMatch, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    note: str
    parts_a: tuple[tuple[str, str], ...] = ()  # (part, role) of the first name
    parts_b: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        lines = [f"score {self.score:.3f} (threshold {DEFAULT_THRESHOLD:.2f})"]
        for label, parts in (("first", self.parts_a), ("second", self.parts_b)):
            if parts:
                desc = ", ".join(f"{p!r} {r}" for p, r in parts)
                lines.append(f"  {label} name parts: {desc}")
        for m in self.matched:
            lines.append(f"  matched: {m.a!r} ~ {m.b!r} {m.similarity:.2f} ({m.reason})")
        for s in self.only_a:
            lines.append(f"  only in first: {s!r}")
        for s in self.only_b:
            lines.append(f"  only in second: {s!r}")
        if self.note:
            lines.append(f"  note: {self.note}")
        return "\n".join(lines)


@lru_cache(maxsize=65536)
def _merge(u: Unit, v: Unit) -> Unit:
    # Keys of the joined part are the parts' keys concatenated: re-keying the joined text
    # would invent digraphs across the seam ("Seyed"+"Hamid" is not "...dh...").
    skel = u.skel + v.skel
    alts = tuple(
        dict.fromkeys(
            [a + v.skel for a in u.alts] + [u.skel + b for b in v.alts] + [skel[:-1]]
            if u.skel[-1:] == v.skel[:1]  # a letter at the seam written once: Abdallah
            else [a + v.skel for a in u.alts] + [u.skel + b for b in v.alts]
        )
    )
    return Unit(
        u.core + v.core,
        u.arabic,
        "name",
        skel,
        u.prefix_skel() + skel,
        u.vkey + v.vkey,
        (),
        (),
        False,
        max(u.weight, v.weight),
        u.surface + " " + v.surface,
        alts[:6],
    )


# An alignment candidate: (similarity, summed weight, a-bitmask, b-bitmask, wa, wb, reason)
_Cand = tuple[float, float, int, int, float, float, str]


def compare_units(ua: Sequence[Unit], ub: Sequence[Unit], detail: bool = False) -> Comparison:
    """Align two unit sequences and score them, with the alignment when ``detail``."""
    score, pairs, used_a, used_b, note = _align(ua, ub, detail)
    only_a: tuple[str, ...] = ()
    only_b: tuple[str, ...] = ()
    if detail:
        only_a = tuple(u.surface for i, u in enumerate(ua) if not used_a >> i & 1)
        only_b = tuple(u.surface for j, u in enumerate(ub) if not used_b >> j & 1)
    return Comparison(score, tuple(pairs), only_a, only_b, note)


def score_units(ua: Sequence[Unit], ub: Sequence[Unit]) -> float:
    """Score of two unit sequences (the fast path of :func:`similarity` and the index)."""
    return _align(ua, ub, False)[0]


def _align(
    ua: Sequence[Unit], ub: Sequence[Unit], detail: bool
) -> tuple[float, list[PairMatch], int, int, str]:
    """Greedy order-free alignment; returns score, pairs, used bitmasks and a note."""
    na, nb = len(ua), len(ub)
    if na == 0 or nb == 0:
        return 0.0, [], 0, 0, ""
    cands: list[_Cand] = []
    usim = unit_similarity
    perfect_a = perfect_b = 0
    for i, x in enumerate(ua):
        xw = x.weight
        bi = 1 << i
        for j, y in enumerate(ub):
            s, r = usim(x, y)
            if s >= _TOKEN_MIN:
                bj = 1 << j
                cands.append((s, xw + y.weight, bi, bj, xw, y.weight, r))
                if s >= _GOOD:
                    perfect_a |= bi
                    perfect_b |= bj
    full_a, full_b = (1 << na) - 1, (1 << nb) - 1
    # Joined vs split parts ("Alireza" / "Ali Reza", محمدرضا / "Mohammad Reza"): two adjacent
    # parts of one name, neither matching well on its own, against one part of the other name
    # that has no good match either.
    if na > 1 and perfect_b != full_b:
        for i in range(na - 1):
            if perfect_a >> i & 3:
                continue  # a part that already matches well is not half of a joined part
            u, v = ua[i], ua[i + 1]
            lm = len(u.skel) + len(v.skel)
            w2 = u.weight + v.weight
            for j, y in enumerate(ub):
                # cheap length filter first: a 0.85 skeleton match needs similar lengths
                if not perfect_b >> j & 1 and abs(lm - len(y.skel)) <= 1 + lm // 7:
                    s, _r = usim(_merge(u, v), y)
                    if s >= 0.85:
                        cands.append((s, w2 + y.weight, 3 << i, 1 << j, w2, y.weight, "joined"))
    if nb > 1 and perfect_a != full_a:
        for j in range(nb - 1):
            if perfect_b >> j & 3:
                continue
            u, v = ub[j], ub[j + 1]
            lm = len(u.skel) + len(v.skel)
            w2 = u.weight + v.weight
            for i, x in enumerate(ua):
                if not perfect_a >> i & 1 and abs(lm - len(x.skel)) <= 1 + lm // 7:
                    s, _r = usim(x, _merge(u, v))
                    if s >= 0.85:
                        cands.append((s, x.weight + w2, 1 << i, 3 << j, x.weight, w2, "joined"))
    cands.sort(reverse=True)
    used_a = used_b = 0
    matched_w = 0.0
    partial = 0.0
    pairs: list[PairMatch] = []
    kunya_only = True
    for s, _w, ma, mb, wa, wb, r in cands:
        if used_a & ma or used_b & mb:
            continue
        used_a |= ma
        used_b |= mb
        w = 0.5 * (wa + wb)
        matched_w += s * w
        partial += (1.0 - s) * w
        if kunya_only and not (ma & (ma - 1) == 0 and ua[ma.bit_length() - 1].kind == "kunya"):
            kunya_only = False
        if detail:
            pairs.append(
                PairMatch(
                    " ".join(ua[i].surface for i in range(na) if ma >> i & 1),
                    " ".join(ub[j].surface for j in range(nb) if mb >> j & 1),
                    s,
                    r,
                )
            )
    # Unmatched parts: raw weight, and weight floored for the conflict computation.
    ra = fa = rb = fb = 0.0
    if used_a != (1 << na) - 1:
        for i in range(na):
            if not used_a >> i & 1:
                w = ua[i].weight
                ra += w
                fa += w if w > _CONFLICT_FLOOR or w == _TITLE_WEIGHT else _CONFLICT_FLOOR
    if used_b != (1 << nb) - 1:
        for j in range(nb):
            if not used_b >> j & 1:
                w = ub[j].weight
                rb += w
                fb += w if w > _CONFLICT_FLOOR or w == _TITLE_WEIGHT else _CONFLICT_FLOOR
    un_a, un_b = ra > 0, rb > 0
    if un_a and un_b:
        conflict = min(fa, fb) + _PARTIAL_COST * partial
        extra = abs(fa - fb)
    else:
        conflict = _PARTIAL_COST * partial
        extra = ra + rb
    denom = matched_w + _CONFLICT_COST * conflict + _EXTRA_COST * extra
    score = matched_w / denom if denom > 0 else 0.0
    note = ""
    if (un_a or un_b) and score > 0 and matched_w < _EVIDENCE_FULL:
        score *= matched_w / _EVIDENCE_FULL
        note = "little distinctive evidence (common names only)"
    if kunya_only and used_a and score > _KUNYA_ONLY_CAP:
        score = _KUNYA_ONLY_CAP
        note = "only a kunya (Abu …) matches: not enough on its own"
    score = max(0.0, min(1.0, score))
    return score, pairs, used_a, used_b, note


def _similarity(a: str, b: str) -> float:
    na, nb = _norm_key(a), _norm_key(b)
    if na == nb:
        return 1.0 if na else 0.0
    if (na, a) > (nb, b):
        return _align(prepare(b), prepare(a), False)[0]
    return _align(prepare(a), prepare(b), False)[0]


def _compare(a: str, b: str, detail: bool) -> Comparison:
    na, nb = _norm_key(a), _norm_key(b)
    if na == nb:
        if not na:
            return Comparison(0.0, (), (), (), "empty name")
        return Comparison(1.0, (PairMatch(a, b, 1.0, "identical after normalisation"),), (), (), "")
    ua, ub = prepare(a), prepare(b)
    # Symmetry: always compare in a canonical order.
    if (na, a) > (nb, b):
        c = compare_units(ub, ua, detail)
        c = Comparison(
            c.score,
            tuple(PairMatch(m.b, m.a, m.similarity, m.reason) for m in c.matched),
            c.only_b,
            c.only_a,
            c.note,
        )
    else:
        c = compare_units(ua, ub, detail)
    if not detail:
        return c
    return Comparison(c.score, c.matched, c.only_a, c.only_b, c.note, _parts(a), _parts(b))


def _parts(name: str) -> tuple[tuple[str, str], ...]:
    raw = parse(name)
    return tuple(zip((u.surface for u in raw), roles(raw), strict=True))


def similarity(a: str, b: str) -> float:
    """Similarity of two person names in [0, 1]; ``>= DEFAULT_THRESHOLD`` means a match.

    Symmetric; 1.0 for names identical after normalisation; independent of case, diacritics
    and the order of name parts; works across Arabic script and Latin spellings.
    """
    return _similarity(a, b)


def compare(a: str, b: str) -> Comparison:
    """Score with a full account of the alignment (used by :func:`explain` and the index)."""
    return _compare(a, b, True)


def explain(a: str, b: str) -> str:
    """Human-readable account of which parts matched, which did not, and why."""
    return str(compare(a, b))
