"""Cross-script keys: Arabic script and Latin spellings mapped to one comparable alphabet.

Two keys are derived for every name unit:

``skel`` — a consonant skeleton over 17 classes.  Arabic does not write short vowels, and
Latin spellings disagree on them ("Mohamed"/"Muhammad"), so the skeleton drops vowels,
medial w/y, ayn and hamza, and folds letters that the conventions spell differently:

* French ``ch`` / English ``sh`` / ``ش`` -> ``C``; French ``dj``, English ``j``, Egyptian
  ``g`` / ``ج`` -> ``J``; ``kh``/``x`` -> ``X``; ``gh``/``q``/``k``/hard ``c`` (غ ق ك) -> ``K``;
  ``th`` (ث) -> ``T``; ``dh`` (ذ/ض) -> ``D``; French ``ou`` / English ``u`` / ``w`` -> vowel.
* Latin double letters collapse (Arabic does not write shadda).

``vkey`` — the same consonants with vowel *classes* (a, i, u) kept, used between two Latin
spellings to tell Hassan from Hussein, Saad from Said, Omar from Amr, which share a skeleton.

Both are pure functions of the unit text and are cached.
"""

from __future__ import annotations

import re
from functools import lru_cache

_AR_CONS = {
    "ب": "B",
    "پ": "B",
    "ت": "T",
    "ط": "T",
    "ث": "T",
    "ج": "J",
    "ژ": "J",
    "گ": "J",
    "چ": "C",
    "ح": "H",
    "ه": "H",
    "خ": "X",
    "د": "D",
    "ض": "D",
    "ذ": "D",
    "ر": "R",
    "ز": "Z",
    "ظ": "Z",
    "س": "S",
    "ص": "S",
    "ش": "C",
    "غ": "K",  # Persian writes ق as gh (Sadeghi), French غ as gh/rh: one class
    "ف": "F",
    "ق": "K",
    "ك": "K",
    "ل": "L",
    "م": "M",
    "ن": "N",
}
_AR_SILENT = frozenset("عءا")


@lru_cache(maxsize=131072)
def arabic_skeleton(word: str) -> str:
    """Consonant skeleton of a normalised Arabic-script word."""
    return _arabic_skeleton(word, _NO_OVERRIDE)


_NO_OVERRIDE: dict[str, str] = {}


def _arabic_skeleton(word: str, override: dict[str, str]) -> str:
    out: list[str] = []
    last = len(word) - 1
    for i, ch in enumerate(word):
        c = override.get(ch) or _AR_CONS.get(ch)
        if c == "-":
            if i == last:
                continue  # final ح written -ah/-eh in Latin, whose final h we drop
            c = _AR_CONS.get(ch)
        if c is not None:
            if ch == "ه" and i == last and i > 0:
                continue  # ta marbuta / final -ah: "Fatima", "Zadeh"
            out.append(c)
        elif ch == "و" or ch == "ي":
            if i == 0:
                out.append("W" if ch == "و" else "Y")
            # medial/final: a long vowel (or a glide the Latin side also drops)
        elif ch in _AR_SILENT:
            continue
        elif ch.isalnum():
            out.append(ch.upper())
    return "".join(out)


# Letters whose Latin spelling depends on the region: ض is d (Ramadan) or z (Persian Ramazan),
# ذ/ظ d or z, ث t or s (Osman), ق k/q or g (Gulf and Sudan: Gergawi).
_AR_ALT = {"ض": "Z", "ذ": "ZT", "ظ": "DT", "ث": "S", "ق": "J", "ح": "-"}
_MAX_VARIANTS = 6


# Urdu aspirates are written with do-chashmi he (normalised to ه): کھ = "kh", بھ = "bh".
_AR_ASPIRATE = {"كه": "X", "گه": "J", "به": "B", "په": "B", "ته": "T", "ده": "D", "جه": "J"}
_ASPIRATE_CODES = {a: chr(1 + i) for i, a in enumerate(_AR_ASPIRATE)}
_ASPIRATE_CLASSES = {chr(1 + i): c for i, c in enumerate(_AR_ASPIRATE.values())}
_DOUBLED = re.compile(r"(.)\1", re.DOTALL)


