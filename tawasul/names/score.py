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
import itertools
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
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
from tawasul.names.normalize import (
    CONTEXT_WORDS,
    RawUnit,
    parse,
    parse_tokens,
    parse_word,
    roles,
    tokenize,
)

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
# Sound similarity a fuzzy part match needs to reach _TOKEN_MIN (small margin for rounding).
_FUZZY_NEED = _FUZZY_FLOOR + _TOKEN_MIN * (1.0 - _FUZZY_FLOOR) - 1e-9
# A part that contradicts a part of the other name costs at least this weight, even if common
# ("Mohamed X Y" vs "Hamad X Y" are different people).
_CONFLICT_FLOOR = 0.6
# Leading titles (Sheikh, Hajj, Syed, Chaudhry) barely count, matched or not.
_TITLE_WEIGHT = 0.05


_UIDS = itertools.count(1)


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
    # Serial number, unique for the process's lifetime: part-pair similarities are cached
    # under an int made of two uids (see _SIMS), never under id(), which is reused.
    uid: int = field(default_factory=lambda: next(_UIDS))
    # The name without its theophoric element (Abdul Rauf -> rauf, Azmatullah -> azmat), or "".
    base: str = ""

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


def _loose(c: str) -> str:
    """Arabic spelling variants of one name: رحمان/رحمن, عطالله/عطاله (joined Allah)."""
    c = c.replace("لله", "له")
    return c[:-2] + c[-1] if len(c) >= 5 and c[-2] == "ا" else c


# Theophoric endings, longest first; a name is shortened by the first ending it has.
_LATIN_THEO_ENDINGS = (
    "uddine",
    "eddine",
    "ullah",
    "ollah",
    "allah",
    "illah",
    "ellah",
    "uddin",
    "eddin",
    "addin",
    "edine",
    "llah",
    "edin",
    "lah",
    "din",
)
_ARABIC_THEO_ENDINGS = ("الله", "الدين")
_SHORT_FORM_MIN = 3
# Credit for a part against its short form: the same person in practice (Pakistani, Afghan,
# Iranian and Maghrebi usage drops "Abdul"/"-ullah"/"-eddine"), but a different name in Arabic.
_SHORT_FORM_SIM = 0.8


def _without_ending(core: str, endings: tuple[str, ...]) -> str:
    """``core`` less the first of ``endings`` it ends with ("" if it has none)."""
    if not core.endswith(endings):
        return ""  # most names: one C-level test instead of a Python loop over the endings
    for end in endings:
        if core.endswith(end):
            return core[: -len(end)]
    return ""


def _short_base(core: str, arabic: bool, kind: str) -> str:
    """Core without its theophoric element: abd + X -> X, X + allah/eddine -> X ("" if none)."""
    if kind == "abd":
        rest = core[3:]
    elif kind != "name":
        return ""
    else:
        endings = _ARABIC_THEO_ENDINGS if arabic else _LATIN_THEO_ENDINGS
        rest = _without_ending(core, endings)
    return rest if len(rest) >= _SHORT_FORM_MIN else ""


def short_form_unit(u: Unit) -> Unit:
    """The unit of ``u``'s short form (``u.base``: Abdul Rauf -> Rauf), keyed like any part."""
    return _make_unit(u.base, u.arabic, "name", False, u.base, "")  # no RawUnit per call


def make_unit(raw: RawUnit) -> Unit:
    """Key a parsed unit (cached per distinct unit)."""
    return _make_unit(*raw)


# Cached under the plain tuple of the unit's fields rather than under the RawUnit: the
# collector never untracks a tuple subclass, so RawUnit keys kept two more objects per cached
# unit for every full collection to walk.
@lru_cache(maxsize=262144)
def _make_unit(
    core: str, arabic: bool, kind: str, article: bool, surface: str, prefix: str
) -> Unit:
    """:func:`make_unit` of the RawUnit with these fields."""
    TABLES.load()
    if arabic:
        skel = arabic_skeleton(core)
        vkey = arabic_vkey(core)
        cands: tuple[str, ...] = (core,)
        known = core in TABLES.known_arabic
    else:
        skel = latin_skeleton(core)
        vkey = latin_vkey(core)
        cands = TABLES.lexicon.get(core, ())
        known = TABLES.lexicon_total.get(core, 0) >= _KNOWN_MIN_COUNT
    if kind == "title":
        weight = _TITLE_WEIGHT
    elif kind == "initial":
        weight = 0.15
    else:
        weight = _rarity_weight(skel)
        if kind == "kunya":
            weight *= 0.5
    pskel = prefix + skel
    loose = cands
    if any((len(c) >= 5 and c[-2] == "ا") or "لله" in c for c in cands):
        loose = tuple(dict.fromkeys(_loose(c) for c in cands))
    if arabic:
        alts = arabic_skeletons(core)[1:]
        if article:
            # Maghrebi spellings glue a bare l- article: Lassaad (الاسعد), Lahcen (الحسن)
            alts = (*alts, "L" + skel)
    else:
        alts = latin_alt_skeletons(core)
    return Unit(
        core,
        arabic,
        kind,
        skel,
        pskel,
        vkey,
        cands,
        loose,
        known,
        weight,
        surface,
        alts,
        next(_UIDS),
        _short_base(core, arabic, kind),
    )


