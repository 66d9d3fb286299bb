"""Demonstration threads between fictional counterparts (demo mode only; idempotent)."""

from __future__ import annotations

from tawasul.accounts.models import User
from tawasul.core.handling import HandlingCode
from tawasul.messaging.models import Thread
from tawasul.messaging.services import message_post, thread_create

DEMO_SUBJECTS = (
    "Demo — travel route of a fictional suspect through Tunisia",
    "Demo — identity documents seized at a fictional border post",
)


def seed() -> int:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["ma.police", "tn.police", "dz.prosecutor", "tn.prosecutor"]
        )
    }
    if len(users) < 4 or Thread.objects.filter(subject__in=DEMO_SUBJECTS).exists():
        return 0
    ma, tn, dz, tn_pros = (
        users["ma.police"],
        users["tn.police"],
        users["dz.prosecutor"],
        users["tn.prosecutor"],
    )
    first = thread_create(
        actor=ma,
        subject=DEMO_SUBJECTS[0],
        participants=[tn, tn_pros],
        body=(
            'Good morning. Our unit is following a fictional person, "Person A Demo", '
            "who may have crossed into Tunisia by road last month. Can you confirm any "
            "entry record? (Demonstration content only.)"
        ),
        handling_code=HandlingCode.H0,
        source_reliability="B",
        information_accuracy="2",
    )
    message_post(
        actor=tn,
        thread=first,
        body=(
            "We hold a fictional entry record matching the description. Details follow; "
            "please do not pass them on without our permission. (Demonstration content.)"
        ),
        handling_code=HandlingCode.H2,
        source_reliability="A",
        information_accuracy="1",
    )
    second = thread_create(
        actor=ma,
        subject=DEMO_SUBJECTS[1],
        participants=[dz],
        body=(
            "Two fictional passports were seized; the holders claim Algerian nationality. "
            "Could your office indicate whether proceedings exist? Not for judicial use yet. "
            "(Demonstration content only.)"
        ),
        handling_code=HandlingCode.H1,
        source_reliability="C",
        information_accuracy="3",
    )
    message_post(
        actor=dz,
        thread=second,
        body="No proceedings known to us for these fictional names. (Demonstration content.)",
        handling_code=HandlingCode.H3,
        restriction="Use only for identification; do not share with third countries.",
        source_reliability="A",
        information_accuracy="2",
    )
    return 2