@lru_cache(maxsize=131072)
def arabic_skeletons(word: str) -> tuple[str, ...]:
    """The skeleton plus regional alternatives (at most 6), primary first."""
    out = _arabic_variants(word)
    extra: list[str] = []
    if "دج" in word:
        # Algerian Arabic spells the French "dj" as دج (اوزنادجي "Ouznadji")
        extra.append(arabic_skeleton(word.replace("دج", "ج")))
    body = word[:-1]
    # every aspirate ends in ه: one C-level test rules most words out
    if "ه" in body and any(a in body for a in _AR_ASPIRATE):
        for a, code in _ASPIRATE_CODES.items():
            body = body.replace(a, code)
        extra.append(_arabic_skeleton(body + word[-1], _ASPIRATE_CLASSES))
    primary = out[0]
    if _DOUBLED.search(primary):
        collapsed = "".join(c for i, c in enumerate(primary) if i == 0 or c != primary[i - 1])
        extra.append(collapsed)  # لل in عطالله: Latin "Atallah" writes one l
    if not extra:
        return out  # already distinct and at most _MAX_VARIANTS long
    return tuple(dict.fromkeys((*out, *extra)))[:_MAX_VARIANTS]


def _arabic_variants(word: str) -> tuple[str, ...]:
    amb = [ch for ch in _AR_ALT if ch in word]
    if amb and amb[-1] == "ح" and word[-1] != "ح":
        # ح reads differently only at the end of a word: elsewhere its variants repeat the
        # others (ح comes last in _AR_ALT, so dropping it moves no other variant)
        amb.pop()
    primary = arabic_skeleton(word)
    if not amb:
        return (primary,)
    # Only the first _MAX_VARIANTS overrides are used, and each round only appends to the
    # list: building the rest (up to 144 dicts) would be wasted.
    overrides: list[dict[str, str]] = [{}]
    for ch in amb:
        if len(overrides) >= _MAX_VARIANTS:
            break
        overrides += [{**o, ch: alt} for alt in _AR_ALT[ch] for o in overrides]
    out = [primary]  # overrides[0] is {}: the cached primary skeleton
    for o in overrides[1:_MAX_VARIANTS]:
        v = _arabic_skeleton(word, o)
        if v not in out:
            out.append(v)
    return tuple(out)


@lru_cache(maxsize=131072)
def arabic_vkey(word: str) -> str:
    """Skeleton with long vowels as a/i/u (Arabic writes only long vowels)."""
    out: list[str] = []
    last = len(word) - 1
    for i, ch in enumerate(word):
        c = _AR_CONS.get(ch)
        if c is not None:
            if ch == "ه" and i == last and i > 0:
                out.append("a")
                continue
            out.append(c)
        elif ch == "و":
            out.append("W" if i == 0 else "u")
        elif ch == "ي":
            out.append("Y" if i == 0 else "i")
        elif ch == "ا":
            out.append("a")
        elif ch in "عء":
            continue
        elif ch.isalnum():
            out.append(ch.upper())
    return _collapse_vowels("".join(out))


# Latin: longest-first digraphs.
_LA_TRI = {"sch": "C", "tch": "C", "dsh": "J"}
_LA_DI = {
    "sh": "C",
    "ch": "C",
    "kh": "X",
    "gh": "K",
    "th": "T",
    "dh": "D",
    "zh": "J",
    "ph": "F",
    "bh": "B",  # Urdu aspirate (Bhutto)
    "dj": "J",
    "dz": "J",
    "ck": "K",
    "ts": "S",
}
_LA_ONE = {
    "b": "B",
    "p": "B",
    "t": "T",
    "j": "J",
    "g": "J",
    "h": "H",
    "x": "X",
    "d": "D",
    "r": "R",
    "z": "Z",
    "s": "S",
    "f": "F",
    "q": "K",
    "k": "K",
    "l": "L",
    "m": "M",
    "n": "N",
}
_VOWEL_CHARS = frozenset("aeiouy")
_LA_VOWEL = {"a": "a", "e": "a", "i": "i", "o": "u", "u": "u", "y": "i"}


# Letters that may start a digraph or trigraph (sch, sh, ou, ee …): only these need a look
# at the next letters.
_LA_MULTI_FIRST = frozenset({k[0] for k in (*_LA_TRI, *_LA_DI)} | {"o", "e"})
# Letters with no context rule: one class each (c, w, v, y, h depend on their neighbours).
_LA_PLAIN = {
    **{k: v for k, v in _LA_VOWEL.items() if k != "y"},
    **{k: v for k, v in _LA_ONE.items() if k != "h"},
}


