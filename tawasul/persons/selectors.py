"""Reads of the person index, filtered by the same rules as the gateways."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.names import explain, similarity
from tawasul.persons.disclosure import disclose
from tawasul.persons.models import (
    Hit,
    HitStatus,
    PersonNotification,
    PersonRecord,
    ScreeningJob,
    VictimRecord,
    VictimReferral,
)


def records_for(user: Any, *, q: str = "", past_review: bool = False) -> QuerySet[PersonRecord]:
    """The user's country's records (full view), optionally only those past review."""
    records = PersonRecord.objects.visible_to(user).prefetch_related("names")
    if past_review:
        records = records.filter(review_date__lt=timezone.localdate())
    q = q.strip()
    if q:
        records = records.filter(
            Q(reference__icontains=q) | Q(names__full_name__icontains=q)
        ).distinct()
    return records.select_related("originator")


def past_review_count(user: Any) -> int:
    return (
        PersonRecord.objects.visible_to(user).filter(review_date__lt=timezone.localdate()).count()
    )


def hits_to_decide(user: Any) -> QuerySet[Hit]:
    """Possible hits on the user's country's records."""
    return (
        Hit.objects.visible_to(user)
        .filter(record__country=str(user.country), status=HitStatus.POSSIBLE)
        .select_related("record", "searcher", "searcher__agency")
    )


def my_hits(user: Any) -> QuerySet[Hit]:
    return (
        Hit.objects.visible_to(user)
        .filter(searcher=user, job__isnull=True)
        .select_related("record", "decided_by")
    )


def notifications_for(user: Any) -> QuerySet[PersonNotification]:
    return PersonNotification.objects.filter(
        recipient=user, hit__in=Hit.objects.visible_to(user)
    ).select_related("hit", "hit__record", "hit__searcher", "hit__searcher__agency")[:20]


def unread_notifications(user: Any) -> int:
    return PersonNotification.objects.filter(recipient=user, read_at__isnull=True).count()


def jobs_for(user: Any) -> QuerySet[ScreeningJob]:
    return ScreeningJob.objects.visible_to(user)


def job_hits(job: ScreeningJob) -> QuerySet[Hit]:
    return (
        job.hits.select_related("record", "record__originator", "record__originator__agency")
        .prefetch_related("record__names", "record__documents")
        .order_by("row_number", "-score")
    )


def hit_explanation(hit: Hit) -> str:
    """The stored explanation, or (screening hits) the best record name explained now."""
    if hit.explanation:
        return hit.explanation
    name = str(hit.query.get("name", ""))
    if not name:
        return ""
    best = max(
        (n.full_name for n in hit.record.names.all()),
        key=lambda candidate: similarity(name, candidate),
        default="",
    )
    return explain(name, best) if best else ""


def hit_answer(user: Any, hit: Hit) -> dict[str, Any]:
    """The record behind a hit, as the allowlist lets ``user`` see it."""
    text = hit_explanation(hit)
    if hit.document_match and not hit.explanation:
        note = str(_("Exact identity-document number match."))
        text = f"{note}\n{text}" if text else note
    return disclose(user, hit.record, hit.score, text)


def victims_for(user: Any) -> QuerySet[VictimRecord]:
    return VictimRecord.objects.visible_to(user).select_related("created_by")


def referrals_for(user: Any) -> QuerySet[VictimReferral]:
    return VictimReferral.objects.visible_to(user).select_related("sent_by", "victim")
