"""Demo data for the directory: an entry for every demo focal point, the MATF and Sahel
platform networks with their members, secure channels, and the shipped country profiles.
Idempotent: a second run creates nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tawasul.accounts.models import User
from tawasul.directory.models import AgencyChannel, ChannelKind, FocalPoint, Network
from tawasul.directory.profile_schema import ProfileError
from tawasul.directory.services import (
    country_profile_load,
    focal_point_create,
    network_member_add,
    profiles_dir,
)

MATF = ["DZ", "EG", "IQ", "JO", "LB", "LY", "MA", "TN"]
SAHEL = ["BF", "ML", "NE", "MR", "TD"]
EUROPE = ["ES", "FR", "IT", "PT", "BE"]
MAGHREB = {"DZ", "MA", "TN", "LY", "MR"}
EUROPE_LANG = {"ES": "es", "FR": "fr", "IT": "it", "PT": "pt", "BE": "fr"}


def _entry(
    username: str,
    *,
    position: str,
    competences: list[str],
    languages: list[str],
    reachable: bool,
    substitute: FocalPoint | None = None,
) -> tuple[FocalPoint | None, int]:
    user = User.objects.filter(username=username).select_related("agency").first()
    if user is None or user.agency is None:
        return None, 0
    existing = FocalPoint.objects.filter(user=user).first()
    if existing is not None:
        return existing, 0
    cc = str(user.country).lower()
    entry = focal_point_create(
        actor=None,
        user=user,
        agency=user.agency,
        position=position,
        competences=competences,
        languages=languages,
        phone=f"+000 {cc} 555 01{user.pk % 100:02d}",
        mobile=f"+000 {cc} 555 99{user.pk % 100:02d}" if reachable else "",
        email=f"{username}@secure.demo.invalid",
        reachable_24_7=reachable,
        substitute=substitute,
        term_start=timezone.localdate() - timedelta(days=400),
    )
    return entry, 1


def seed() -> int:
    created = 0
    entries: dict[str, list[FocalPoint]] = {}
    for cc in MATF:
        langs = ["ar", "fr"] if cc in MAGHREB else ["ar", "en"]
        police, n1 = _entry(
            f"{cc.lower()}.police",
            position="Counter-terrorism unit — duty officer",
            competences=["terrorism", "ftf", "e_evidence", "som"],
            languages=langs,
            reachable=True,
        )
        prosecutor, n2 = _entry(
            f"{cc.lower()}.prosecutor",
            position="Deputy prosecutor, counter-terrorism division",
            competences=["terrorism", "ftf", "terrorist_financing", "extradition", "tip"],
            languages=langs,
            reachable=False,
            substitute=police,
        )
        created += n1 + n2
        entries[cc] = [e for e in (police, prosecutor) if e is not None]
    for cc in SAHEL + EUROPE:
        langs = ["fr"] if cc in SAHEL and cc != "MR" and cc != "TD" else ["ar", "fr"]
        if cc in EUROPE:
            langs = sorted({EUROPE_LANG[cc], "en"})
        entry, n = _entry(
            f"{cc.lower()}.focal",
            position="Central authority — international cooperation",
            competences=["terrorism", "ftf", "extradition", "tip", "som", "asset_recovery"],
            languages=langs,
            reachable=cc in SAHEL,
        )
        created += n
        entries[cc] = [entry] if entry is not None else []

    # one entry left unverified for eight months, to show staleness and the reminder
    FocalPoint.objects.filter(
        user__username="lb.police", last_verified=timezone.localdate()
    ).update(last_verified=timezone.localdate() - timedelta(days=240))

    for code, countries in (("matf", MATF), ("sahel-platform", SAHEL)):
        network = Network.objects.filter(code=code).first()
        if network is None:
            continue
        for cc in countries:
            for entry in entries.get(cc, []):
                if not network.memberships.filter(focal_point=entry).exists():
                    network_member_add(actor=None, network=network, entry=entry)
                    created += 1

    for entries_of_country in entries.values():
        for entry in entries_of_country:
            agency = entry.agency
            if not agency.channels.exists():
                AgencyChannel.objects.create(
                    agency=agency,
                    kind=ChannelKind.SECURE_EMAIL,
                    value=f"desk.{agency.pk}@secure.demo.invalid",
                    note="Encrypted mailbox (demo)",
                )
                created += 1

    for path in sorted(profiles_dir().glob("*.yaml")):
        try:
            _profile, new = country_profile_load(actor=None, path=path)
        except ProfileError:
            continue
        created += int(new)
    return created