@lru_cache(maxsize=131072)
def _latin_seq(word: str) -> tuple[str, ...]:
    """Latin word -> sequence of consonant classes and vowel classes (lower-case a/i/u)."""
    out: list[str] = []
    n = len(word)
    i = 0
    prev_letter = ""
    plain = _LA_PLAIN
    while i < n:
        ch = word[i]
        if ch == prev_letter and ch not in "aeiou":
            i += 1  # double consonant: one Arabic letter with shadda
            continue
        if ch in _LA_MULTI_FIRST:
            tri = word[i : i + 3]
            if tri in _LA_TRI:
                out.append(_LA_TRI[tri])
                prev_letter = tri[-1]
                i += 3
                continue
            di = tri[:2]
            if di == "ou" and word[i + 2 : i + 3] in _VOWEL_CHARS:
                # French "ou" before a vowel is a w: Ouahid, Naoual
                out.append("W" if i == 0 else "v")
                prev_letter = "u"
                i += 2
                continue
            if di in ("ee", "oo"):
                out.append("i" if di == "ee" else "u")
                prev_letter = di[-1]
                i += 2
                continue
            if di in _LA_DI:
                out.append(_LA_DI[di])
                prev_letter = di[-1]
                i += 2
                continue
        c = plain.get(ch)
        if c is not None:
            out.append(c)
        elif ch == "c":
            nxt = word[i + 1 : i + 2]
            out.append("S" if nxt in ("e", "i", "y") else "K")
        elif ch in ("w", "v"):
            # medial w/v before a vowel is consonantal (marker "v": dropped from skeletons)
            nxt = word[i + 1 : i + 2]
            out.append("W" if i == 0 else ("v" if nxt in _VOWEL_CHARS else "u"))
        elif ch == "y":
            nxt = word[i + 1 : i + 2]
            out.append("Y" if i == 0 and nxt in ("a", "e", "i", "o", "u") else "i")
        elif ch == "h":
            # final -ah/-eh: ta marbuta or Persian final he
            if not (i == n - 1 and i > 0 and word[i - 1] in "ae"):
                out.append("H")
        elif ch.isalnum():
            out.append(ch.upper())
        prev_letter = ch
        i += 1
    return tuple(out)


@lru_cache(maxsize=131072)
def latin_skeleton(word: str) -> str:
    """Consonant skeleton of a normalised Latin word (same alphabet as Arabic)."""
    seq = _latin_seq(word)
    # Collapse a class repeated across a digraph boundary ("Abderrahmane" -> r once).
    out: list[str] = []
    prev = ""
    for s in seq:
        if s.islower() or (s == prev and s not in "WY"):
            # vowels dropped; identical classes with no vowel between ("ssh", "tth") are one
            # Arabic letter written twice
            prev = s
            continue
        out.append(s)
        prev = s
    return "".join(out)


@lru_cache(maxsize=131072)
def latin_alt_skeletons(word: str) -> tuple[str, ...]:
    """Alternative skeletons for ambiguous Latin spellings (g, rh, dh, split digraphs…)."""
    out: list[str] = []
    if "g" in word and "g" in word.replace("gh", ""):
        # "gh" already maps to K; turn the remaining g into q (K) and keep gh intact
        out.append(
            latin_skeleton(word.replace("gh", "\x01").replace("g", "q").replace("\x01", "gh"))
        )
    if "rh" in word:
        out.append(latin_skeleton(word.replace("rh", "gh")))  # French rh for غ: Rherras
    if "dh" in word:
        out.append(latin_skeleton(word.replace("dh", "z")))  # ض/ذ/ظ: Dhia / Zia
    rest = word[1:]
    if "sh" in rest or "th" in rest or "dh" in rest:
        # a digraph that is two letters: Ishaq (اسحاق), Fathi (فتحي), Dhani / Dahani
        split = word[0] + word[1:].replace("sh", "s-h").replace("th", "t-h").replace("dh", "d-h")
        out.append(latin_skeleton(split))
    if len(word) >= 5 and word[:2] in ("al", "el") and word[2] in "aeiou":
        # article glued before ayn: Alolom (العلوم), Alatar (العطار), Alarrayed (العريض)
        out.append(latin_skeleton(word[2:]))
    if not out:
        return ()  # most words: nothing ambiguous
    primary = latin_skeleton(word)
    return tuple(dict.fromkeys(a for a in out if a != primary))


@lru_cache(maxsize=131072)
def latin_glides(word: str) -> int:
    """Number of consonantal medial w/v (Alawi, Naoual, Javad)."""
    return _latin_seq(word).count("v")


@lru_cache(maxsize=131072)
def latin_vkey(word: str) -> str:
    """Consonant classes with vowel classes a/i/u, vowel runs collapsed."""
    return _collapse_vowels("".join(_latin_seq(word)))


def _collapse_vowels(s: str) -> str:
    """Collapse runs of vowel classes: a run with i -> i, else with u -> u, else a."""
    out: list[str] = []
    run = ""
    for ch in s:
        if ch.islower():  # vowels, and "v" (medial consonantal w) which spellings often
            run += "u" if ch == "v" else ch  # write as a vowel: Daoud / Daoued / Dawud
            continue
        if run:
            out.append("i" if "i" in run else ("u" if "u" in run else "a"))
            run = ""
        out.append(ch)
    if run:
        out.append("i" if "i" in run else ("u" if "u" in run else "a"))
    return "".join(out)
