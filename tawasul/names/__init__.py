"""Person-name matching across Arabic script and French, English and Egyptian Latin spellings.

Public API::

    from tawasul.names import similarity, explain, NameIndex, encode, encoded_similarity

Plain Python (no Django); see ``docs/benchmarks/names.md`` for measured accuracy and speed.
"""

from tawasul.names.encoding import encode, encoded_similarity
from tawasul.names.index import Match, NameIndex
from tawasul.names.score import DEFAULT_THRESHOLD, explain, similarity

__all__ = ["NameIndex", "encode", "encoded_similarity", "explain", "similarity"]

# Re-exported for convenience, deliberately not in __all__ (the public API is the five above).
_ = (Match, DEFAULT_THRESHOLD)
