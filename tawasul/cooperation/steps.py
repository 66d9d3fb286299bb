"""The guided builder's steps, in order. The checks file what is missing under a step, the
builder shows one step per screen and the review lists them all."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    code: str
    label: Promise


STEPS: tuple[Step, ...] = (
    Step("type", _("Type and parties")),
    Step("basis", _("Authority and legal basis")),
    Step("facts", _("Facts and offences")),
    Step("persons", _("Persons concerned")),
    Step("measures", _("Measures requested")),
    Step("conditions", _("Conditions and assurances")),
    Step("attachments", _("Attachments")),
    Step("review", _("Review and submit")),
)
STEP_CODES = tuple(step.code for step in STEPS)


def step(code: str) -> Step | None:
    return next((s for s in STEPS if s.code == code), None)


def next_step(code: str) -> str | None:
    index = STEP_CODES.index(code)
    return STEP_CODES[index + 1] if index + 1 < len(STEP_CODES) else None


def previous_step(code: str) -> str | None:
    index = STEP_CODES.index(code)
    return STEP_CODES[index - 1] if index > 0 else None
