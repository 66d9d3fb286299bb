"""The schema of a country profile (data/profiles/<CC>.yaml) and its validation.

Every fact is wrapped: ``value`` plus ``source`` (a citation, required), ``verified`` (true or
false), ``verified_on`` (the date it was checked, required when verified) and an optional
``note``. Unknown keys, unknown instruments, measures or channels are refused, so a typo cannot
silently drop a fact. Errors name the file, the line and the field.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tawasul.directory.models import Competence, WorkingLanguage

T = TypeVar("T")


class RequestType(StrEnum):
    MLA = "mla"
    EXTRADITION = "extradition"
    POLICE = "police_information"


class Channel(StrEnum):
    DIRECT_JUDICIAL = "direct_judicial"
    CENTRAL_AUTHORITY = "central_authority"
    DIPLOMATIC = "diplomatic"
    INTERPOL = "interpol"


class Instrument(StrEnum):
    UNTOC = "untoc"
    UNTOC_TIP = "untoc_tip_protocol"
    UNTOC_SOM = "untoc_som_protocol"
    UNCAC = "uncac"
    ICSFT_1999 = "icsft_1999"
    RIYADH_1983 = "riyadh_1983"
    ARAB_CT_1998 = "arab_ct_1998"
    ARAB_TOC_2010 = "arab_toc_2010"
    BUDAPEST = "budapest"
    COE_MLA_1959 = "coe_mla_1959"
    COE_EXTRADITION_1957 = "coe_extradition_1957"
    EU_MLA_2000 = "eu_mla_2000"
    EU_EAW_2002 = "eu_eaw_2002"


class Measure(StrEnum):
    SEARCH_SEIZURE = "search_seizure"
    BANK_RECORDS = "bank_records"
    FREEZING = "freezing"
    CONFISCATION = "confiscation"
    SUBSCRIBER_DATA = "subscriber_data"
    CONTENT_DATA = "content_data"
    EXPEDITED_PRESERVATION = "expedited_preservation"
    VIDEOCONFERENCE = "videoconference"
    SERVICE_OF_DOCUMENTS = "service_of_documents"
    WITNESS_HEARING = "witness_hearing"
    PROVISIONAL_ARREST = "provisional_arrest"
    JOINT_INVESTIGATION_TEAM = "joint_investigation_team"


Language = Literal["ar", "fr", "en", "es", "it", "pt", "de", "ku", "zgh"]
_LANGS = set(WorkingLanguage.values)
OffenceCategory = Literal[
    "terrorism",
    "ftf",
    "terrorist_financing",
    "tip",
    "som",
    "e_evidence",
    "asset_recovery",
    "extradition",
]
if set(OffenceCategory.__args__) != set(Competence.values):  # type: ignore[attr-defined]
    raise RuntimeError("OffenceCategory must list the directory's competences")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fact(_Strict, Generic[T]):
    value: T
    source: str = Field(min_length=3)
    verified: bool
    verified_on: date | None = None
    note: str = ""

    @model_validator(mode="after")
    def _verified_needs_date(self) -> Fact[T]:
        if self.verified and self.verified_on is None:
            raise ValueError("a verified fact needs verified_on (the date it was checked)")
        return self


class InstrumentStatus(_Strict):
    status: Literal["party", "signatory", "not_party"]
    in_force_since: date | None = None


class CentralAuthority(_Strict):
    name_en: str = Field(min_length=2)
    name_fr: str = ""
    name_ar: str = ""
    address: str = ""


class Channels(_Strict):
    accepted: list[Channel] = Field(min_length=1)
    urgent: Channel


class Bilateral(_Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    title: str = Field(min_length=3)
    covers: list[RequestType] = Field(min_length=1)
    in_force_since: date | None = None


class MeasureInfo(_Strict):
    availability: Literal["available", "not_available", "partly"]
    competent_body: str = ""
    notes: str = ""


class CountryProfileSchema(_Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    official_languages: Fact[list[Language]]
    accepted_languages: dict[RequestType, Fact[list[Language]]]
    central_authorities: dict[Literal["mla", "extradition"], Fact[CentralAuthority]]
    channels: dict[RequestType, Fact[Channels]]
    instruments: dict[Instrument, Fact[InstrumentStatus]]
    bilateral_treaties: list[Fact[Bilateral]] = []
    extradites_nationals: Fact[Literal["yes", "no", "conditional"]]
    death_penalty: Fact[Literal["abolitionist", "retentionist", "moratorium"]]
    content_requirements: dict[RequestType, Fact[list[str]]] = {}
    # Days the country is known to take to answer, by family of request (when documented).
    expected_response_days: dict[RequestType, Fact[int]] = {}
    measures: dict[Measure, Fact[MeasureInfo]] = {}


# --- loading with line numbers ------------------------------------------------------------


class ProfileError(Exception):
    """A refused profile: ``str(error)`` names the file, the line and the field."""

    def __init__(self, path: str, line: int, field: str, message: str) -> None:
        self.path, self.line, self.field, self.message = path, line, field, message
        super().__init__(f"{path}:{line}: {field or '(file)'}: {message}")


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest node ``loc`` reaches in the YAML tree."""
    line = (node.start_mark.line + 1) if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if str(key.value) == str(part):
                    found = value
                    line = key.start_mark.line + 1
                    break
            if found is None:
                return line
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            # pydantic adds the generic class name to union/nested locations; drop it
            text = str(part)
            if text.startswith(("Fact[", "function-")):
                continue
            parts.append(("." if parts else "") + text)
    return "".join(parts)


def parse_profile(path: Path) -> tuple[CountryProfileSchema, str]:
    """Read and validate one profile file; return the model and the file's text."""
    display = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(display, 1, "", f"cannot read the file ({error})") from error
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ProfileError(display, line, "", f"not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise ProfileError(display, 1, "", "a profile is a mapping of fields")
    try:
        profile = CountryProfileSchema.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        raise ProfileError(display, _line_of(node, loc), _field_path(loc), first["msg"]) from error
    if path.stem.upper() != profile.country:
        raise ProfileError(
            display,
            _line_of(node, ("country",)),
            "country",
            f"the file name says {path.stem.upper()} but the profile says {profile.country}",
        )
    for i, treaty in enumerate(profile.bilateral_treaties):
        if treaty.value.country == profile.country:
            raise ProfileError(
                display,
                _line_of(node, ("bilateral_treaties", i, "value", "country")),
                f"bilateral_treaties[{i}].value.country",
                "a bilateral treaty names the other country",
            )
    return profile, text
