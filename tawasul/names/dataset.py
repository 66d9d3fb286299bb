"""Access to the shipped name data and the deterministic train / held-out split.

The split is by Arabic full-name key: ``sha256(normalised arabic key)``, first byte modulo 5;
value 0 (about 20 %) is *held out*.  All spellings of one Arabic name therefore fall on the same
side.  The lexicon and frequency tables shipped with the library (``data/lexicon.tsv.gz``) are
built from the training side only, so the benchmark's held-out figures measure names whose
full form the library has never seen (their individual parts, e.g. "Mohamed", may well be
known — as they would be in production).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
FULL_NAMES = DATA_DIR / "full_names.tsv.gz"
LEXICON = DATA_DIR / "lexicon.tsv.gz"
FREQ = DATA_DIR / "freq.tsv.gz"


@dataclass(frozen=True, slots=True)
class Spelling:
    """One row of the full-name table: an Arabic key and one Latin spelling of it."""

    arabic: str
    latin: str
    lang: str  # fr, en or alias
    country: str
    source: str


def is_heldout(arabic_key: str) -> bool:
    """Deterministic held-out membership (about 20 %) by hashing the Arabic key."""
    return hashlib.sha256(arabic_key.strip().encode("utf-8")).digest()[0] % 5 == 0


def iter_full_names(path: Path = FULL_NAMES) -> Iterator[Spelling]:
    """Yield the rows of the compact full-name table."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            if len(row) >= 5:
                yield Spelling(row[0], row[1], row[2], row[3], row[4])
