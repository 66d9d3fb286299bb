"""Benchmark: accuracy on labelled name pairs, speed, encoding cost, and baselines.

Run ``python -m tawasul.names.bench`` (``--quick`` for a short run, ``--split train`` for the
split used while tuning).  Pairs are built from ``data/full_names.tsv.gz``:

positives
    *ar-la*: an Arabic-script name and one of its Latin spellings; *la-la*: two different Latin
    spellings of the same Arabic name; *fr-en*: the la-la pairs where one spelling follows
    French/Maghreb conventions and the other does not; *order*: one side's parts reversed;
    *missing*: a middle part (grandfather's name) dropped from one side.
hard negatives
    two different Arabic names that share a part (*shared*), the family name with another
    given name (*family*), the same kunya (*kunya*), or differ only in one part that is one
    letter away in Arabic script — Omar/Amr, Hassan/Hussein, Saad/Said (*sound*); plus a share
    of random pairs (*random*).  Pairs where one name's parts are a subset of the other's are
    never negatives (that is the *missing* case).

Every pair is built inside one split; the held-out split (``dataset.is_heldout``) is never
used for tuning.  Baselines are scored on the very same pairs in the same run; their F1 is at
their best threshold *on the held-out pairs themselves* (an oracle choice that favours them),
ours at the fixed ``DEFAULT_THRESHOLD``.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from tawasul.names import keys as _keys
from tawasul.names import normalize as _norm
from tawasul.names import score as _score
from tawasul.names.dataset import Spelling, is_heldout, iter_full_names
from tawasul.names.encoding import ENCODED_THRESHOLD, encode, encoded_similarity
from tawasul.names.index import NameIndex
from tawasul.names.normalize import normalize
from tawasul.names.score import DEFAULT_THRESHOLD, similarity

_MAGHREB = frozenset({"DZ", "MA", "TN", "MR", "LB", "DJ", "KM"})
STRATA = ("ar-la", "la-la", "fr-en", "order", "missing")


@dataclass(frozen=True, slots=True)
class Pair:
    """A labelled pair: ``stratum`` for positives, negative type in ``kind``."""

    a: str
    b: str
    label: bool
    stratum: str
    kind: str


def _style(sp: Spelling) -> str:
    low = sp.latin.lower()
    if sp.lang == "fr" or sp.country in _MAGHREB or "ou" in low or "dj" in low:
        return "fr"
    if "ch" in low.replace("sch", ""):
        return "fr"
    return "en"


def _parts(name: str) -> list[str]:
    # Name parts as a reader sees them: compounds (Abd al-Rahman, Abu Bakr) stay whole.
    return [u.surface for u in _norm.parse(name)]


def _reverse(name: str) -> str:
    return " ".join(reversed(_parts(name)))


def _drop_middle(name: str) -> str | None:
    parts = _parts(name)
    if len(parts) < 3:
        return None
    return " ".join(parts[:1] + parts[2:])


def _ar_tokens(key: str) -> tuple[str, ...]:
    return tuple(normalize(key).split())


_SPELLING_ONLY = frozenset("اهي")


def _distinct_sound_alike(u: str, v: str, by_tok: dict[str, list[tuple[str, ...]]]) -> bool:
    """Two different, well-attested names one Arabic letter apart (Omar/Amr, Hassan/Hussein).

    Excluded, because they are usually spelling variants of one name rather than two names:
    parts seen in fewer than 5 names (typos, dotting errors), and pairs that differ only by a
    final alef/heh/yeh (زهرا/زهره, صديق/صديقي).
    """
    if Levenshtein.distance(u, v) != 1:
        return False
    if len(by_tok.get(u, ())) < 5 or len(by_tok.get(v, ())) < 5:
        return False
    if u[:-1] == v[:-1] and {u[-1], v[-1]} <= _SPELLING_ONLY:
        return False
    if len(u) >= 5 and len(v) >= 5 and u.replace("ا", "") == v.replace("ا", ""):
        return False  # الرحمان / الرحمن: optional alef in long words
    short, long_ = (u, v) if len(u) < len(v) else (v, u)
    return not (
        len(long_) == len(short) + 1 and long_[:-1] == short and long_[-1] in _SPELLING_ONLY
    )


def build_pairs(
    heldout: bool,
    per_stratum: int,
    seed: int = 7,
    select: Callable[[str], bool] | None = None,
) -> list[Pair]:
    """Deterministically build labelled pairs from one split (or keys chosen by ``select``)."""
    rng = random.Random(seed)  # noqa: S311 — deterministic sampling, not security
    keep = select or (lambda key: is_heldout(key) == heldout)
    groups: dict[str, list[Spelling]] = defaultdict(list)
    for sp in iter_full_names():
        if keep(sp.arabic):
            groups[sp.arabic].append(sp)
    # Merge Arabic keys that are identical after our normalisation (same name).
    by_norm: dict[tuple[str, ...], list[Spelling]] = defaultdict(list)
    for key, sps in groups.items():
        by_norm[_ar_tokens(key)].extend(sps)
    names = sorted(k for k in by_norm if k)
    rng.shuffle(names)

    pos: dict[str, list[Pair]] = defaultdict(list)
    for toks in names:
        sps = by_norm[toks]
        ar = " ".join(toks)
        sp = rng.choice(sps)
        pos["ar-la"].append(Pair(ar, sp.latin, True, "ar-la", "pos"))
        distinct: dict[str, Spelling] = {}
        for s in sps:
            distinct.setdefault(normalize(s.latin), s)
        if len(distinct) >= 2:
            s1, s2 = rng.sample(sorted(distinct.values(), key=lambda s: s.latin), 2)
            st = "fr-en" if _style(s1) != _style(s2) else "la-la"
            pos["la-la"].append(Pair(s1.latin, s2.latin, True, "la-la", "pos"))
            if st == "fr-en":
                pos["fr-en"].append(Pair(s1.latin, s2.latin, True, "fr-en", "pos"))
            if len(_parts(s2.latin)) >= 2:
                pos["order"].append(Pair(s1.latin, _reverse(s2.latin), True, "order", "pos"))
        if len(_parts(sp.latin)) >= 2:
            pos["order"].append(Pair(ar, _reverse(sp.latin), True, "order", "pos"))
        if len(_parts(ar)) >= 3:
            dropped = _drop_middle(ar)
            if dropped:
                pos["missing"].append(Pair(dropped, sp.latin, True, "missing", "pos"))
            d2 = _drop_middle(sp.latin)
            if d2 and len(distinct) >= 2:
                other = rng.choice([s for s in distinct.values() if s is not sp] or [sp])
                pos["missing"].append(Pair(other.latin, d2, True, "missing", "pos"))

    # ---- hard negatives between different names --------------------------------------
    tokset = {t: frozenset(t) for t in names}
    by_tok: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for t in names:
        for tok in set(t):
            by_tok[tok].append(t)

    def ok_neg(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
        sx, sy = tokset[x], tokset[y]
        return x != y and not (sx <= sy or sy <= sx)

    neg_keys: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
    for x in names:
        if len(x) >= 2:
            tok = rng.choice(x)
            cands = by_tok[tok]
            if len(cands) > 1:
                y = rng.choice(cands)
                if ok_neg(x, y):
                    neg_keys["shared"].append((x, y))
            fam = by_tok[x[-1]]
            same_fam = [y for y in rng.sample(fam, min(20, len(fam))) if y[-1] == x[-1]]
            for y in same_fam:
                if y[0] != x[0] and ok_neg(x, y):
                    neg_keys["family"].append((x, y))
                    break
        if len(x) >= 3 and x[0] in ("ابو", "ام"):
            kun = [y for y in by_tok[x[1]] if y[:2] == x[:2] and ok_neg(x, y)]
            if kun:
                neg_keys["kunya"].append((x, rng.choice(kun)))
    # one part one letter apart (Omar/Amr), all else equal
    wild: dict[tuple[int, tuple[str, ...]], list[tuple[str, ...]]] = defaultdict(list)
    for x in names:
        for i in range(len(x)):
            wild[(i, (*x[:i], "*", *x[i + 1 :]))].append(x)
    for (i, _), group in sorted(wild.items(), key=lambda kv: kv[0]):
        if len(group) < 2:
            continue
        for x, y in itertools.combinations(group[:8], 2):
            if _distinct_sound_alike(x[i], y[i], by_tok) and ok_neg(x, y):
                neg_keys["sound"].append((x, y))
    for _ in range(len(names) // 4):
        x, y = rng.sample(names, 2)
        if ok_neg(x, y):
            neg_keys["random"].append((x, y))

    def latin_of(t: tuple[str, ...]) -> str:
        return rng.choice(by_norm[t]).latin

    out: list[Pair] = []
    neg_share = {"shared": 0.5, "family": 0.35, "kunya": 0.15, "sound": 0.5, "random": 0.5}
    base_negs: dict[str, list[Pair]] = {"ar-la": [], "la-la": []}
    for kind, lst in sorted(neg_keys.items()):
        rng.shuffle(lst)
        cap = int(per_stratum * neg_share[kind])
        for x, y in lst[:cap]:
            base_negs["ar-la"].append(Pair(" ".join(x), latin_of(y), False, "ar-la", kind))
            base_negs["la-la"].append(Pair(latin_of(x), latin_of(y), False, "la-la", kind))
    for st in STRATA:
        p = pos[st]
        rng.shuffle(p)
        out.extend(p[:per_stratum])
    out.extend(base_negs["ar-la"])
    out.extend(base_negs["la-la"])
    # Transformed negatives for the order / missing strata: same transformation, so the
    # stratum measures the transformation and not an easier negative set.
    for n in base_negs["ar-la"][: per_stratum // 2] + base_negs["la-la"][: per_stratum // 2]:
        out.append(Pair(n.a, _reverse(n.b), False, "order", n.kind))
        d = _drop_middle(n.a)
        if d:
            out.append(Pair(d, n.b, False, "missing", n.kind))
    # fr-en negatives: the la-la negatives (same population of Latin spellings)
    for n in base_negs["la-la"]:
        out.append(Pair(n.a, n.b, False, "fr-en", n.kind))
    return out


# ---- metrics ------------------------------------------------------------------------------


def average_precision(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Average precision (area under the precision-recall step curve, ties grouped)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    n_pos = sum(labels)
    if n_pos == 0:
        return float("nan")
    tp = fp = 0
    ap = 0.0
    prev_recall = 0.0
    i = 0
    while i < len(order):
        j = i
        s = scores[order[i]]
        while j < len(order) and scores[order[j]] == s:
            if labels[order[j]]:
                tp += 1
            else:
                fp += 1
            j += 1
        recall = tp / n_pos
        ap += (recall - prev_recall) * (tp / (tp + fp))
        prev_recall = recall
        i = j
    return ap


def prf(scores: Sequence[float], labels: Sequence[bool], thr: float) -> tuple[float, float, float]:
    """Precision, recall and F1 at ``score >= thr``."""
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= thr and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= thr and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < thr and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Threshold maximising F1 (used for baselines, and to report ours on the train split)."""
    cands = sorted({round(s, 4) for s in scores})
    if len(cands) > 400:
        step = len(cands) / 400
        cands = [cands[int(i * step)] for i in range(400)]
    return max(cands, key=lambda t: prf(scores, labels, t)[2]) if cands else 0.5


