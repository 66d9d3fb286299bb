"""Gateways of the person index: the only way a view or API handler reaches a person record,
a hit, a screening job or a victim record. Foreign and missing objects give the same audited
404 (``tawasul.core.access.fetch_or_404``)."""

from __future__ import annotations

from typing import Any

from tawasul.core.access import Need, fetch_or_404
from tawasul.persons.models import Hit, PersonRecord, ScreeningJob, VictimRecord, VictimReferral


def access_person_record(user: Any, record_id: object, *, need: Need = Need.VIEW) -> PersonRecord:
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
    return fetch_or_404(
        ScreeningJob.objects.all(), user, job_id, need=need, object_type="screening_job"
    )


def access_victim(user: Any, victim_id: object, *, need: Need = Need.VIEW) -> VictimRecord:
    return fetch_or_404(
        VictimRecord.objects.all(), user, victim_id, need=need, object_type="victim_record"
    )


def access_referral(user: Any, referral_id: object, *, need: Need = Need.VIEW) -> VictimReferral:
    return fetch_or_404(
        VictimReferral.objects.select_related("sent_by", "status_by", "victim"),
        user,
        referral_id,
        need=need,
        object_type="victim_referral",
    )
