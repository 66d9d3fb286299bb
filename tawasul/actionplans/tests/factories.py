from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from tawasul.actionplans.models import (
    FollowUpAction,
    Meeting,
    MeetingKind,
    OwnerKind,
    Participation,
    Programme,
    Recommendation,
)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"prog-{n}")
    name_en = factory.Sequence(lambda n: f"Programme {n}")
    name_fr = factory.Sequence(lambda n: f"Programme FR {n}")
    name_ar = factory.Sequence(lambda n: f"البرنامج {n}")


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    programme = factory.SubFactory(ProgrammeFactory)
    kind = MeetingKind.WORKSHOP
    title_en = factory.Sequence(lambda n: f"Workshop {n}")
    title_fr = factory.Sequence(lambda n: f"Atelier {n}")
    title_ar = factory.Sequence(lambda n: f"ورشة عمل {n}")
    start_date = datetime.date(2026, 4, 24)
    end_date = datetime.date(2026, 4, 25)
    place = "Casablanca"
    place_country = "MA"


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)
    country = "MA"
    women = 3
    men = 5


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_en = "Set up a shared database to improve victim identification."
    text_fr = "Créer une base de données partagée pour améliorer l'identification des victimes."
    text_ar = "إنشاء قاعدة بيانات مشتركة لتحسين تحديد هوية الضحايا."


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    recommendation = factory.SubFactory(RecommendationFactory)
    description = factory.Sequence(lambda n: f"Name the focal points ({n})")
    owner_kind = OwnerKind.COUNTRY
    country = "MA"
    due_date = datetime.date(2026, 12, 31)
    indicator = "Focal points in the directory"