# ---- methods ------------------------------------------------------------------------------

Scorer = Callable[[str, str], float]


def _anyascii_baseline() -> Scorer | None:
    try:
        from anyascii import anyascii
        from rapidfuzz import fuzz
    except ImportError:
        return None

    def score(a: str, b: str) -> float:
        return fuzz.token_sort_ratio(anyascii(a).lower(), anyascii(b).lower()) / 100.0

    return score


def _nomenklatura_baseline(algorithm: str) -> Scorer | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return None
    algo = get_algorithm(algorithm)
    if algo is None:
        return None
    config = ScoringConfig.defaults()
    counter = itertools.count()

    def entity(name: str):  # type: ignore[no-untyped-def]
        e = model.make_entity("Person")
        e.id = f"bench-{next(counter)}"  # unique ids: nomenklatura caches per entity id
        e.add("name", name)
        return e

    def score(a: str, b: str) -> float:
        return float(algo.compare(entity(a), entity(b), config).score)

    return score


def _clear_caches() -> None:
    for fn in (
        _norm.parse,
        _score._keyed,
        _score._make_unit,
        _score._word_unit,
        _score._rarity_weight,
        _norm.tokens,
        _norm._norm_word,
        _norm.word_unit,
        _keys.arabic_skeleton,
        _keys.arabic_vkey,
        _keys._latin_seq,
        _keys.latin_skeleton,
        _keys.latin_vkey,
        _keys.arabic_skeletons,
        _keys.latin_alt_skeletons,
        _keys.latin_glides,
    ):
        fn.cache_clear()
    _score._SIMS.clear()
    _score._MERGES.clear()


