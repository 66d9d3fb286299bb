"""Load the demonstration network: countries' agencies and users with fictional names.

Idempotent: running it again adds what is missing and changes nothing else. Refuses to run
outside demo mode, so it can never write fictional people into a real deployment.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tawasul.accounts.models import User
from tawasul.accounts.services import user_create
from tawasul.audit.models import EventType
from tawasul.audit.services import audit_record
from tawasul.core.roles import Organisation, Role
from tawasul.directory.models import Agency, AgencyKind

DEMO_PASSWORD = "tawasul-demo-2026"  # noqa: S105 - printed to the demo user on purpose

MATF = ["DZ", "EG", "IQ", "JO", "LB", "LY", "MA", "TN"]
SAHEL = ["BF", "ML", "NE", "MR", "TD"]
EUROPE = ["ES", "FR", "IT", "PT", "BE"]

# Every person below is invented: the family name "Demo" / "ديمو" says so in both scripts.
MATF_PEOPLE: dict[str, list[tuple[str, str]]] = {
    "DZ": [
        ("Djamel Demo", "جمال ديمو"),
        ("Nadia Demo", "نادية ديمو"),
        ("Rachid Demo", "رشيد ديمو"),
    ],
    "EG": [("Gamal Demo", "جمال ديمو"), ("Mona Demo", "منى ديمو"), ("Sherif Demo", "شريف ديمو")],
    "IQ": [
        ("Haidar Demo", "حيدر ديمو"),
        ("Zainab Demo", "زينب ديمو"),
        ("Mustafa Demo", "مصطفى ديمو"),
    ],
    "JO": [("Omar Demo", "عمر ديمو"), ("Rania Demo", "رانيا ديمو"), ("Khaled Demo", "خالد ديمو")],
    "LB": [("Rami Demo", "رامي ديمو"), ("Hiba Demo", "هبة ديمو"), ("Ziad Demo", "زياد ديمو")],
    "LY": [("Salem Demo", "سالم ديمو"), ("Amira Demo", "أميرة ديمو"), ("Faraj Demo", "فرج ديمو")],
    "MA": [
        ("Youssef Demo", "يوسف ديمو"),
        ("Salma Demo", "سلمى ديمو"),
        ("Abdelkrim Demo", "عبد الكريم ديمو"),
    ],
    "TN": [("Jamel Demo", "جمال ديمو"), ("Leila Demo", "ليلى ديمو"), ("Hichem Demo", "هشام ديمو")],
}
OTHER_PEOPLE: dict[str, tuple[str, str]] = {
    "BF": ("Aminata Demo", "أميناتا ديمو"),
    "ML": ("Moussa Demo", "موسى ديمو"),
    "NE": ("Issoufou Demo", "إيسوفو ديمو"),
    "MR": ("Mohamed Lemine Demo", "محمد الأمين ديمو"),
    "TD": ("Mahamat Demo", "محمد ديمو"),
    "ES": ("Lucía Demo", "لوسيا ديمو"),
    "FR": ("Camille Demo", "كاميل ديمو"),
    "IT": ("Giulia Demo", "جوليا ديمو"),
    "PT": ("João Demo", "جواو ديمو"),
    "BE": ("Lotte Demo", "لوت ديمو"),
}
# A police focal point beside the central authority of each Sahel country, so requests between
# Sahel countries can be drafted by one and approved by another (maker–checker).
SAHEL_POLICE: dict[str, tuple[str, str]] = {
    "BF": ("Ousmane Demo", "عثمان ديمو"),
    "ML": ("Fatoumata Demo", "فاطمة ديمو"),
    "NE": ("Abdou Demo", "عبدو ديمو"),
    "MR": ("Sidi Demo", "سيدي ديمو"),
    "TD": ("Hissein Demo", "حسين ديمو"),
}

AGENCY_TEMPLATES = {
    AgencyKind.POLICE: (
        "Judicial Police — Counter-Terrorism Unit (demo)",
        "Police judiciaire — Unité antiterroriste (démo)",
        "الشرطة القضائية — وحدة مكافحة الإرهاب (تجريبي)",
    ),
    AgencyKind.PROSECUTION: (
        "Public Prosecution — Counter-Terrorism Division (demo)",
        "Ministère public — Pôle antiterroriste (démo)",
        "النيابة العامة — قسم مكافحة الإرهاب (تجريبي)",
    ),
    AgencyKind.CENTRAL_AUTHORITY_MLA: (
        "Ministry of Justice — Central Authority for MLA (demo)",
        "Ministère de la Justice — Autorité centrale d'entraide (démo)",
        "وزارة العدل — السلطة المركزية للمساعدة القانونية (تجريبي)",
    ),
}


class Command(BaseCommand):
    help = "Load fictional demonstration data (demo mode only). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo_seed runs only with DEMO_MODE=true.")
        logins: list[tuple[str, str, str]] = []
        with transaction.atomic():
            created = self._seed(logins)
            extra = self._seed_apps()
            if created or any(extra.values()):
                audit_record(
                    event_type=EventType.DEMO_SEEDED, details={"users_created": created, **extra}
                )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} users created)."))
        self.stdout.write(f"\nDemo logins — password for all: {DEMO_PASSWORD}\n")
        for username, affiliation, roles in logins:
            self.stdout.write(f"  {username:<22} {affiliation:<8} {roles}")
        self.stdout.write("")

    def _seed_apps(self) -> dict[str, int]:
        """Each app may ship ``tawasul/<app>/demo.py`` with ``seed() -> int`` (items created,
        0 when already there); it runs after the users exist, in INSTALLED_APPS order, so an
        app's demo can rely on the apps it depends on (requests on the country profiles)."""
        counts: dict[str, int] = {}
        for config in django_apps.get_app_configs():
            if not config.name.startswith("tawasul."):
                continue
            label = config.name.removeprefix("tawasul.")
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.demo":
                    raise
                continue
            counts[label] = module.seed()
            self.stdout.write(f"  {label}: {counts[label]} demo items created")
        return counts

    def _agency(self, country: str, kind: AgencyKind) -> Agency:
        en, fr, ar = AGENCY_TEMPLATES[kind]
        agency, _ = Agency.objects.get_or_create(
            country=country, kind=kind, defaults={"name_en": en, "name_fr": fr, "name_ar": ar}
        )
        return agency

    def _user(
        self,
        logins: list[tuple[str, str, str]],
        *,
        username: str,
        name: tuple[str, str],
        roles: list[Role],
        country: str = "",
        organisation: str = "",
        agency: Agency | None,
    ) -> int:
        logins.append((username, country or organisation, ", ".join(roles)))
        if User.objects.filter(username=username).exists():
            return 0
        user_create(
            actor=None,
            username=username,
            email=f"{username}@demo.invalid",
            full_name=name[0],
            full_name_ar=name[1],
            country=country,
            organisation=organisation,
            agency=agency,
            roles=roles,
            password=DEMO_PASSWORD,
            language="ar" if country in MATF else "fr" if country else "en",
        )
        return 1

    def _seed(self, logins: list[tuple[str, str, str]]) -> int:
        created = 0
        for country in MATF:
            police = self._agency(country, AgencyKind.POLICE)
            prosecution = self._agency(country, AgencyKind.PROSECUTION)
            central = self._agency(country, AgencyKind.CENTRAL_AUTHORITY_MLA)
            cc = country.lower()
            people = MATF_PEOPLE[country]
            created += self._user(
                logins,
                username=f"{cc}.police",
                name=people[0],
                country=country,
                agency=police,
                roles=[Role.FOCAL_POINT, Role.BORDER_OFFICER],
            )
            created += self._user(
                logins,
                username=f"{cc}.prosecutor",
                name=people[1],
                country=country,
                agency=prosecution,
                roles=[Role.FOCAL_POINT],
            )
            created += self._user(
                logins,
                username=f"{cc}.central",
                name=people[2],
                country=country,
                agency=central,
                roles=[Role.CENTRAL_AUTHORITY],
            )
        for country in SAHEL + EUROPE:
            central = self._agency(country, AgencyKind.CENTRAL_AUTHORITY_MLA)
            created += self._user(
                logins,
                username=f"{country.lower()}.focal",
                name=OTHER_PEOPLE[country],
                country=country,
                agency=central,
                roles=[Role.FOCAL_POINT, Role.CENTRAL_AUTHORITY],
            )
        for country, name in SAHEL_POLICE.items():
            created += self._user(
                logins,
                username=f"{country.lower()}.police",
                name=name,
                country=country,
                agency=self._agency(country, AgencyKind.POLICE),
                roles=[Role.FOCAL_POINT, Role.BORDER_OFFICER],
            )
        ma_ministry = self._agency("MA", AgencyKind.CENTRAL_AUTHORITY_MLA)
        created += self._user(
            logins,
            username="ma.admin",
            name=("Karima Demo", "كريمة ديمو"),
            country="MA",
            agency=ma_ministry,
            roles=[Role.NATIONAL_ADMIN],
        )
        created += self._user(
            logins,
            username="tn.oversight",
            name=("Mehdi Demo", "مهدي ديمو"),
            country="TN",
            agency=self._agency("TN", AgencyKind.CENTRAL_AUTHORITY_MLA),
            roles=[Role.OVERSIGHT],
        )
        unodc, _ = Agency.objects.get_or_create(
            organisation=Organisation.UNODC,
            kind=AgencyKind.INTERNATIONAL_ORGANISATION,
            defaults={
                "name_en": "UNODC Terrorism Prevention Branch (demo)",
                "name_fr": "Service de la prévention du terrorisme de l'ONUDC (démo)",
                "name_ar": "فرع منع الإرهاب في مكتب الأمم المتحدة المعني بالمخدرات والجريمة (تجريبي)",
            },
        )
        created += self._user(
            logins,
            username="unodc.coordinator",
            name=("Alex Demo", "أليكس ديمو"),
            organisation=Organisation.UNODC,
            agency=unodc,
            roles=[Role.COORDINATOR],
        )
        return created