def prepare(name: str) -> tuple[Unit, ...]:
    """Parse and key a full name (cached)."""
    return _keyed(name)[1]


@lru_cache(maxsize=131072)
def _keyed(name: str) -> tuple[str, tuple[Unit, ...]]:
    # One cache entry per full name for both the normalised text and the units: a
    # similarity call then costs one lookup per name.
    toks = tokenize(name)
    if CONTEXT_WORDS.isdisjoint(toks):
        # Full names are mostly unique, their words are not: key each word once.
        return " ".join(toks), tuple(map(_word_unit, toks))
    return " ".join(toks), tuple(map(make_unit, parse_tokens(toks)))


@lru_cache(maxsize=131072)
def _word_unit(tok: str) -> Unit:
    # parse_word, not the cached word_unit: this cache already holds the result per word.
    return _make_unit(*parse_word(tok))


def _norm_key(name: str) -> str:
    return _keyed(name)[0]


def unit_similarity(a: Unit, b: Unit) -> tuple[float, str]:
    """Similarity of two units in [0, 1] and a short reason."""
    return _unit_similarity(a, b, True)


# Part-pair similarities for scoring, keyed by ``uid << 64 | uid``.  Ints and floats are not
# tracked by the cyclic garbage collector (tuple keys holding units would be, and a full
# collection would walk them all); cleared when full, so memory stays bounded.
_SIMS: dict[int, float] = {}
_SIMS_MAX = 1 << 19


def _unit_score(a: Unit, b: Unit) -> float:
    """Similarity for alignment; values below ``_TOKEN_MIN`` may be reported as 0.0."""
    s = _unit_similarity(a, b, False)[0]
    if len(_SIMS) >= _SIMS_MAX:
        _SIMS.clear()
    _SIMS[a.uid << 64 | b.uid] = s
    return s


def _unit_similarity(a: Unit, b: Unit, exact: bool) -> tuple[float, str]:
    # exact=False may stop early once the result is known to be below _TOKEN_MIN, where
    # alignment ignores the value anyway.
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
    for c in a.cands:  # inline loops: 1-3 items each, run for every new pair of parts
        if c in b.cands:
            return 1.0, "known spelling"
    for c in a.loose:
        if c in b.loose:
            return 0.95, "known spelling (variant)"
    if (a.base or b.base) and (not a.base or not b.base):
        # "Abdul Rauf" / "Rauf", "Azmatullah" / "Azmat": compare the short form
        full, short = (a, b) if a.base else (b, a)
        bare = short_form_unit(full)
        s_base = _unit_similarity(bare, short, True)[0]
        if s_base >= _GOOD:
            return _SHORT_FORM_SIM * s_base, "short form"
    fil = (a.kind == "filiation") != (b.kind == "filiation")
    if not exact and not fil and a.known and b.known and a.arabic == b.arabic:
        return 0.0, "different known names"  # capped below _TOKEN_MIN further down
    if not exact and not fil and a.known and b.known and not _share_skeleton(a, b):
        # Across scripts two known names pass only with a skeleton in common (see below):
        # equality decides that without computing any edit distance.
        return 0.0, "different known names"
    s_skel = Levenshtein.normalized_similarity(a.skel, b.skel)
    if fil:
        # "Ben Ali" vs "Benali": compare with the particle included
        p = Levenshtein.normalized_similarity(a.pskel, b.pskel)
        if p >= 0.85 and p > s_skel:
            return p, "joined particle"
    if a.arabic == b.arabic:
        if not exact and a.known and b.known:
            return 0.0, "different known names"  # capped below _TOKEN_MIN further down
        if a.arabic:
            if not exact and 0.5 * s_skel + 0.5 < _FUZZY_NEED:
                return 0.0, "similar sound"  # cannot reach _TOKEN_MIN
            s = 0.5 * s_skel + 0.5 * Levenshtein.normalized_similarity(a.core, b.core)
        else:
            if a.alts or b.alts:  # g read as ق/گ (Persian "Goli"/"Gholi") rather than ج
                s_skel = _best_skeleton_match(a, b, s_skel)
            if not exact and 0.5 * s_skel + 0.5 < _FUZZY_NEED:
                return 0.0, "similar sound"  # cannot reach _TOKEN_MIN
            s = 0.5 * s_skel + 0.5 * Levenshtein.normalized_similarity(a.vkey, b.vkey)
    else:
        ar, la = (a, b) if a.arabic else (b, a)
        if s_skel < 1.0 and (ar.alts or la.alts):
            s_skel = _best_skeleton_match(ar, la, s_skel)
        if not exact and s_skel < 1.0 and a.known and b.known:
            return 0.0, "different known names"  # capped below _TOKEN_MIN further down
        if not exact and 0.75 * s_skel + 0.25 < _FUZZY_NEED:
            return 0.0, "similar sound"  # cannot reach _TOKEN_MIN
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


