"""Rebuild the compact data files in this folder from the shared source data.

Usage (from the repository root)::

    python -m tawasul.names.data.build /path/to/shared/data/names

Outputs (all gzip TSV, UTF-8):

* ``full_names.tsv.gz`` — ``arabic_key, latin, latin_lang, country, source`` copied from
  ``arabic_name_romanizer_index/names.sqlite3`` table ``full_names`` (MIT; derived from
  Wikidata CC0, the Algerian Name Transcription Corpus CC0 and DziriNames MIT — see
  ``LICENSE-arabic-name-romanizer`` and ``THIRD_PARTY_NOTICES.md``).  Used by the benchmark.
* ``lexicon.tsv.gz`` — ``latin_unit, arabic_unit, count``: Latin spellings of single name units
  aligned to their Arabic unit, from the **training split only** (see
  :func:`tawasul.names.dataset.is_heldout`).  Used at runtime.
* ``freq.tsv.gz`` — ``skeleton, document_frequency`` of name units over the training split's
  distinct Arabic names; makes common names (Mohamed, Ali) weigh less.  Used at runtime.
"""

from __future__ import annotations

import gzip
import io
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from tawasul.names.dataset import FREQ, FULL_NAMES, LEXICON, is_heldout, iter_full_names
from tawasul.names.keys import arabic_skeleton, latin_skeleton
from tawasul.names.normalize import RawUnit, parse

# A Latin unit is paired with an Arabic unit only if their skeletons are this similar:
# filters the misaligned rows of the source (e.g. محمد -> "Ahmed").
MIN_ALIGN_SIM = 0.5


def _gz_writer(path: Path) -> io.TextIOWrapper:
    """Gzip text writer with a fixed header time, so rebuilding gives identical bytes."""
    raw = gzip.GzipFile(path, "wb", compresslevel=9, mtime=0)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


def _skel(u: RawUnit) -> str:
    return arabic_skeleton(u.core) if u.arabic else latin_skeleton(u.core)


def _align(ar: tuple[RawUnit, ...], la: tuple[RawUnit, ...]) -> list[tuple[RawUnit, RawUnit]]:
    if len(ar) == len(la):
        pairs = list(zip(ar, la, strict=True))
        return [
            (a, b)
            for a, b in pairs
            if Levenshtein.normalized_similarity(_skel(a), _skel(b)) >= MIN_ALIGN_SIM
        ]
    # Different unit counts: greedy best pairs above a stricter bar.
    scored = sorted(
        (
            (Levenshtein.normalized_similarity(_skel(a), _skel(b)), i, j)
            for i, a in enumerate(ar)
            for j, b in enumerate(la)
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    out: list[tuple[RawUnit, RawUnit]] = []
    for s, i, j in scored:
        if s < 0.75:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((ar[i], la[j]))
    return out


def export_full_names(src: Path) -> None:
    """Copy the full_names table into a compact gzip TSV."""
    con = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT arabic_key, latin, latin_lang, country, source FROM full_names "
        "ORDER BY arabic_key, latin, source"
    ).fetchall()
    with _gz_writer(FULL_NAMES) as fh:
        for row in rows:
            clean = [str(c).replace("\t", " ").replace("\n", " ") for c in row]
            fh.write("\t".join(clean) + "\n")


def build_tables() -> None:
    """Build lexicon and frequency tables from the training split."""
    pair_counts: Counter[tuple[str, str]] = Counter()
    seen_keys: set[str] = set()
    df: Counter[str] = Counter()
    for sp in iter_full_names():
        if is_heldout(sp.arabic):
            continue
        ar_units = tuple(u for u in parse(sp.arabic) if u.kind != "title")
        if sp.arabic not in seen_keys:
            seen_keys.add(sp.arabic)
            for sk in {_skel(u) for u in ar_units}:
                df[sk] += 1
        la_units = tuple(u for u in parse(sp.latin) if u.kind != "title")
        for a, b in _align(ar_units, la_units):
            if b.kind != "initial":
                pair_counts[(b.core, a.core)] += 1
    by_latin: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (lat, ar), c in pair_counts.items():
        by_latin[lat].append((ar, c))
    with _gz_writer(LEXICON) as fh:
        for lat in sorted(by_latin):
            cands = sorted(by_latin[lat], key=lambda x: (-x[1], x[0]))
            total = sum(c for _, c in cands)
            for i, (ar, c) in enumerate(cands[:6]):
                # drop rare alternatives (misalignments, noise); keep real ambiguity such
                # as "Hassan" = حسن or حسان
                if i == 0 or (c >= 3 and c / total >= 0.03):
                    fh.write(f"{lat}\t{ar}\t{c}\n")
    with _gz_writer(FREQ) as fh:
        fh.write(f"__total__\t{len(seen_keys)}\n")
        for sk, c in sorted(df.items()):
            if c >= 2:
                fh.write(f"{sk}\t{c}\n")


def main(argv: list[str]) -> int:
    """Entry point: optional path of the shared data folder to re-export the full names."""
    if argv:
        export_full_names(Path(argv[0]) / "arabic_name_romanizer_index" / "names.sqlite3")
    build_tables()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
