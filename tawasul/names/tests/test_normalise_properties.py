"""Property tests of the name normaliser, the first parser of outside input every search and
screening row goes through: any text, in any script, gives a result without error, free of the
marks normalisation removes; Arabic folding is stable under a second pass."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tawasul.names import explain, similarity
from tawasul.names.normalize import (
    _parse_in_context,
    normalize_arabic,
    normalize_latin,
    parse_tokens,
    tokens,
)

ARABIC_LETTERS = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
ANY_TEXT = st.text(max_size=60)
MIXED = st.text(
    alphabet=st.one_of(
        ARABIC_LETTERS, st.characters(max_codepoint=0x024F), st.sampled_from(" -'ʿ’.")
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_normalising_any_text_never_fails_and_arabic_folding_is_idempotent(text):
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once
    # (Latin normalisation is not idempotent on purpose: Arabizi digits next to letters are
    # read as letters, so "22a" → "2a" → "a"; it runs once per name.)
    assert isinstance(normalize_latin(text), str)


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_arabic_normalisation_removes_diacritics_and_tatweel(text):
    out = normalize_arabic(text)
    assert "\u0640" not in out  # tatweel
    assert not any("\u064b" <= ch <= "\u0652" for ch in out)  # harakat


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_latin_normalisation_leaves_no_accent_or_capital(text):
    out = normalize_latin(text)
    assert out == out.lower()
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", out))


@settings(max_examples=200, deadline=None)
@given(MIXED, MIXED)
def test_scoring_and_explaining_any_pair_never_fails(a, b):
    score = similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert isinstance(explain(a, b), object)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "al",
                    "el",
                    "ben",
                    "abu",
                    "abdul",
                    "abd",
                    "eddine",
                    "allah",
                    "sheikh",
                    "ال",
                    "عبد",
                    "ابو",
                    "بن",
                    "الله",
                    "Mohamed",
                    "Karim",
                    "محمد",
                    "x",
                ]
            ),
            st.text(alphabet=st.characters(max_codepoint=0x06FF), min_size=1, max_size=8),
        ),
        max_size=6,
    ).map(" ".join)
)
def test_word_by_word_parse_equals_parse_in_context(text):
    # parse_tokens parses names without context words one word at a time (cached per word)
    toks = tokens(text)
    assert parse_tokens(toks) == _parse_in_context(list(toks))