def _synthetic_names(n: int, rng: random.Random, pool: list[str]) -> list[str]:
    """Recombine real names' parts into ``n`` distinct plausible full names."""
    firsts = [p.split()[0] for p in pool if len(p.split()) >= 2]
    lasts = [p.split()[-1] for p in pool if len(p.split()) >= 2]
    mids = [p.split()[0] for p in pool]
    out: set[str] = set(pool)
    while len(out) < n:
        k = rng.random()
        if k < 0.6:
            out.add(f"{rng.choice(firsts)} {rng.choice(lasts)}")
        else:
            out.add(f"{rng.choice(firsts)} {rng.choice(mids)} {rng.choice(lasts)}")
    return sorted(out)[:n] if len(out) > n else sorted(out)


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a report."""
    ap = argparse.ArgumentParser(
        prog="python -m tawasul.names.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--quick", action="store_true", help="small pair set and index sizes")
    ap.add_argument("--split", choices=("heldout", "train"), default="heldout")
    ap.add_argument("--per-stratum", type=int, default=None, help="positives per stratum")
    ap.add_argument("--no-speed", action="store_true", help="skip speed measurements")
    ap.add_argument("--no-baselines", action="store_true", help="skip baselines")
    args = ap.parse_args(argv)
    per = args.per_stratum or (400 if args.quick else 3000)
    heldout = args.split == "heldout"
    t0 = time.perf_counter()
    pairs = build_pairs(heldout, per)
    print(
        f"# tawasul.names benchmark — split={args.split}, {len(pairs)} pairs "
        f"({sum(p.label for p in pairs)} positive), default threshold {DEFAULT_THRESHOLD}"
    )
    print(f"pairs built in {time.perf_counter() - t0:.1f}s")

    methods: list[tuple[str, Scorer]] = [("tawasul.names", similarity)]
    skipped: list[str] = []
    if not args.no_baselines:
        for label, factory in (
            ("rapidfuzz token_sort_ratio(anyascii)", _anyascii_baseline),
            ("nomenklatura name-based", lambda: _nomenklatura_baseline("name-based")),
            ("nomenklatura logic-v2", lambda: _nomenklatura_baseline("logic-v2")),
        ):
            fn = factory()
            if fn is None:
                skipped.append(label)
            else:
                methods.append((label, fn))
    secret = b"bench-shared-secret"
    enc_cache: dict[str, bytes] = {}

    def enc_score(a: str, b: str) -> float:
        ea = enc_cache.get(a) or enc_cache.setdefault(a, encode(a, secret))
        eb = enc_cache.get(b) or enc_cache.setdefault(b, encode(b, secret))
        return encoded_similarity(ea, eb)

    methods.insert(1, ("tawasul.names encoded (CLK)", enc_score))

    results: dict[str, list[float]] = {}
    timings: dict[str, float] = {}
    for label, fn in methods:
        t = time.perf_counter()
        results[label] = [fn(p.a, p.b) for p in pairs]
        timings[label] = time.perf_counter() - t

    # ---- accuracy tables ------------------------------------------------------------------
    print("\n## Accuracy per stratum (positives of the stratum + its negatives)")
    hdr = f"{'method':40s} {'stratum':8s} {'n+':>5s} {'n-':>5s} {'AP':>6s} {'P':>6s} "
    print(hdr + f"{'R':>6s} {'F1':>6s} {'thr':>6s}")
    summary: dict[tuple[str, str], tuple[float, float]] = {}
    for label, _ in methods:
        sc = results[label]
        for st in STRATA:
            idx = [i for i, p in enumerate(pairs) if p.stratum == st]
            s = [sc[i] for i in idx]
            y = [pairs[i].label for i in idx]
            a = average_precision(s, y)
            if label == "tawasul.names":
                thr = DEFAULT_THRESHOLD
            elif label.startswith("tawasul.names encoded"):
                thr = ENCODED_THRESHOLD
            else:
                thr = best_threshold(s, y)
            p_, r_, f_ = prf(s, y, thr)
            summary[(label, st)] = (a, f_)
            print(
                f"{label:40s} {st:8s} {sum(y):5d} {len(y) - sum(y):5d} {_fmt(a):>6s} "
                f"{_fmt(p_):>6s} {_fmt(r_):>6s} {_fmt(f_):>6s} {thr:6.3f}"
            )
        print()

    print("## Negatives wrongly accepted at the default threshold, by kind (tawasul.names)")
    ours = results["tawasul.names"]
    kinds = sorted({p.kind for p in pairs if not p.label})
    for k in kinds:
        idx = [i for i, p in enumerate(pairs) if p.kind == k]
        fp = sum(1 for i in idx if ours[i] >= DEFAULT_THRESHOLD)
        print(f"  {k:8s} {fp:5d} / {len(idx):5d} = {fp / len(idx):.3f}")

    print("\n## Encoded (CLK) vs plain, AP")
    for st in STRATA:
        a_plain = summary[("tawasul.names", st)][0]
        a_enc = summary[("tawasul.names encoded (CLK)", st)][0]
        print(f"  {st:8s} plain {a_plain:.3f}  encoded {a_enc:.3f}  cost {a_plain - a_enc:+.3f}")

    print("\n## Baselines vs tawasul.names (AP / F1)")
    for label, _ in methods[2:]:
        beats = all(summary[("tawasul.names", st)][0] > summary[(label, st)][0] for st in STRATA)
        print(f"  {label:40s} beaten on AP in every stratum: {'yes' if beats else 'NO'}")
    if skipped:
        print(f"  SKIPPED baselines (not installed): {', '.join(skipped)}")

    print("\n## Scoring time over all pairs (one process)")
    for label, _ in methods:
        print(f"  {label:40s} {len(pairs) / timings[label]:10.0f} pairs/s")

    if not args.no_speed:
        _speed(pairs, args.quick)
    print(f"\ntotal bench time {time.perf_counter() - t0:.0f}s")
    return 0


def _speed(pairs: list[Pair], quick: bool) -> None:
    # CPU time of this process (time.process_time): one core, and robust to other load on a
    # shared machine; wall-clock figures would be lower when the machine is busy.
    clock = time.process_time
    print("\n## Speed (one core, CPU time)")
    # distinct pairs in a fixed random order, so both halves mix strata and nothing repeats
    raw = sorted({(p.a, p.b) for p in pairs})
    random.Random(5).shuffle(raw)  # noqa: S311 — deterministic sampling
    half = len(raw) // 2
    _clear_caches()
    gc.collect()
    t = clock()
    for a, b in raw[:half]:
        similarity(a, b)
    cold = half / (clock() - t)
    t = clock()
    for a, b in raw[half:]:
        similarity(a, b)
    steady = (len(raw) - half) / (clock() - t)
    t = clock()
    for a, b in raw:
        similarity(a, b)
    warm = len(raw) / (clock() - t)
    print(f"  similarity over {len(raw)} distinct pairs of raw strings:")
    print(f"    first half, all caches empty:             {cold:8.0f} pairs/s")
    print(f"    second half (new pairs, vocabulary warm): {steady:8.0f} pairs/s")
    print(f"    all pairs again (warm caches):            {warm:8.0f} pairs/s")

    rng = random.Random(11)  # noqa: S311 — deterministic sampling
    pool = sorted({s.latin for s in iter_full_names()} | {s.arabic for s in iter_full_names()})
    queries_src = [p for p in pairs if p.label and p.stratum in ("ar-la", "la-la")]
    rng.shuffle(queries_src)
    sizes = (3_000, 30_000) if quick else (3_000, 30_000, 300_000)
    n_q = 300 if quick else 1000
    for size in sizes:
        q = queries_src[:n_q]
        targets = [p.b for p in q]
        rest = (
            rng.sample(pool, min(len(pool), size))
            if size <= len(pool)
            else _synthetic_names(size, rng, pool)
        )
        names = (targets + rest)[:size]
        idx = NameIndex()
        t = time.perf_counter()
        for i, n in enumerate(names):
            idx.add(f"r{i}", [n])
        build = time.perf_counter() - t
        for p in q[:50]:  # warm-up
            idx.search(p.a)
        t = clock()
        hits = 0
        for i, p in enumerate(q):
            res = idx.search(p.a, limit=10)
            if i < size and any(m.key == f"r{i}" for m in res):
                hits += 1
        qps = len(q) / (clock() - t)
        print(
            f"  search against {size:7d} names: {qps:8.0f} queries/s "
            f"(index built in {build:.1f}s; true record in top 10 for {hits}/{len(q)})"
        )


if __name__ == "__main__":
    sys.exit(main())
