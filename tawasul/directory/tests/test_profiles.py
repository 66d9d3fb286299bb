from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tawasul.audit.models import AuditEvent
from tawasul.directory.events import DirectoryEvent
from tawasul.directory.models import CountryProfile
from tawasul.directory.profile_schema import ProfileError, parse_profile
from tawasul.directory.services import country_profile_load, profiles_dir

pytestmark = pytest.mark.django_db

SHIPPED = ["BF", "DZ", "EG", "ES", "FR", "IQ", "JO", "LB", "LY", "MA", "ML", "MR", "NE", "TD", "TN"]


def load_shipped(*countries: str) -> None:
    for cc in countries or SHIPPED:
        country_profile_load(actor=None, path=profiles_dir() / f"{cc}.yaml")


def _copy(tmp_path: Path, cc: str, old: str, new: str, count: int = 1) -> Path:
    text = (profiles_dir() / f"{cc}.yaml").read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / f"{cc}.yaml"
    target.write_text(text.replace(old, new, count), encoding="utf-8")
    return target


def _line_of(path: Path, needle: str, start: int = 0) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if number > start and needle in line:
            return number
    raise AssertionError(needle)


def test_profiles_load_loads_every_shipped_profile(capsys):
    call_command("profiles_load")
    current = CountryProfile.objects.current()
    assert sorted(str(p.country) for p in current) == SHIPPED
    assert all(p.version == 1 for p in current)
    assert "MA: version 1 loaded" in capsys.readouterr().out
    assert AuditEvent.objects.filter(event_type=DirectoryEvent.PROFILE_LOADED).count() == 15


def test_every_fact_has_a_source_and_a_verified_flag():
    for cc in SHIPPED:
        profile, _ = parse_profile(profiles_dir() / f"{cc}.yaml")
        content = profile.model_dump()
        facts = [
            content["official_languages"],
            content["extradites_nationals"],
            content["death_penalty"],
        ]
        for group in (
            "accepted_languages",
            "central_authorities",
            "channels",
            "instruments",
            "measures",
        ):
            facts += list(content[group].values())
        facts += content["bilateral_treaties"]
        for fact in facts:
            assert fact["source"]
            assert isinstance(fact["verified"], bool)
            assert not fact["verified"] or fact["verified_on"]


def test_loading_again_unchanged_keeps_the_version(capsys):
    call_command("profiles_load", str(profiles_dir() / "TN.yaml"))
    call_command("profiles_load", str(profiles_dir() / "TN.yaml"))
    assert CountryProfile.objects.filter(country="TN").count() == 1
    assert "version 1 unchanged" in capsys.readouterr().out


def test_changed_profile_becomes_a_new_version_and_old_one_is_kept(tmp_path):
    load_shipped("TN")
    changed = _copy(
        tmp_path,
        "TN",
        "Practice reported by the central authority",
        "Circular of the Ministry of Justice",
    )
    profile, created = country_profile_load(actor=None, path=changed)
    assert created and profile.version == 2
    versions = CountryProfile.objects.filter(country="TN").order_by("version")
    assert [v.is_current for v in versions] == [False, True]


@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        # wrong type: a verified flag that is not a boolean
        (
            "  verified: true\n",
            "  verified: maybe\n",
            "official_languages.verified",
            "verified: maybe",
        ),
        # unknown instrument
        ("  untoc:\n", "  untoc_2099:\n", "instruments.untoc_2099", "untoc_2099:"),
        # missing source: the first fact loses its citation
        (
            "  source: Constitution of Morocco",
            "  origin: Constitution of Morocco",
            "official_languages.source",
            "official_languages:",
        ),
    ],
    ids=["wrong-type", "unknown-instrument", "missing-source"],
)
def test_malformed_profile_is_refused_with_file_line_and_field(tmp_path, old, new, field, needle):
    load_shipped("MA")
    bad = _copy(tmp_path, "MA", old, new)
    with pytest.raises(ProfileError) as refused:
        country_profile_load(actor=None, path=bad)
    error = refused.value
    assert error.path == "MA.yaml"
    assert error.field.startswith(field), error.field
    assert error.line == _line_of(bad, needle), str(error)
    assert str(error).startswith(f"MA.yaml:{error.line}: {error.field}")
    # the database keeps the previous version
    current = CountryProfile.objects.current().get(country="MA")
    assert current.version == 1
    assert CountryProfile.objects.filter(country="MA").count() == 1


def test_missing_source_names_the_source_field(tmp_path):
    bad = _copy(
        tmp_path, "MA", "  source: Constitution of Morocco", "  origin: Constitution of Morocco"
    )
    with pytest.raises(ProfileError) as refused:
        parse_profile(bad)
    assert refused.value.field == "official_languages.source"
    assert refused.value.message == "Field required"


def test_command_reports_refusal_and_exits_with_error(tmp_path, capsys):
    load_shipped("MA")
    bad = _copy(tmp_path, "MA", "  untoc:\n", "  untoc_2099:\n")
    with pytest.raises(CommandError):
        call_command("profiles_load", str(bad))
    err = capsys.readouterr().err
    line = _line_of(bad, "untoc_2099:")
    assert f"REFUSED MA.yaml:{line}: instruments.untoc_2099" in err
    assert CountryProfile.objects.current().get(country="MA").version == 1


def test_profile_whose_country_does_not_match_the_file_name_is_refused(tmp_path):
    bad = _copy(tmp_path, "MA", "country: MA", "country: TN")
    with pytest.raises(ProfileError) as refused:
        parse_profile(bad)
    assert refused.value.field == "country"
    assert refused.value.line == _line_of(bad, "country: TN")


def test_verified_fact_without_date_is_refused(tmp_path):
    bad = _copy(tmp_path, "MA", "  verified_on: 2026-11-22\n", "")
    with pytest.raises(ProfileError) as refused:
        parse_profile(bad)
    assert "verified_on" in refused.value.message
