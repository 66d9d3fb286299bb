"""Gateways of the person index: the only way a view or API handler reaches a person record,
a hit, a screening job or a victim record. Foreign and missing objects give the same audited
404 (``tawasul.core.access.fetch_or_404``)."""

from __future__ import annotations

from typing import Any

from tawasul.core.access import Need, fetch_or_404
from tawasul.persons.models import Hit, PersonRecord, ScreeningJob, VictimRecord, VictimReferral


def access_person_record(user: Any, record_id: object, *, need: Need = Need.VIEW) -> PersonRecord:
    """A record of the user's own country, for its focal points, border officers and central
    authority (VIEW and CHANGE). Anyone else — other countries (hit/no-hit via search only),
    coordinators, national admins, oversight — gets the same audited 404 as for a missing record."""
    return fetch_or_404(
        PersonRecord.objects.select_related("originator", "originator__agency").prefetch_related(
            "names", "documents"
        ),
        user,
        record_id,
        need=need,
        object_type="person_record",
    )


def access_hit(user: Any, hit_id: object, *, need: Need = Need.VIEW) -> Hit:
    """A hit: VIEW for its searcher and for person-index users of the record's country; CHANGE
    (confirm or reject) only for a focal point of the record's country. Anyone else —
    coordinators, national admins, oversight included — gets the audited 404."""
    return fetch_or_404(
        Hit.objects.select_related(
            "record",
            "record__originator",
            "record__originator__agency",
            "searcher",
            "searcher__agency",
            "decided_by",
        ),
        user,
        hit_id,
        need=need,
        object_type="person_hit",
    )


def access_screening_job(user: Any, job_id: object, *, need: Need = Need.VIEW) -> ScreeningJob:
    """A screening list, for its uploader only (VIEW and CHANGE); anyone else — colleagues,
    coordinators, national admins, oversight — gets the same audited 404 as for a missing one."""
    return fetch_or_404(
        ScreeningJob.objects.all(), user, job_id, need=need, object_type="screening_job"
    )


def access_victim(user: Any, victim_id: object, *, need: Need = Need.VIEW) -> VictimRecord:
    """A victim record of the user's own country, for its victim-protection users (VIEW and
    CHANGE). Anyone else — partner countries (who see only referrals), other roles,
    coordinators, national admins, oversight — gets the audited 404."""
    return fetch_or_404(
        VictimRecord.objects.all(), user, victim_id, need=need, object_type="victim_record"
    )


def access_referral(user: Any, referral_id: object, *, need: Need = Need.VIEW) -> VictimReferral:
    """A referral: VIEW for victim-protection users of the sending or receiving country;
    CHANGE (its status) only for the receiving country's. Anyone else gets the audited 404."""
    return fetch_or_404(
        VictimReferral.objects.select_related("sent_by", "status_by", "victim"),
        user,
        referral_id,
        need=need,
        object_type="victim_referral",
    )
