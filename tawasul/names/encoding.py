"""Privacy-preserving name encoding (keyed Bloom filter, CLK-style).

Two services that share a secret can each encode their names and compare the encodings
without exchanging the names.  ``encode`` maps the *cross-script* features of a name — the
Arabic-script form of each known name part, the consonant skeleton of every part and its
bigrams — through HMAC-SHA256 keyed with the shared secret into a 1024-bit Bloom filter.
Rare parts set more bits than common ones (Mohamed sets few), so the Dice coefficient of two
filters behaves like the weighted plain score.

Caveats (documented for the people deploying it): Bloom-filter encodings of names are
vulnerable to frequency-analysis attacks if an attacker holds many encodings and a name
frequency list; rotate the secret per exchange, and never reuse it for other purposes.  The
encoding is not an identifier: equal names give equal bytes under one secret.
"""

from __future__ import annotations

import hashlib
import hmac

from tawasul.names.score import prepare

_VERSION = 1
ENCODED_THRESHOLD = 0.67
"""Default decision threshold for :func:`encoded_similarity` (F1-optimal on the dev split)."""
_BITS = 1024
_BYTES = _BITS // 8
_BASE_K = 12  # hash functions for a fully rare feature


def _positions(secret: bytes, feature: str, k: int) -> list[int]:
    digest = hmac.new(secret, feature.encode("utf-8"), hashlib.sha256).digest()
    h1 = int.from_bytes(digest[:8], "big")
    h2 = int.from_bytes(digest[8:16], "big") | 1
    return [(h1 + i * h2) % _BITS for i in range(k)]


def _features(name: str) -> list[tuple[str, float]]:
    feats: list[tuple[str, float]] = []
    for u in prepare(name):
        w = u.weight
        if u.kind == "initial":
            feats.append(("i:" + u.skel, w))
            continue
        # Arabic-script form(s): identical for "Mohamed", "Muhammad" and محمد.
        n_c = len(u.cands)
        for c in sorted(u.cands):
            feats.append(("c:" + c, w / n_c))
        # Skeleton and its regional alternatives (ض as d or z, Latin g as ج or ق …): a bigram
        # shared by any reading counts once.
        skels = (u.skel, *u.alts)
        for s in skels:
            feats.append(("k:" + s, w * 0.6 / len(skels)))
        bigrams: set[str] = set()
        for s in skels:
            padded = "^" + s + "$"
            bigrams.update(padded[i : i + 2] for i in range(len(padded) - 1))
        for bg in sorted(bigrams):
            feats.append(("b:" + bg, w * 0.6))
    return feats


def encode(name: str, secret: bytes | str) -> bytes:
    """Encode ``name`` into a keyed 129-byte Bloom filter (1 version byte + 1024 bits).

    Only holders of ``secret`` can produce comparable encodings; compare two encodings made with
    the same secret using :func:`encoded_similarity`.
    """
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    bits = 0
    for feat, w in _features(name):
        k = max(1, round(_BASE_K * w))
        for p in _positions(key, feat, k):
            bits |= 1 << p
    return bytes([_VERSION]) + bits.to_bytes(_BYTES, "big")


def encoded_similarity(x: bytes, y: bytes) -> float:
    """Dice coefficient of two encodings in [0, 1] (1.0 for identical non-empty encodings)."""
    if len(x) != _BYTES + 1 or len(y) != _BYTES + 1 or x[0] != _VERSION or y[0] != _VERSION:
        raise ValueError("not a tawasul.names encoding (wrong length or version)")
    a = int.from_bytes(x[1:], "big")
    b = int.from_bytes(y[1:], "big")
    total = a.bit_count() + b.bit_count()
    if total == 0:
        return 0.0
    return 2.0 * (a & b).bit_count() / total
