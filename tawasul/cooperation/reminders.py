"""Reminders of overdue cooperation requests.

A request is overdue when the requested side still owes an answer (``lifecycle.OPEN_ABROAD``)
and its expected answer date (``due_on``, set at transmission from the requested country's
profile) has passed. Each overdue request is reminded once, then again every
``COOPERATION_REMIND_REPEAT_DAYS`` days while it stays overdue: an in-app notice for everyone
who sees it on both sides and the time recorded (``services.request_reminder_record``, audited),
then an e-mail to each of them in their own language. The e-mail names the reference, the
expected date and the link, never the content: the facts and the persons stay in Tawasul.

Run by the background task ``tasks.remind_overdue_requests``, queued daily by
``manage.py cooperation_remind`` (docs/deploy.md).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tawasul.cooperation.lifecycle import OPEN_ABROAD, Side
from tawasul.cooperation.models import CooperationRequest
from tawasul.cooperation.services import request_reminder_record

logger = logging.getLogger(__name__)


@dataclass
class ReminderCounts:
    requests: int = 0
    notices: int = 0
    emails: int = 0


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str
    side: str


def repeat_days() -> int:
    return max(1, settings.COOPERATION_REMIND_REPEAT_DAYS)


def due_for_reminder(now: datetime.datetime) -> QuerySet[CooperationRequest]:
    """Overdue open requests not reminded in the last ``repeat_days()`` days (counted in
    calendar days, so a daily run at a slightly different hour neither skips nor doubles)."""
    today = timezone.localdate(now)
    last_quiet_day = today - datetime.timedelta(days=repeat_days() - 1)
    reminded_before = timezone.make_aware(
        datetime.datetime.combine(last_quiet_day, datetime.time.min)
    )
    return (
        CooperationRequest.objects.filter(status__in=OPEN_ABROAD, due_on__lt=today)
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=reminded_before))
        .order_by("due_on", "pk")
    )


def send_reminders(*, now: datetime.datetime | None = None) -> ReminderCounts:
    """Remind every request due for it; returns how many requests, notices and e-mails."""
    now = now or timezone.now()
    counts = ReminderCounts()
    for pk in list(due_for_reminder(now).values_list("pk", flat=True)):
        with transaction.atomic():
            # Locked and checked again: a second run at the same time skips what this one did.
            request = due_for_reminder(now).select_for_update().filter(pk=pk).first()
            if request is None:
                continue
            sent = request_reminder_record(request=request, now=now)
            recipients = [
                Recipient(user.email, user.language, request.side_of(user) or "")
                for user in sent.recipients
                if user.email
            ]
            url = settings.SITE_URL.rstrip("/") + reverse("cooperation:detail", args=[request.pk])
            reference, due_on = request.reference, request.due_on
            transaction.on_commit(partial(_email, recipients, reference, due_on, url, counts))
        counts.requests += 1
        counts.notices += len(sent.recipients)
    return counts


def _email(
    recipients: Sequence[Recipient],
    reference: str,
    due_on: datetime.date | None,
    url: str,
    counts: ReminderCounts,
) -> None:
    """One e-mail per recipient, in their language, counted in ``counts`` when handed over."""
    for recipient in recipients:
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            values = {
                "reference": reference,
                "due": formats.date_format(due_on, "DATE_FORMAT") if due_on else "",
                "url": url,
            }
            subject = _("Tawasul: request %(reference)s is overdue") % values
            if recipient.side == Side.REQUESTING:
                lead = _(
                    "The answer to your cooperation request %(reference)s was expected by "
                    "%(due)s and has not come yet."
                )
            else:
                lead = _(
                    "The cooperation request %(reference)s, received by your country, was "
                    "expected to be answered by %(due)s."
                )
            body = (
                (lead % values)
                + "\n\n"
                + _("Open it in Tawasul: %(url)s") % values
                + "\n\n"
                + _("You receive this reminder because you work on this request.")
            )
        try:
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [recipient.address],
                fail_silently=False,
            )
        except OSError:  # smtplib's errors are OSErrors: one refused address spares the rest
            logger.warning("reminder e-mail for %s not sent", reference, exc_info=True)
            continue
        counts.emails += 1
