"""Demonstration action plans from the source articles (/work/shared/seeds/ 000–003).

Meetings, places, dates, organisers, funders and the GLO.ACT recommendations are the
articles'; the Border Security and Management workshop's 25 participants, 8 of them women, from
Burkina Faso, Mali and Niger too (its split by country is invented). Every other participant
count, every follow-up action, owner, due date and progress note is fictional. Idempotent: a
meeting already there (same programme, title and first day) is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from tawasul.accounts.models import User
from tawasul.actionplans import services
from tawasul.actionplans.models import (
    ActionStatus,
    Meeting,
    MeetingKind,
    OwnerKind,
    Priority,
    Programme,
)
from tawasul.directory.models import Agency


@dataclass
class DemoAction:
    description: str
    owner: str  # ISO country code, "agency:XX" (the country's central authority) or "network"
    due_in_days: int  # relative to the day the demo is loaded
    priority: str = Priority.MEDIUM
    indicator: str = ""
    progress: list[tuple[str, str, str]] = field(default_factory=list)  # (username, status, text)


@dataclass
class DemoRecommendation:
    en: str
    fr: str
    ar: str
    actions: list[DemoAction] = field(default_factory=list)


@dataclass
class DemoMeeting:
    programme: str
    kind: str
    title: tuple[str, str, str]
    start: datetime.date
    end: datetime.date
    place: str
    place_country: str
    organisers: str
    funding_partners: str
    summary: str
    participation: list[tuple[str, str, int, int]]  # country, agency, women, men
    recommendations: list[DemoRecommendation]


GLO_ACT = DemoMeeting(
    programme="glo-act",
    kind=MeetingKind.WORKSHOP,
    title=(
        "Second sub-regional workshop between Mali, Morocco and Niger against TIP and SOM",
        "Deuxième atelier sous-régional Mali, Maroc et Niger contre la traite des personnes et le trafic illicite de migrants",
        "الورشة دون الإقليمية الثانية بين مالي والمغرب والنيجر لمكافحة الاتجار بالأشخاص وتهريب المهاجرين",
    ),
    start=datetime.date(2019, 4, 24),
    end=datetime.date(2019, 4, 25),
    place="Casablanca",
    place_country="MA",
    organisers="UNODC (GLO.ACT), with IOM and UNICEF",
    funding_partners="European Union",
    summary=(
        "Took stock of the recommendations of the first sub-regional workshop (Niamey, 16–18 "
        "April 2018) and adopted operational recommendations. Participant counts: demo figures."
    ),
    participation=[("MA", "", 3, 5), ("ML", "", 2, 4), ("NE", "", 2, 4)],
    recommendations=[
        DemoRecommendation(
            "Create a platform for the transnational protection of victims between countries of origin, transit and destination.",
            "Créer une plateforme de protection transnationale des victimes entre pays d'origine, de transit et de destination.",
            "إنشاء منصة للحماية العابرة للحدود للضحايا بين بلدان المنشأ والعبور والمقصد.",
            [
                DemoAction(
                    "Draft the terms of reference of the victim-protection platform",
                    "network",
                    -200,
                    Priority.HIGH,
                    "Terms of reference shared with the three countries",
                    [
                        (
                            "unodc.coordinator",
                            ActionStatus.DONE,
                            "Terms of reference circulated (demo).",
                        )
                    ],
                ),
                DemoAction(
                    "Name the national contact for victim referrals to the platform",
                    "ML",
                    -30,
                    Priority.HIGH,
                    "Contact named in the directory",
                ),
            ],
        ),
        DemoRecommendation(
            "Strengthen coordination between the United Nations agencies working to combat TIP and SOM with a view to enhancing the protection of victims.",
            "Renforcer la coordination entre les agences des Nations Unies qui luttent contre la traite des personnes et le trafic illicite de migrants, afin de mieux protéger les victimes.",
            "تعزيز التنسيق بين وكالات الأمم المتحدة العاملة في مكافحة الاتجار بالأشخاص وتهريب المهاجرين بهدف تحسين حماية الضحايا.",
            [
                DemoAction(
                    "Hold a quarterly call of UNODC, IOM and UNICEF on victim cases in the sub-region",
                    "network",
                    20,
                    Priority.MEDIUM,
                    "Four calls a year, minutes shared",
                    [("unodc.coordinator", ActionStatus.IN_PROGRESS, "Two calls held (demo).")],
                ),
            ],
        ),
        DemoRecommendation(
            "Facilitate the establishment of tripartite joint commissions working in judicial and security cooperation.",
            "Faciliter la mise en place de commissions mixtes tripartites chargées de la coopération judiciaire et sécuritaire.",
            "تيسير إنشاء لجان مشتركة ثلاثية تعمل في مجال التعاون القضائي والأمني.",
            [
                DemoAction(
                    "Propose members for the tripartite judicial and security commission",
                    "MA",
                    10,
                    Priority.HIGH,
                    "Names sent to the two other countries",
                    [
                        (
                            "ma.prosecutor",
                            ActionStatus.IN_PROGRESS,
                            "Ministry of Justice consulted (demo).",
                        )
                    ],
                ),
                DemoAction(
                    "Propose members for the tripartite judicial and security commission",
                    "NE",
                    -45,
                    Priority.HIGH,
                    "Names sent to the two other countries",
                ),
            ],
        ),
        DemoRecommendation(
            "Mobilize the member countries to conclude formal agreements on a bilateral basis and adapt a more flexible approach in order to take advantage from the existing agreements.",
            "Mobiliser les pays membres pour conclure des accords formels sur une base bilatérale et adopter une approche plus souple afin de tirer parti des accords existants.",
            "حشد البلدان الأعضاء لإبرام اتفاقات رسمية على أساس ثنائي واعتماد نهج أكثر مرونة للاستفادة من الاتفاقات القائمة.",
            [
                DemoAction(
                    "List the bilateral agreements in force with Mali and Niger and their gaps",
                    "agency:MA",
                    60,
                    Priority.MEDIUM,
                    "Inventory published in the country profile",
                ),
            ],
        ),
        DemoRecommendation(
            "Make better use of existing mechanisms (i.e. Interpol) in order to proceed with the establishment of an action pool.",
            "Mieux utiliser les mécanismes existants (notamment INTERPOL) afin de constituer un pool d'action.",
            "تحسين الاستفادة من الآليات القائمة (مثل الإنتربول) من أجل إنشاء مجمّع للعمل.",
            [
                DemoAction(
                    "Connect the border posts of the Niger–Mali border to INTERPOL databases",
                    "NE",
                    90,
                    Priority.MEDIUM,
                    "Number of border posts connected",
                    [("ne.focal", ActionStatus.BLOCKED, "Waiting for equipment (demo).")],
                ),
            ],
        ),
        DemoRecommendation(
            "Include the Moroccan authorities as an observer member of the West African Network of Central Authorities and Prosecutors (WACAP).",
            "Intégrer les autorités marocaines en tant que membre observateur du Réseau des autorités centrales et des procureurs de l'Afrique de l'Ouest (WACAP).",
            "ضمّ السلطات المغربية بصفة عضو مراقب إلى شبكة السلطات المركزية والمدعين العامين في غرب أفريقيا (WACAP).",
            [
                DemoAction(
                    "Send the request for observer status to the WACAP secretariat",
                    "MA",
                    -120,
                    Priority.MEDIUM,
                    "Request sent",
                    [
                        (
                            "ma.central",
                            ActionStatus.DONE,
                            "Request sent (demo reference WACAP-0001).",
                        )
                    ],
                ),
            ],
        ),
        DemoRecommendation(
            "Establish an operational victim protection mechanism at the Maghreb level (victims' pool from sub-Saharan Africa).",
            "Mettre en place un mécanisme opérationnel de protection des victimes au niveau du Maghreb (victimes originaires d'Afrique subsaharienne).",
            "إنشاء آلية عملية لحماية الضحايا على مستوى المغرب العربي (الضحايا القادمون من أفريقيا جنوب الصحراء).",
            [
                DemoAction(
                    "Map the shelters and services for victims from sub-Saharan Africa",
                    "MA",
                    -15,
                    Priority.HIGH,
                    "Map shared with partner countries",
                ),
            ],
        ),
        DemoRecommendation(
            "Set up a shared database between the 3 countries to help improve victim identification and nominate focal points within the criminal justice system.",
            "Créer une base de données partagée entre les trois pays pour améliorer l'identification des victimes, et désigner des points focaux au sein du système de justice pénale.",
            "إنشاء قاعدة بيانات مشتركة بين البلدان الثلاثة للمساعدة على تحسين تحديد هوية الضحايا، وتعيين نقاط اتصال داخل منظومة العدالة الجنائية.",
            [
                DemoAction(
                    "Nominate two criminal-justice focal points for victim identification",
                    "ML",
                    5,
                    Priority.HIGH,
                    "Two focal points in the directory",
                    [("ml.focal", ActionStatus.IN_PROGRESS, "One focal point named (demo).")],
                ),
                DemoAction(
                    "Nominate two criminal-justice focal points for victim identification",
                    "MA",
                    -60,
                    Priority.HIGH,
                    "Two focal points in the directory",
                    [
                        (
                            "ma.police",
                            ActionStatus.DONE,
                            "Both focal points listed in the directory (demo).",
                        )
                    ],
                ),
            ],
        ),
    ],
)

MATF = DemoMeeting(
    programme="matf",
    kind=MeetingKind.REGIONAL_COORDINATION,
    title=(
        "Second Regional Coordination Workshop of the Multi-Agency Task Force (MATF)",
        "Deuxième atelier régional de coordination du Groupe de travail multi-agences (MATF)",
        "ورشة العمل الإقليمية التنسيقية الثانية لفرقة العمل متعددة الوكالات",
    ),
    start=datetime.date(2018, 4, 25),
    end=datetime.date(2018, 4, 27),
    place="Amman",
    place_country="JO",
    organisers="UNODC Terrorism Prevention Branch",
    funding_partners="Government of Canada",
    summary=(
        "MATF focal points met with experts from the 1267 Committee, the European Court of Human "
        "Rights, the G5 Sahel, INTERPOL, the Quadripartite Mechanism and the Sahel Judicial "
        "Platform. Participant counts: demo figures (two focal points per country)."
    ),
    participation=[
        ("DZ", "", 0, 2),
        ("EG", "", 1, 1),
        ("IQ", "", 0, 2),
        ("JO", "", 1, 1),
        ("LB", "", 1, 1),
        ("LY", "", 0, 2),
        ("MA", "", 1, 1),
        ("TN", "", 1, 1),
    ],
    recommendations=[
        DemoRecommendation(
            "Respect human rights in international law enforcement and judicial cooperation in terrorist cases, including FTF cases.",
            "Respecter les droits de l'homme dans la coopération internationale policière et judiciaire dans les affaires de terrorisme, y compris celles de combattants terroristes étrangers.",
            "احترام حقوق الإنسان في التعاون الدولي الشرطي والقضائي في قضايا الإرهاب، بما فيها قضايا المقاتلين الإرهابيين الأجانب.",
            [
                DemoAction(
                    "Add the human-rights assurances checklist to the cooperation request guide",
                    "network",
                    -300,
                    Priority.HIGH,
                    "Checklist in the guide",
                    [("unodc.coordinator", ActionStatus.DONE, "Checklist added (demo).")],
                ),
            ],
        ),
        DemoRecommendation(
            "Strengthen cooperation with INTERPOL National Central Bureaus.",
            "Renforcer la coopération avec les Bureaux centraux nationaux d'INTERPOL.",
            "تعزيز التعاون مع المكاتب المركزية الوطنية للإنتربول.",
            [
                DemoAction(
                    "Invite the INTERPOL National Central Bureau to the MATF national meetings",
                    "TN",
                    -20,
                    Priority.MEDIUM,
                    "NCB officer attends",
                ),
                DemoAction(
                    "Invite the INTERPOL National Central Bureau to the MATF national meetings",
                    "JO",
                    30,
                    Priority.MEDIUM,
                    "NCB officer attends",
                ),
            ],
        ),
        DemoRecommendation(
            "Develop a practical guide to prepare effective cooperation requests in terrorist cases.",
            "Élaborer un guide pratique pour préparer des demandes de coopération efficaces dans les affaires de terrorisme.",
            "إعداد دليل عملي لصياغة طلبات تعاون فعالة في قضايا الإرهاب.",
            [
                DemoAction(
                    "Send the national requirements for mutual legal assistance requests to UNODC",
                    "DZ",
                    -90,
                    Priority.HIGH,
                    "Requirements received",
                    [("dz.central", ActionStatus.DONE, "Requirements sent (demo).")],
                ),
                DemoAction(
                    "Send the national requirements for mutual legal assistance requests to UNODC",
                    "EG",
                    12,
                    Priority.HIGH,
                    "Requirements received",
                ),
            ],
        ),
        DemoRecommendation(
            "Set up an online programme to maintain contact between MATF focal points, strengthen the network and build trust.",
            "Mettre en place un programme en ligne pour maintenir le contact entre les points focaux du MATF, renforcer le réseau et bâtir la confiance.",
            "إنشاء برنامج إلكتروني للحفاظ على التواصل بين نقاط الاتصال في فرقة العمل، وتعزيز الشبكة وبناء الثقة.",
            [
                DemoAction(
                    "Enrol every MATF focal point on Tawasul",
                    "network",
                    40,
                    Priority.HIGH,
                    "16 focal points enrolled",
                    [("unodc.coordinator", ActionStatus.IN_PROGRESS, "12 of 16 enrolled (demo).")],
                ),
            ],
        ),
    ],
)

BSM = DemoMeeting(
    programme="bsm",
    kind=MeetingKind.WORKSHOP,
    title=(
        "Technical workshop on counter-terrorism and cross-border security in the Central Sahel",
        "Atelier technique sur la lutte contre le terrorisme et la sécurité transfrontalière au Sahel central",
        "ورشة عمل تقنية حول مكافحة الإرهاب والأمن عبر الحدود في منطقة الساحل الأوسط",
    ),
    start=datetime.date(2024, 6, 25),
    end=datetime.date(2024, 6, 27),
    place="Marrakech",
    place_country="MA",
    organisers="UNOCT Border Security and Management Programme, with UNODC and IOM; hosted by the Ministry of Interior of Morocco",
    funding_partners="Government of Italy",
    summary=(
        "25 participants (8 women) from Burkina Faso, Mali and Niger; follows the Dakar workshop "
        "of December 2023. The split of participants by country is a demo figure."
    ),
    participation=[("BF", "", 3, 5), ("ML", "", 2, 7), ("NE", "", 3, 5)],
    recommendations=[
        DemoRecommendation(
            "Develop strategies to prevent the cross-border movement of known or suspected terrorists.",
            "Élaborer des stratégies pour empêcher les mouvements transfrontaliers de terroristes connus ou présumés.",
            "وضع استراتيجيات لمنع تنقل الإرهابيين المعروفين أو المشتبه بهم عبر الحدود.",
            [
                DemoAction(
                    "Adopt a national procedure for alerts on known or suspected terrorists at border posts",
                    "BF",
                    -10,
                    Priority.HIGH,
                    "Procedure signed",
                    [
                        (
                            "bf.focal",
                            ActionStatus.IN_PROGRESS,
                            "Draft procedure under review (demo).",
                        )
                    ],
                ),
                DemoAction(
                    "Adopt a national procedure for alerts on known or suspected terrorists at border posts",
                    "NE",
                    45,
                    Priority.HIGH,
                    "Procedure signed",
                ),
            ],
        ),
        DemoRecommendation(
            "Enhance cross-border information sharing between Burkina Faso, Mali and Niger.",
            "Renforcer le partage d'informations transfrontalier entre le Burkina Faso, le Mali et le Niger.",
            "تعزيز تبادل المعلومات عبر الحدود بين بوركينا فاسو ومالي والنيجر.",
            [
                DemoAction(
                    "Name a 24/7 contact for cross-border information exchange",
                    "ML",
                    -5,
                    Priority.HIGH,
                    "Contact reachable 24/7",
                    [("ml.focal", ActionStatus.DONE, "Contact named (demo).")],
                ),
                DemoAction(
                    "Name a 24/7 contact for cross-border information exchange",
                    "BF",
                    8,
                    Priority.HIGH,
                    "Contact reachable 24/7",
                ),
            ],
        ),
        DemoRecommendation(
            "Address the nexus between terrorism and transnational organized crime.",
            "Traiter le lien entre le terrorisme et la criminalité transnationale organisée.",
            "معالجة الصلة بين الإرهاب والجريمة المنظمة عبر الوطنية.",
            [
                DemoAction(
                    "Organise a joint training of border and judicial police on the terrorism–organized crime nexus",
                    "network",
                    75,
                    Priority.MEDIUM,
                    "Training held, participants by gender reported",
                ),
            ],
        ),
    ],
)

MARRAKESH = DemoMeeting(
    programme="marrakesh-platform",
    kind=MeetingKind.HIGH_LEVEL,
    title=(
        "High-level meeting on the UNOCT Programme Offices, Third Counter-Terrorism Week",
        "Réunion de haut niveau sur les bureaux de programme de l'UNOCT, troisième Semaine de lutte contre le terrorisme",
        "اجتماع رفيع المستوى حول مكاتب برامج مكتب الأمم المتحدة لمكافحة الإرهاب، أسبوع مكافحة الإرهاب الثالث",
    ),
    start=datetime.date(2023, 6, 23),
    end=datetime.date(2023, 6, 23),
    place="New York",
    place_country="US",
    organisers="Co-chaired by Morocco, Spain, Qatar and Hungary; UNOCT",
    funding_partners="",
    summary=(
        "The Marrakesh Platform for African Heads of Security and Counter-Terrorism Agencies is "
        "an annual forum to evaluate accomplishments, priorities, needs and actions. "
        "Participant counts: demo figures."
    ),
    participation=[("MA", "", 1, 2), ("ES", "", 1, 1), ("QA", "", 1, 1), ("HU", "", 1, 0)],
    recommendations=[
        DemoRecommendation(
            "Evaluate accomplishments, priorities, needs and actions every year at the Marrakesh Platform.",
            "Évaluer chaque année, à la Plateforme de Marrakech, les réalisations, les priorités, les besoins et les actions.",
            "تقييم الإنجازات والأولويات والاحتياجات والإجراءات سنوياً في منصة مراكش.",
            [
                DemoAction(
                    "Prepare the annual progress report for the next Platform meeting",
                    "network",
                    25,
                    Priority.HIGH,
                    "Report sent to participants a month before",
                ),
            ],
        ),
        DemoRecommendation(
            "Foster inter-agency coordination and the exchange of best practices and experiences.",
            "Favoriser la coordination inter-agences et l'échange de bonnes pratiques et d'expériences.",
            "تعزيز التنسيق بين الأجهزة وتبادل أفضل الممارسات والتجارب.",
            [
                DemoAction(
                    "Share the national good practices on inter-agency coordination",
                    "MA",
                    -7,
                    Priority.MEDIUM,
                    "Good practices note shared",
                ),
            ],
        ),
    ],
)

MEETINGS = [MATF, GLO_ACT, MARRAKESH, BSM]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _agency(country: str) -> Agency | None:
    return Agency.objects.filter(country=country).order_by("kind", "pk").last()


def seed() -> int:
    created = 0
    coordinator = _user("unodc.coordinator")
    today = timezone.localdate()
    for demo in MEETINGS:
        programme = Programme.objects.get(code=demo.programme)
        if Meeting.objects.filter(
            programme=programme, title_en=demo.title[0], start_date=demo.start
        ).exists():
            continue
        meeting = services.meeting_create(
            actor=coordinator,
            programme=programme,
            kind=demo.kind,
            title_en=demo.title[0],
            title_fr=demo.title[1],
            title_ar=demo.title[2],
            start_date=demo.start,
            end_date=demo.end,
            place=demo.place,
            place_country=demo.place_country,
            organisers=demo.organisers,
            funding_partners=demo.funding_partners,
            summary=demo.summary,
        )
        created += 1
        for country, agency_name, women, men in demo.participation:
            services.participation_record(
                actor=coordinator,
                meeting=meeting,
                country=country,
                agency=agency_name,
                women=women,
                men=men,
            )
        for rec in demo.recommendations:
            recommendation = services.recommendation_create(
                actor=coordinator, meeting=meeting, text_en=rec.en, text_fr=rec.fr, text_ar=rec.ar
            )
            created += 1
            for item in rec.actions:
                owner_kind, country, agency = OwnerKind.COUNTRY, item.owner, None
                if item.owner == "network":
                    owner_kind, country = OwnerKind.NETWORK, ""
                elif item.owner.startswith("agency:"):
                    country = item.owner.split(":", 1)[1]
                    agency = _agency(country)
                    owner_kind = OwnerKind.AGENCY if agency else OwnerKind.COUNTRY
                action = services.action_create(
                    actor=coordinator,
                    recommendation=recommendation,
                    description=item.description,
                    owner_kind=owner_kind,
                    country=country,
                    agency=agency,
                    due_date=today + datetime.timedelta(days=item.due_in_days),
                    priority=item.priority,
                    indicator=item.indicator,
                )
                created += 1
                for username, status, text in item.progress:
                    author = _user(username)
                    if author is not None and services.may_update_action(author, action):
                        services.action_report_progress(
                            actor=author, action=action, status=status, text=text
                        )
    return created