def _share_skeleton(a: Unit, b: Unit) -> bool:
    """True when :func:`_best_skeleton_match` would reach 1.0 (some skeleton is identical)."""
    if a.skel == b.skel:
        return True
    if not a.alts and not b.alts:
        return False
    ys = (b.skel, *b.alts)
    return any(x in ys for x in (a.skel, *a.alts))


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


# Joined units of adjacent pairs, keyed like _SIMS (stable uids for the similarity cache).
_MERGES: dict[int, Unit] = {}
_MERGES_MAX = 1 << 16


def _merged(u: Unit, v: Unit) -> Unit:
    """``_merge(u, v)``, cached (bounded)."""
    k = u.uid << 64 | v.uid
    m = _MERGES.get(k)
    if m is None:
        if len(_MERGES) >= _MERGES_MAX:
            _MERGES.clear()
        m = _MERGES[k] = _merge(u, v)
    return m


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
        next(_UIDS),
    )


# An alignment candidate: (similarity, summed weight, a-bitmask, b-bitmask, wa, wb).  The
# bitmask pair is unique per candidate, so sorting never looks past it.
_Cand = tuple[float, float, int, int, float, float]


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
    sims = _SIMS.get
    token_min = _TOKEN_MIN
    perfect_a = perfect_b = 0
    bi = 1
    for x in ua:
        xw = x.weight
        xk = x.uid << 64
        bj = 1
        for y in ub:
            s = sims(xk | y.uid)
            if s is None:
                s = _unit_score(x, y)
            if s >= token_min:
                yw = y.weight
                cands.append((s, xw + yw, bi, bj, xw, yw))
                if s >= _GOOD:
                    perfect_a |= bi
                    perfect_b |= bj
            bj <<= 1
        bi <<= 1
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
            m: Unit | None = None
            for j, y in enumerate(ub):
                # cheap length filter first: a 0.85 skeleton match needs similar lengths
                if not perfect_b >> j & 1 and abs(lm - len(y.skel)) <= 1 + lm // 7:
                    if m is None:
                        m = _merged(u, v)
                    s = sims(m.uid << 64 | y.uid)
                    if s is None:
                        s = _unit_score(m, y)
                    if s >= 0.85:
                        cands.append((s, w2 + y.weight, 3 << i, 1 << j, w2, y.weight))
    if nb > 1 and perfect_a != full_a:
        for j in range(nb - 1):
            if perfect_b >> j & 3:
                continue
            u, v = ub[j], ub[j + 1]
            lm = len(u.skel) + len(v.skel)
            w2 = u.weight + v.weight
            m = None
            for i, x in enumerate(ua):
                if not perfect_a >> i & 1 and abs(lm - len(x.skel)) <= 1 + lm // 7:
                    if m is None:
                        m = _merged(u, v)
                    s = sims(x.uid << 64 | m.uid)
                    if s is None:
                        s = _unit_score(x, m)
                    if s >= 0.85:
                        cands.append((s, x.weight + w2, 1 << i, 3 << j, x.weight, w2))
    cands.sort(reverse=True)
    used_a = used_b = 0
    matched_w = 0.0
    partial = 0.0
    pairs: list[PairMatch] = []
    kunya_only = True
    for s, _w, ma, mb, wa, wb in cands:
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
            single = ma & (ma - 1) == 0 and mb & (mb - 1) == 0
            r = (
                unit_similarity(ua[ma.bit_length() - 1], ub[mb.bit_length() - 1])[1]
                if single
                else "joined"
            )
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
    na, ua = _keyed(a)
    nb, ub = _keyed(b)
    if na == nb:
        return 1.0 if na else 0.0
    if na > nb:  # the canonical order of _compare; na != nb, so a and b never break a tie
        return _align(ub, ua, False)[0]
    return _align(ua, ub, False)[0]


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
