"""In-memory name index with blocking-key candidate retrieval.

Every stored name is keyed by its units' blocking keys: the consonant skeleton (same alphabet
for Arabic script and Latin), the Arabic-script form of known name parts, and the skeleton of
each pair of adjacent parts (so "Alireza" finds "Ali Reza").  A query looks up its own keys,
counts how many keys each stored name shares (C-level ``Counter.update``), and scores only the
best-sharing candidates in full.  Very common keys (Mohamed, Ali) are used only through
intersections with each other when nothing rarer is available, so a query never scans every
name.  Limitation: a true match that shares nothing but one very common part with the query
can be missed; the benchmark reports query throughput, not retrieval recall.
"""

from __future__ import annotations

import gzip
import heapq
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tawasul.names.score import DEFAULT_THRESHOLD, Unit, _norm_key, compare, prepare, score_units

_FORMAT = "tawasul.names.index"
_VERSION = 1
# Postings longer than this share of the index (and at least _COMMON_MIN) count as common.
_COMMON_SHARE = 0.02
_COMMON_MIN = 500
# Candidates scored in full per query (the best-sharing ones).
_SCORED_MIN = 12
# With a threshold of 0.5 or more, skip entries sharing under this share of query weight.
_MIN_SHARE = 0.3
# Parts that get no blocking keys: initials and leading titles are not distinctive.
_NO_KEYS = frozenset(("initial", "title"))


@dataclass(frozen=True, slots=True)
class Match:
    """One search result: the record key, its score, the best-matching name and why.

    ``explanation`` is computed on first access (most screening results are never read).
    """

    key: str
    score: float
    name: str
    query: str = field(repr=False, compare=False, default="")

    @property
    def explanation(self) -> str:
        """Which parts of the query and the matched name correspond, and why."""
        return str(compare(self.query, self.name))


def _unit_keys(u: Unit) -> list[str]:
    keys = ["s:" + (u.skel or u.vkey)]
    keys.extend("c:" + c for c in u.cands)
    return keys


def _blocking_keys(units: tuple[Unit, ...]) -> set[str]:
    keys: set[str] = set()
    for u in units:
        if u.kind not in _NO_KEYS:
            keys.update(_unit_keys(u))
    for u, v in itertools.pairwise(units):
        if u.kind not in _NO_KEYS and v.kind not in _NO_KEYS:
            keys.add("s:" + u.skel + v.skel)
    return keys


