"""Handover when a focal point rotates: each app that holds duties or case work registers a
step here; the directory's handover service runs them all in one transaction, with one audit
event, so a rotation never leaves a request or a thread behind.

A step takes the predecessor, the successor and the acting user and returns how many items it
moved. It must not write its own audit event (the handover's event lists the counts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HandoverStep = Callable[..., int]
_STEPS: dict[str, HandoverStep] = {}


def register_handover_step(name: str, step: HandoverStep) -> None:
    """Register ``step(*, predecessor, successor, actor) -> int`` under a stable name."""
    _STEPS[name] = step


def run_handover_steps(*, predecessor: Any, successor: Any, actor: Any) -> dict[str, int]:
    return {
        name: step(predecessor=predecessor, successor=successor, actor=actor)
        for name, step in sorted(_STEPS.items())
    }
