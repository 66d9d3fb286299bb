"""Demonstration cooperation requests between demo countries, in every status (demo mode only;
idempotent: nothing is added once a demo request exists). Every person, account, bank and
provider is invented ("Demo" / "ديمو" in every name); the legal provisions are marked
fictional. Each request is drafted, approved and moved through its lifecycle by the services,
replayed at past dates so the dashboard has a history; receipts are signed as they would be.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.test.utils import override_settings
from django.utils import timezone

from tawasul.accounts.models import User
from tawasul.cooperation import services
from tawasul.cooperation.models import CooperationRequest

DEMO_MARK = "(demo)"
FICTIONAL = "fictional provision for the demonstration"


@dataclass
class DemoRequest:
    drafter: str
    approver: str
    answerer: str  # the requested side's user who moves it on
    values: dict[str, Any]
    offences: list[dict[str, str]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    measures: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    # lifecycle after drafting: ("submit" | "approve" | ...,  days after the start, note)
    path: list[tuple[str, int, str]] = field(default_factory=list)
    started_days_ago: int = 30


def _mla_common(**extra: Any) -> dict[str, Any]:
    return {
        "dual_criminality_statement": "The facts constitute offences under the law of both states.",
        "non_political_statement": "The offences are terrorist offences, which the applicable conventions exclude from the political-offence exception.",
        "assurance_fair_trial": True,
        **extra,
    }


REQUESTS: list[DemoRequest] = [
    DemoRequest(
        drafter="ma.prosecutor",
        approver="ma.central",
        answerer="es.focal",
        values={
            "request_type": "mla",
            "requested_country": "ES",
            "offence_category": "terrorist_financing",
            "requesting_reference": "PR-RBT/2026/0412 (demo)",
            "summary_of_facts": "Between January and October 2025 a cell of three people in Tangier received transfers from accounts held in Spain and used them to buy equipment for travel to a conflict zone. (Fictional facts for the demonstration.)",
            "purpose": "To identify the holders of the accounts, the origin of the funds and every transfer towards Morocco.",
            "document_language": "fr",
            **_mla_common(),
        },
        offences=[
            {
                "description": "Financement du terrorisme (démo)",
                "legal_provision": f"Code pénal, art. 218-4 — « Constitue un acte de terrorisme le fait de financer… » ({FICTIONAL})",
                "penalty": "5 à 20 ans d'emprisonnement",
            }
        ],
        persons=[
            {
                "role": "suspect",
                "name_arabic": "ياسين الإدريسي ديمو",
                "name_latin": "Yassine El Idrissi Demo",
                "date_of_birth": "1991-05-14",
                "nationality": "MA",
                "document_type": "passport",
                "document_number": "DEMO-MA-7781",
            }
        ],
        measures=[
            (
                "bank_records",
                {
                    "bank": "Banco Demo S.A.",
                    "account": "ES00 DEMO 0000 0000 0000 0001",
                    "period_start": "2025-01-01",
                    "period_end": "2025-10-31",
                    "records": "Account opening documents, statements, transfer orders",
                },
            )
        ],
        path=[
            ("submit", 0, ""),
            ("approve", 1, ""),
            ("acknowledge", 4, ""),
            ("start_review", 9, ""),
            ("start_execution", 20, ""),
        ],
        started_days_ago=60,
    ),
    DemoRequest(
        drafter="tn.prosecutor",
        approver="tn.central",
        answerer="fr.focal",
        values={
            "request_type": "extradition",
            "requested_country": "FR",
            "offence_category": "terrorism",
            "requesting_reference": "TN-PAT/2026/77 (demo)",
            "summary_of_facts": "The person sought is prosecuted in Tunis for organising the departure of young people to a terrorist group in 2024; he was located in Lyon. (Fictional facts for the demonstration.)",
            "purpose": "Extradition for prosecution.",
            "document_language": "fr",
            "assurance_death_penalty": True,
            "assurance_speciality": True,
            "assurances_text": "La République tunisienne s'engage à ce que la peine de mort ne soit ni requise ni exécutée et à respecter la règle de la spécialité.",
            **_mla_common(),
        },
        offences=[
            {
                "description": "Participation à une organisation terroriste (démo)",
                "legal_provision": f"Loi organique n° 2015-26, art. 32 ({FICTIONAL})",
                "penalty": "6 à 12 ans",
            }
        ],
        persons=[
            {
                "role": "sought",
                "name_arabic": "كريم بن صالح ديمو",
                "name_latin": "Karim Ben Salah Demo",
                "date_of_birth": "1988-02-03",
                "place_of_birth": "Sfax",
                "nationality": "TN",
                "document_type": "national_id",
                "document_number": "DEMO-TN-5512",
            }
        ],
        path=[
            ("submit", 0, ""),
            ("approve", 2, ""),
            ("acknowledge", 5, ""),
            ("start_review", 8, ""),
        ],
        started_days_ago=40,
    ),
    DemoRequest(
        drafter="ne.police",
        approver="ne.focal",
        answerer="ml.focal",
        values={
            "request_type": "police_information",
            "requested_country": "ML",
            "offence_category": "som",
            "requesting_reference": "NE-DPJ/2026/31 (demo)",
            "summary_of_facts": "A smuggling network moves migrants from Agadez towards the Algerian border with vehicles registered in Gao. (Fictional facts for the demonstration.)",
            "purpose": "To learn whether the vehicles and the two people named are known to the Malian police.",
            "document_language": "fr",
        },
        offences=[
            {
                "description": "Trafic illicite de migrants (démo)",
                "legal_provision": f"Loi n° 2015-36, art. 10 ({FICTIONAL})",
            }
        ],
        persons=[
            {"role": "suspect", "name_latin": "Ibrahim Maiga Demo", "nationality": "ML"},
            {"role": "suspect", "name_latin": "Aboubacar Issa Demo", "nationality": "NE"},
        ],
        path=[("submit", 0, ""), ("approve", 0, ""), ("acknowledge", 1, "")],
        started_days_ago=12,
    ),
    DemoRequest(
        drafter="dz.prosecutor",
        approver="dz.central",
        answerer="tn.central",
        values={
            "request_type": "mla",
            "requested_country": "TN",
            "offence_category": "terrorism",
            "summary_of_facts": "Messages calling for attacks were posted from an account whose subscriber is thought to live in Tunisia. (Fictional facts for the demonstration.)",
            "purpose": "To preserve and obtain the subscriber data of the account.",
            "document_language": "ar",
        },
        measures=[
            (
                "preservation",
                {
                    "provider": "Demo Telecom TN",
                    "identifiers": "+216 00 000 000 (demo)",
                    "data_category": "subscriber and traffic data",
                },
            )
        ],
        started_days_ago=2,
    ),
    DemoRequest(
        drafter="eg.prosecutor",
        approver="eg.central",
        answerer="jo.central",
        values={
            "request_type": "mla",
            "requested_country": "JO",
            "offence_category": "ftf",
            "summary_of_facts": "A witness living in Amman saw the suspect leave for Syria in 2023. (Fictional facts for the demonstration.)",
            "purpose": "To hear the witness.",
            "document_language": "ar",
            **_mla_common(),
        },
        offences=[
            {
                "description": "الالتحاق بجماعة إرهابية (تجريبي)",
                "legal_provision": f"قانون مكافحة الإرهاب، المادة 12 ({FICTIONAL})",
            }
        ],
        persons=[{"role": "witness", "name_arabic": "سامي حداد ديمو", "nationality": "JO"}],
        measures=[
            (
                "testimony",
                {
                    "witness": "سامي حداد ديمو",
                    "questions": "متى رأى المشتبه به آخر مرة؟ مع من كان؟",
                },
            )
        ],
        path=[("submit", 0, "")],
        started_days_ago=3,
    ),
    DemoRequest(
        drafter="jo.police",
        approver="jo.central",
        answerer="ma.police",
        values={
            "request_type": "police_information",
            "requested_country": "MA",
            "offence_category": "ftf",
            "summary_of_facts": "A returnee questioned in Amman named a Moroccan contact who organised his travel. (Fictional facts for the demonstration.)",
            "purpose": "To learn whether the contact is known to the Moroccan police.",
            "document_language": "ar",
        },
        offences=[
            {
                "description": "تسهيل سفر مقاتلين إرهابيين أجانب (تجريبي)",
                "legal_provision": f"قانون منع الإرهاب، المادة 3 ({FICTIONAL})",
            }
        ],
        persons=[{"role": "suspect", "name_arabic": "عمر بلحاج ديمو", "nationality": "MA"}],
        path=[("submit", 0, ""), ("approve", 1, "")],
        started_days_ago=50,  # due long ago: shows as overdue
    ),
    DemoRequest(
        drafter="lb.prosecutor",
        approver="lb.central",
        answerer="fr.focal",
        values={
            "request_type": "mla",
            "requested_country": "FR",
            "offence_category": "terrorist_financing",
            "summary_of_facts": "Funds collected for a charity in Beirut were sent to an account in Marseille. (Fictional facts for the demonstration.)",
            "purpose": "To obtain the records of the receiving account.",
            "document_language": "fr",
            **_mla_common(),
        },
        offences=[
            {
                "description": "Financement du terrorisme (démo)",
                "legal_provision": f"Code pénal libanais, art. 316 bis ({FICTIONAL})",
            }
        ],
        measures=[
            (
                "bank_records",
                {
                    "bank": "Banque Démo Marseille",
                    "account": "FR00 DEMO 0000 0000 0002",
                    "period_start": "2024-06-01",
                    "period_end": "2025-06-01",
                },
            )
        ],
        path=[
            ("submit", 0, ""),
            ("approve", 1, ""),
            ("acknowledge", 3, ""),
            (
                "request_information",
                10,
                "Merci de préciser le lien entre l'association et le groupe visé.",
            ),
        ],
        started_days_ago=25,
    ),
    DemoRequest(
        drafter="ma.prosecutor",
        approver="ma.central",
        answerer="tn.central",
        values={
            "request_type": "mla",
            "requested_country": "TN",
            "offence_category": "terrorism",
            "summary_of_facts": "Explosives found in Oujda were bought from a supplier in Tunis. (Fictional facts for the demonstration.)",
            "purpose": "To search the supplier's warehouse and seize the sales records.",
            "document_language": "ar",
            **_mla_common(),
        },
        offences=[
            {
                "description": "حيازة متفجرات لغرض إرهابي (تجريبي)",
                "legal_provision": f"القانون الجنائي، الفصل 218-1 ({FICTIONAL})",
            }
        ],
        measures=[
            (
                "search_seizure",
                {
                    "place": "مستودع ديمو، تونس",
                    "items": "سجلات المبيعات لسنة 2025",
                    "link": "المورد باع المواد المحجوزة في وجدة",
                },
            )
        ],
        path=[
            ("submit", 0, ""),
            ("approve", 1, ""),
            ("acknowledge", 3, ""),
            ("start_review", 6, ""),
            ("start_execution", 15, ""),
            ("execute", 48, ""),
        ],
        started_days_ago=120,
    ),
    DemoRequest(
        drafter="tn.prosecutor",
        approver="tn.central",
        answerer="dz.central",
        values={
            "request_type": "mla",
            "requested_country": "DZ",
            "offence_category": "tip",
            "summary_of_facts": "Women recruited in Tunis were exploited in a workshop near Annaba. (Fictional facts for the demonstration.)",
            "purpose": "To hear the workshop's manager.",
            "document_language": "ar",
            **_mla_common(),
        },
        offences=[
            {
                "description": "الاتجار بالأشخاص (تجريبي)",
                "legal_provision": f"القانون الأساسي 2016-61، الفصل 8 ({FICTIONAL})",
            }
        ],
        measures=[("testimony", {"witness": "مدير الورشة (ديمو)", "questions": "ظروف التشغيل"})],
        path=[
            ("submit", 0, ""),
            ("approve", 2, ""),
            ("acknowledge", 6, ""),
            ("start_review", 10, ""),
            ("refuse", 40, "الوقائع محل متابعة جارية في الجزائر (عدم جواز المحاكمة مرتين)."),
        ],
        started_days_ago=90,
    ),
    DemoRequest(
        drafter="ly.prosecutor",
        approver="ly.central",
        answerer="tn.central",
        values={
            "request_type": "mla",
            "requested_country": "TN",
            "offence_category": "som",
            "summary_of_facts": "Boats leaving Zuwara were bought in Sfax. (Fictional facts for the demonstration.)",
            "purpose": "To obtain the sale contracts.",
            "document_language": "ar",
            **_mla_common(),
        },
        path=[
            ("withdraw", 3, "The suspects were arrested in Libya; the request is no longer needed.")
        ],
        started_days_ago=20,
    ),
    DemoRequest(
        drafter="iq.prosecutor",
        approver="iq.central",
        answerer="es.focal",
        values={
            "request_type": "mla",
            "requested_country": "ES",
            "offence_category": "terrorist_financing",
            "summary_of_facts": "A company in Valencia received money from a commander of a terrorist group. (Fictional facts for the demonstration.)",
            "purpose": "To freeze the company's accounts.",
            "document_language": "en",
            **_mla_common(),
        },
        offences=[
            {
                "description": "Financing of terrorism (demo)",
                "legal_provision": f"Anti-Terrorism Law No. 13 of 2005, art. 2 ({FICTIONAL})",
            }
        ],
        measures=[
            (
                "freezing",
                {
                    "assets": "Accounts of Demo Trading S.L.",
                    "holder": "Demo Trading S.L.",
                    "amount": "EUR 240,000",
                },
            )
        ],
        path=[
            ("submit", 0, ""),
            ("approve", 1, ""),
            ("acknowledge", 7, ""),
            ("start_execution", 21, ""),
            (
                "execute_partially",
                35,
                "Two of the three accounts frozen; the third was closed in 2024.",
            ),
        ],
        started_days_ago=75,
    ),
    DemoRequest(
        drafter="mr.police",
        approver="mr.focal",
        answerer="ma.police",
        values={
            "request_type": "spontaneous_information",
            "requested_country": "MA",
            "offence_category": "tip",
            "summary_of_facts": "A recruiter arrested in Nouakchott was sending young women to Morocco with false job offers. (Fictional facts for the demonstration.)",
            "purpose": "Information passed spontaneously so the Moroccan police can protect the women.",
            "document_language": "fr",
        },
        offences=[
            {
                "description": "Traite des personnes (démo)",
                "legal_provision": f"Loi n° 2020-017, art. 2 ({FICTIONAL})",
            }
        ],
        path=[("submit", 0, ""), ("approve", 0, ""), ("acknowledge", 2, "")],
        started_days_ago=8,
    ),
]


class _Clock:
    """What ``services.timezone`` becomes while a step is replayed: the past moment, with
    the rest of django.utils.timezone untouched."""

    def __init__(self, when: datetime.datetime) -> None:
        self._when = when

    def now(self) -> datetime.datetime:
        return self._when

    def localdate(
        self, value: datetime.datetime | None = None, timezone_: Any = None
    ) -> datetime.date:
        return timezone.localdate(value or self._when)

    def __getattr__(self, name: str) -> Any:
        return getattr(timezone, name)


@contextmanager
def _replayed_at(when: datetime.datetime) -> Iterator[None]:
    with mock.patch.object(services, "timezone", _Clock(when)):
        yield


def seed() -> int:
    needed = {name for r in REQUESTS for name in (r.drafter, r.approver, r.answerer)}
    users = {u.username: u for u in User.objects.filter(username__in=needed)}
    if len(users) < len(needed):
        return 0
    if CooperationRequest.objects.filter(requesting_reference__endswith=DEMO_MARK).exists():
        return 0
    if CooperationRequest.objects.filter(summary_of_facts__contains="Fictional facts").exists():
        return 0
    # The demo's notices stay in the app: no flood of e-mails on the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return _seed_all(users)


def _seed_all(users: dict[str, User]) -> int:
    now = timezone.now()
    created = 0
    for demo in REQUESTS:
        start = now - datetime.timedelta(days=demo.started_days_ago)
        drafter = users[demo.drafter]
        values = dict(demo.values)
        with _replayed_at(start):
            request = services.request_create(actor=drafter, values=values)
            answerer = users[demo.answerer]
            if (
                answerer.agency_id
                and answerer.agency
                and str(answerer.agency.country) == str(request.requested_country)
            ):
                services.request_update(
                    actor=drafter, request=request, values={"requested_agency": answerer.agency_id}
                )
            for offence in demo.offences:
                services.request_offence_add(actor=drafter, request=request, **offence)
            for person in demo.persons:
                services.request_person_add(actor=drafter, request=request, values=person)
            for kind, details in demo.measures:
                services.request_measure_add(
                    actor=drafter, request=request, kind=kind, details=details
                )
        for action, days, note in demo.path:
            actor = {
                "submit": drafter,
                "approve": users[demo.approver],
                "supply_information": drafter,
                "withdraw": drafter,
            }.get(action, users[demo.answerer])
            with _replayed_at(start + datetime.timedelta(days=days, hours=2)):
                request.refresh_from_db()
                services.request_transition(actor=actor, request=request, action=action, note=note)
        created += 1
    return created