class NameIndex:
    """Names (several per record key) searchable by similarity.

    >>> idx = NameIndex()
    >>> idx.add("p1", ["محمد عبد الرحمن الزهراني", "Mohamed Abderrahmane"])
    >>> idx.search("Muhammad Abd al-Rahman al-Zahrani")[0].key
    'p1'
    """

    def __init__(self) -> None:
        self._names: dict[str, list[str]] = {}
        # entry id -> (record key, name, normalised name, units)
        self._entries: dict[int, tuple[str, str, str, tuple[Unit, ...]]] = {}
        self._by_key: dict[str, list[int]] = {}
        self._postings: dict[str, set[int]] = {}
        self._next_id = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._names

    def add(self, key: str, names: Iterable[str] | str) -> None:
        """Add names for record ``key`` (a single string is one name); adds to existing names."""
        if isinstance(names, str):
            names = [names]
        for name in names:
            units = prepare(name)
            if not units:
                continue
            eid = self._next_id
            self._next_id += 1
            self._entries[eid] = (key, name, _norm_key(name), units)
            self._by_key.setdefault(key, []).append(eid)
            self._names.setdefault(key, []).append(name)
            for bk in _blocking_keys(units):
                self._postings.setdefault(bk, set()).add(eid)

    def remove(self, key: str) -> None:
        """Remove a record and all its names (no error if absent)."""
        for eid in self._by_key.pop(key, []):
            _, _, _, units = self._entries.pop(eid)
            for bk in _blocking_keys(units):
                post = self._postings.get(bk)
                if post is not None:
                    post.discard(eid)
                    if not post:
                        del self._postings[bk]
        self._names.pop(key, None)

    def _candidates(
        self, units: tuple[Unit, ...], budget: int, min_share: float = 0.0
    ) -> list[int]:
        """Entries sharing blocking keys with the query, best-sharing first (≤ ``budget``).

        Each query part contributes its rarity weight to every entry found through one of
        its keys.  Parts whose postings are common (Mohamed) are not iterated: they only add
        weight to entries already found through rarer parts, or — when a query has nothing
        rarer — through the intersection of two common postings.
        """
        get = self._postings.get
        groups: list[tuple[float, list[set[int]]]] = []
        for u in units:
            if u.kind in _NO_KEYS:
                continue
            posts = [p for k in _unit_keys(u) if (p := get(k))]
            if posts:
                groups.append((u.weight, posts))
        for u, v in itertools.pairwise(units):
            if u.kind in _NO_KEYS or v.kind in _NO_KEYS:
                continue
            p = get("s:" + u.skel + v.skel)
            if p:
                groups.append((max(u.weight, v.weight), [p]))
        if not groups:
            return []
        common_at = max(_COMMON_MIN, int(_COMMON_SHARE * len(self._entries)))
        scores: dict[int, float] = {}
        # A common part keeps its postings as they are: the union of Mohamed's or Ahmed's
        # postings is large, and is only ever needed for membership tests.
        common: list[tuple[float, list[set[int]]]] = []
        for w, posts in groups:
            if max(len(p) for p in posts) > common_at:
                common.append((w, posts))
                continue
            found = posts[0] if len(posts) == 1 else set().union(*posts)
            if len(found) > common_at:
                common.append((w, [found]))
                continue
            for eid in found:
                scores[eid] = scores.get(eid, 0.0) + w
        if common:
            if scores:
                for w, posts in common:
                    for eid in scores:
                        if any(eid in p for p in posts):
                            scores[eid] += w
            else:
                unions = [
                    (w, posts[0] if len(posts) == 1 else set().union(*posts)) for w, posts in common
                ]
                unions.sort(key=lambda wf: len(wf[1]))
                both = unions[0][1] & unions[1][1] if len(unions) > 1 else unions[0][1]
                for eid in itertools.islice(both, budget * 8):
                    scores[eid] = sum(w for w, found in unions if eid in found)
        if min_share > 0:
            # Entries sharing too little of the query's weight cannot reach the threshold:
            # score <= shared / (shared + 0.4 * unshared) < 0.6 below this share.
            floor = min_share * sum(u.weight for u in units if u.kind != "initial")
            scores = {e: s for e, s in scores.items() if s >= floor}
        if len(scores) <= budget:
            return list(scores)
        return heapq.nlargest(budget, scores, key=scores.__getitem__)

    def search(self, query: str, limit: int = 10, threshold: float | None = None) -> list[Match]:
        """Best-matching records for ``query``, best first, one result per record key.

        ``threshold`` defaults to the library's calibrated default; pass 0.0 to see weak
        candidates too.
        """
        thr = DEFAULT_THRESHOLD if threshold is None else threshold
        units = prepare(query)
        if not units or limit <= 0:
            return []
        qnorm = _norm_key(query)
        best: dict[str, tuple[float, int]] = {}
        share = _MIN_SHARE if thr >= 0.5 else 0.0
        for eid in self._candidates(units, max(limit + 2, _SCORED_MIN), share):
            key, _name, norm, eunits = self._entries[eid]
            if norm == qnorm:
                score = 1.0
            elif qnorm < norm:
                score = score_units(units, eunits)
            else:
                score = score_units(eunits, units)
            if score >= thr and score > best.get(key, (-1.0, 0))[0]:
                best[key] = (score, eid)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        out: list[Match] = []
        for key, (score, eid) in ranked:
            name = self._entries[eid][1]
            out.append(Match(key, score, name, query))
        return out

    def save(self, path: str | Path) -> None:
        """Write the index as gzip-compressed JSON (names only; keys are rebuilt on load)."""
        doc = {"format": _FORMAT, "version": _VERSION, "records": self._names}
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False)

    @classmethod
    def load(cls, path: str | Path) -> NameIndex:
        """Read an index written by :meth:`save` (plain JSON: safe on untrusted files)."""
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            doc = json.load(fh)
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise ValueError("not a tawasul.names index file")
        if doc.get("version") != _VERSION:
            raise ValueError(f"unsupported index version {doc.get('version')!r}")
        idx = cls()
        records = doc.get("records", {})
        if not isinstance(records, dict):
            raise ValueError("malformed index file")
        for key, names in records.items():
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ValueError("malformed index file")
            idx.add(str(key), names)
        return idx
