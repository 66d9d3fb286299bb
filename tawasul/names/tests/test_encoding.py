"""Privacy-preserving encodings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawasul.names import encode, encoded_similarity

SECRET = b"shared-secret"


def test_encoding_is_deterministic_bytes() -> None:
    x = encode("Mohamed Abderrahmane El Zahrani", SECRET)
    assert isinstance(x, bytes)
    assert x == encode("Mohamed Abderrahmane El Zahrani", SECRET)
    assert encoded_similarity(x, x) == 1.0


def test_encoding_matches_across_scripts_better_than_different_names() -> None:
    a = encode("محمد عبد الرحمن الزهراني", SECRET)
    b = encode("Mohamed Abderrahmane El Zahrani", SECRET)
    c = encode("Khalid Hassan Mansouri", SECRET)
    assert encoded_similarity(a, b) > 0.8
    assert encoded_similarity(a, b) > encoded_similarity(a, c) + 0.4


def test_encoding_depends_on_secret() -> None:
    a = encode("Djamel Cherif", SECRET)
    b = encode("Djamel Cherif", b"another secret")
    assert a != b
    assert encoded_similarity(a, b) < 0.5


def test_encoded_similarity_rejects_foreign_bytes() -> None:
    with pytest.raises(ValueError):
        encoded_similarity(b"abc", encode("Ali", SECRET))


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
def test_encoded_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    x, y = encode(a, SECRET), encode(b, "shared-secret")
    s = encoded_similarity(x, y)
    assert 0.0 <= s <= 1.0
    assert s == encoded_similarity(y, x)
