"""A small guess of the language free text is written in, so the formal request can flag a
passage whose language is not the document's ("[texte rédigé en arabe]").

Arabic script means Arabic. Latin script is French or English by counting each language's
common short words (and French accents). The guess says None rather than guess wrongly: text
too short, scripts mixed, or no clear majority (Spanish, a list of account numbers, a name).
"""

from __future__ import annotations

import re

# Letters only: digits, punctuation and symbols say nothing about the language.
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_FRENCH_ACCENTS = re.compile(r"[éèêëàâîïôûùüçœÉÈÊÀÂÎÔÛÇŒ]")
# Accents French never uses: Spanish and Portuguese text.
_OTHER_ACCENTS = re.compile(r"[áíóúñãõÁÍÓÚÑ]")

# fmt: off
_FRENCH = frozenset({
    "le", "la", "les", "un", "une", "des", "du", "de", "au", "aux", "et", "est", "sont", "ou",
    "où", "que", "qui", "qu", "dans", "pour", "par", "sur", "avec", "sans", "en", "ce", "cette",
    "ces", "il", "elle", "ils", "elles", "nous", "vous", "leur", "leurs", "son", "sa", "ses",
    "se", "ne", "pas", "plus", "été", "être", "avoir", "ont", "a", "l", "d", "n", "s", "c", "j",
    "à", "entre", "aussi", "comme", "mais", "donc", "car", "lors", "selon", "auprès", "afin",
    "ainsi", "depuis", "dont"
})
_ENGLISH = frozenset({
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "from", "by", "with",
    "without", "is", "are", "was", "were", "be", "been", "has", "have", "had", "this", "that",
    "these", "those", "it", "its", "he", "she", "they", "them", "their", "his", "her", "which",
    "who", "whom", "not", "no", "as", "into", "upon", "under", "between", "also", "but", "so",
    "than", "then", "there", "where", "when", "while"
})
# Spanish, Italian and Portuguese share "de", "la", "a" with French: their own small words
# keep a Spanish bank name or an Italian address from passing for French.
_OTHER_ROMANCE = frozenset({
    "el", "los", "las", "del", "y", "que", "por", "con", "una", "para", "es", "en", "su", "sus",
    "lo", "al", "o", "e", "il", "gli", "della", "delle", "di", "che", "non", "per", "uma", "um",
    "os", "dos", "das", "da", "do", "em", "não", "desde"
})
# fmt: on

MIN_LETTERS = 12
MIN_WORDS = 3
# Share of the letters one script must hold for the text to count as written in it.
SCRIPT_MAJORITY = 0.7


def guess(text: str) -> str | None:
    """ "ar", "fr" or "en" for ``text``, or None when it is too short or the evidence unclear."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    letters = arabic + latin
    if letters < MIN_LETTERS:
        return None
    if arabic / letters >= SCRIPT_MAJORITY:
        return "ar"
    if latin / letters < SCRIPT_MAJORITY:
        return None
    words = [w.lower() for w in _WORD.findall(text) if _LATIN_LETTER.match(w)]
    if len(words) < MIN_WORDS:
        return None
    french = english = other = 0
    for word in words:
        # "l'article", "d'un", "qu'il": the elided article is the French part.
        head = re.split(r"['’]", word, maxsplit=1)[0] if re.search(r"['’]", word) else word
        french += head in _FRENCH
        english += word in _ENGLISH
        other += word in _OTHER_ROMANCE and word not in _FRENCH
    french += min(3, len(_FRENCH_ACCENTS.findall(text)))
    other += min(3, len(_OTHER_ACCENTS.findall(text)))
    best = max(french, english)
    # Two clues at least, twice the other side's, and more than the other Romance languages'.
    if best < 2 or other >= best:
        return None
    if french >= 2 * english and french > english:
        return "fr"
    if english >= 2 * french and english > french:
        return "en"
    return None


def differs(text: str, language: str) -> str | None:
    """The language ``text`` seems written in when it is not ``language``, else None."""
    found = guess(text)
    return found if found and found != language else None
