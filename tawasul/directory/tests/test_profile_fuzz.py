"""Property tests of the country-profile parser (YAML from outside the code base): whatever the
file holds — random bytes, random YAML structures, a real profile with a line damaged — the
parser either accepts it or refuses it with a ProfileError naming a line; never another
exception."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawasul.directory.profile_schema import ProfileError, parse_profile
from tawasul.directory.services import profiles_dir

SHIPPED = (profiles_dir() / "MA.yaml").read_text(encoding="utf-8").splitlines()
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
structures = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def _parse(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "MA.yaml"
    path.write_bytes(data)
    try:
        parse_profile(path)
    except ProfileError as error:
        assert error.line >= 1
        assert str(error).startswith("MA.yaml:")


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_are_refused_cleanly(tmp_path, data):
    _parse(tmp_path, data)


@FUZZ
@given(structures)
def test_random_yaml_structures_are_refused_cleanly(tmp_path, value):
    _parse(tmp_path, yaml.safe_dump(value, allow_unicode=True).encode())


@FUZZ
@given(st.integers(min_value=0, max_value=len(SHIPPED) - 1), st.text(max_size=40))
def test_a_real_profile_with_one_line_damaged_is_accepted_or_refused_cleanly(
    tmp_path, index, replacement
):
    lines = list(SHIPPED)
    lines[index] = replacement
    _parse(tmp_path, "\n".join(lines).encode("utf-8", "surrogatepass"))


def test_the_shipped_profile_parses(tmp_path):
    profile, _text = parse_profile(profiles_dir() / "MA.yaml")
    assert profile.country == "MA"
