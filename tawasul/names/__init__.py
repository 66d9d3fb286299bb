"""Person-name matching across Arabic script and French, English and Egyptian Latin spellings.

Public API::

    from tawasul.names import similarity, explain, NameIndex, encode, encoded_similarity

    similarity("محمد عبد الرحمن الزهراني", "Mohamed Abderrahmane El Zahrani")  # 1.0
    similarity("Abu Ali", "Abu Ali al-Tunisi")  # < DEFAULT_THRESHOLD: a kunya alone
    print(explain("Djamel Cherif", "Jamal Sharif"))

Scores at or above ``tawasul.names.score.DEFAULT_THRESHOLD`` (0.60) mean "probably the same
name", for Arabic↔Latin and Latin↔Latin alike.  Plain Python (no Django).  Measured accuracy
and speed: ``docs/benchmarks/names.md``.
"""

from tawasul.names.encoding import encode, encoded_similarity
from tawasul.names.index import Match as Match  # re-exported on purpose, not in __all__
from tawasul.names.index import NameIndex
from tawasul.names.score import explain, similarity

__all__ = ["NameIndex", "encode", "encoded_similarity", "explain", "similarity"]
