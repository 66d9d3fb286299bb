"""Handling and evaluation codes (as in Europol's SIENA), shared by every app that carries
information between countries: messages, attachments, person records, requests.

The originator owns its data: the most restrictive code of the items in a thread or a document
applies to the whole, and restrictions travel with the data.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class HandlingCode(models.TextChoices):
    H0 = "H0", _("H0 — use only to prevent and combat crime")
    H1 = "H1", _("H1 — not for judicial proceedings without the originator's permission")
    H2 = "H2", _("H2 — not to be passed on without the originator's permission")
    H3 = "H3", _("H3 — other restrictions, stated")


# H3's restrictions are free text and may forbid anything, so it ranks highest.
_RANK = {HandlingCode.H0: 0, HandlingCode.H1: 1, HandlingCode.H2: 2, HandlingCode.H3: 3}


def most_restrictive(codes: Iterable[str]) -> HandlingCode:
    """The code that governs a set of items (H0 for none)."""
    ranked = [HandlingCode(c) for c in codes]
    return max(ranked, key=_RANK.__getitem__, default=HandlingCode.H0)


class SourceReliability(models.TextChoices):
    A = "A", _("A — no doubt about the source's reliability")
    B = "B", _("B — source usually reliable")
    C = "C", _("C — source not usually reliable")
    X = "X", _("X — reliability cannot be assessed")


class InformationAccuracy(models.TextChoices):
    ONE = "1", _("1 — known to be true without reservation")
    TWO = "2", _("2 — known personally to the source but not to the official passing it on")
    THREE = "3", _("3 — not known personally to the source but corroborated")
    FOUR = "4", _("4 — cannot be judged")


class HandledItem(models.Model):
    """The codes every item passed between countries carries: how it may be handled (H3 with
    its restriction in words) and how far its source and content can be trusted."""

    handling_code = models.CharField(
        _("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0
    )
    restriction = models.CharField(_("stated restriction (H3)"), max_length=500, blank=True)
    source_reliability = models.CharField(
        _("source reliability"),
        max_length=1,
        choices=SourceReliability.choices,
        default=SourceReliability.X,
    )
    information_accuracy = models.CharField(
        _("information accuracy"),
        max_length=1,
        choices=InformationAccuracy.choices,
        default=InformationAccuracy.FOUR,
    )

    class Meta:
        abstract = True


H1_NOTICE = _("Not for use in judicial proceedings without the originator's permission (H1).")
