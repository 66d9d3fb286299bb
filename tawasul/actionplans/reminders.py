"""Reminders to the owners of follow-up actions: some days before the due date, and when an
action is overdue (again every few days while it stays overdue). Run daily by
``manage.py actionplans_remind``; each reminder is sent once and audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tawasul.accounts.models import User
from tawasul.actionplans.models import FollowUpAction, OwnerKind
from tawasul.actionplans.services import action_mark_reminded
from tawasul.core.roles import CASE_ROLES, Role

DUE_SOON = "due_soon"
OVERDUE = "overdue"


def days_before() -> int:
    return settings.ACTIONPLANS_REMIND_DAYS_BEFORE


def overdue_repeat_days() -> int:
    return settings.ACTIONPLANS_OVERDUE_REPEAT_DAYS


def recipients(action: FollowUpAction) -> QuerySet[User]:
    """Who answers for the action: the network's coordinators, the agency's working users (or
    the country's when the agency has none), or the country's working users."""
    users = User.objects.filter(is_active=True).exclude(email="")
    if action.owner_kind == OwnerKind.NETWORK:
        return users.filter(roles__role=Role.COORDINATOR).distinct().order_by("username")
    working = users.filter(roles__role__in=CASE_ROLES, country=action.country)
    if action.owner_kind == OwnerKind.AGENCY and action.agency_id:
        of_agency = working.filter(agency_id=action.agency_id)
        if of_agency.exists():
            working = of_agency
    return working.distinct().order_by("username")


@dataclass
class ReminderCounts:
    due_soon: int = 0
    overdue: int = 0
    emails: int = 0


def _send(action: FollowUpAction, kind: str, today: datetime.date) -> list[str]:
    url = settings.SITE_URL.rstrip("/") + reverse("actionplans:action_detail", args=[action.pk])
    sent: list[str] = []
    for user in recipients(action):
        with translation.override(user.language):
            context = {
                "action": action,
                "kind": kind,
                "url": url,
                "user": user,
                "days_left": (action.due_date - today).days,
                "days_late": (today - action.due_date).days,
                "recommendation": action.recommendation.localized_text(user.language),
            }
            subject = render_to_string("actionplans/email/reminder_subject.txt", context)
            body = render_to_string("actionplans/email/reminder.txt", context)
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent.append(user.username)
    return sent


def send_reminders(*, today: datetime.date) -> ReminderCounts:
    counts = ReminderCounts()
    horizon = today + datetime.timedelta(days=days_before())
    base = FollowUpAction.objects.open().select_related("recommendation", "agency")
    due_soon = base.filter(due_date__gte=today, due_date__lte=horizon).filter(
        Q(reminded_due_soon_for__isnull=True) | ~Q(reminded_due_soon_for=F("due_date"))
    )
    for action in due_soon:
        sent = _send(action, DUE_SOON, today)
        action_mark_reminded(action=action, kind=DUE_SOON, today=today, recipients=sent)
        counts.due_soon += 1
        counts.emails += len(sent)
    repeat_before = today - datetime.timedelta(days=overdue_repeat_days())
    overdue = base.filter(due_date__lt=today).filter(
        Q(reminded_overdue_on__isnull=True)
        | Q(reminded_overdue_on__lte=repeat_before)
        | Q(reminded_overdue_on__lt=F("due_date"))
    )
    for action in overdue:
        sent = _send(action, OVERDUE, today)
        action_mark_reminded(action=action, kind=OVERDUE, today=today, recipients=sent)
        counts.overdue += 1
        counts.emails += len(sent)
    return counts
