from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tawasul.accounts.services import api_token_create
from tawasul.audit.models import AuditEvent
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Role
from tawasul.core.tests.factories import AgencyFactory
from tawasul.directory.events import DirectoryEvent
from tawasul.directory.exports import entry_vcard, neutralise
from tawasul.directory.models import AgencyKind, FocalPoint, Network, NetworkMembership
from tawasul.directory.services import (
    focal_point_create,
    focal_point_update,
    network_create,
    network_member_add,
)
from tawasul.directory.tests.factories import FocalPointFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def _update_kwargs(entry, **changes):
    data = {
        "agency": entry.agency,
        "position": entry.position,
        "competences": entry.competence_list,
        "languages": entry.language_list,
        "phone": entry.phone,
        "mobile": entry.mobile,
        "email": entry.email,
        "reachable_24_7": entry.reachable_24_7,
        "substitute": entry.substitute,
        "term_start": entry.term_start,
        "term_end": entry.term_end,
    }
    return data | changes


# --- who changes what --------------------------------------------------------------------


def test_focal_point_edits_own_entry(focal_point_ma):
    entry = FocalPointFactory(user=focal_point_ma, last_verified=date(2025, 1, 1))
    focal_point_update(actor=focal_point_ma, entry=entry, **_update_kwargs(entry, phone="+212 6"))
    entry.refresh_from_db()
    assert entry.phone == "+212 6"
    assert entry.last_verified != date(2025, 1, 1)
    event = AuditEvent.objects.get(event_type=DirectoryEvent.FOCAL_POINT_UPDATED)
    assert event.changes["phone"] == ["+212 5 00 00 00", "+212 6"]


def test_focal_point_cannot_edit_a_colleague_entry(focal_point_ma, make_user):
    colleague = FocalPointFactory(user=make_user(country="MA", roles=[Role.FOCAL_POINT]))
    with pytest.raises(ServiceError):
        focal_point_update(actor=focal_point_ma, entry=colleague, **_update_kwargs(colleague))


def test_national_admin_edits_own_country_only(admin_ma, focal_point_ma, focal_point_tn):
    ma = FocalPointFactory(user=focal_point_ma)
    tn = FocalPointFactory(user=focal_point_tn)
    focal_point_update(actor=admin_ma, entry=ma, **_update_kwargs(ma, position="Head"))
    with pytest.raises(ServiceError):
        focal_point_update(actor=admin_ma, entry=tn, **_update_kwargs(tn, position="Head"))


def test_coordinator_edits_any_entry(coordinator, focal_point_tn):
    tn = FocalPointFactory(user=focal_point_tn)
    focal_point_update(actor=coordinator, entry=tn, **_update_kwargs(tn, position="Head"))
    assert FocalPoint.objects.get(pk=tn.pk).position == "Head"


def test_admin_creates_entry_for_own_country_user_only(admin_ma, focal_point_ma, focal_point_tn):
    entry = focal_point_create(
        actor=admin_ma,
        user=focal_point_ma,
        agency=focal_point_ma.agency,
        competences=["terrorism"],
        languages=["ar"],
    )
    assert entry.competence_list == ["terrorism"]
    with pytest.raises(ServiceError):
        focal_point_create(actor=admin_ma, user=focal_point_tn, agency=focal_point_tn.agency)
    with pytest.raises(ServiceError):
        focal_point_create(actor=admin_ma, user=focal_point_tn, agency=focal_point_ma.agency)


def test_unknown_competence_is_refused(admin_ma, focal_point_ma):
    with pytest.raises(ServiceError) as refused:
        focal_point_create(
            actor=admin_ma,
            user=focal_point_ma,
            agency=focal_point_ma.agency,
            competences=["piracy"],
        )
    assert refused.value.field == "competences"


def test_substitute_must_be_of_the_same_country(admin_ma, focal_point_ma, focal_point_tn):
    foreign = FocalPointFactory(user=focal_point_tn)
    with pytest.raises(ServiceError):
        focal_point_create(
            actor=admin_ma, user=focal_point_ma, agency=focal_point_ma.agency, substitute=foreign
        )


def test_term_cannot_end_before_it_starts(admin_ma, focal_point_ma):
    with pytest.raises(ServiceError):
        focal_point_create(
            actor=admin_ma,
            user=focal_point_ma,
            agency=focal_point_ma.agency,
            term_start=date(2026, 5, 1),
            term_end=date(2026, 1, 1),
        )


def test_edit_page_refuses_a_foreign_admin_with_404(
    admin_tn_user, focal_point_ma, signed_in, client
):
    entry = FocalPointFactory(user=focal_point_ma)
    signed_in(admin_tn_user)
    assert client.get(f"/directory/entries/{entry.pk}/edit/").status_code == 404
    assert client.post(f"/directory/entries/{entry.pk}/verify/").status_code == 404


def test_edit_page_saves_own_entry(focal_point_ma, signed_in, client):
    entry = FocalPointFactory(user=focal_point_ma)
    signed_in(focal_point_ma)
    response = client.post(
        f"/directory/entries/{entry.pk}/edit/",
        {
            "agency": entry.agency_id,
            "position": "Senior prosecutor",
            "competences": ["terrorism", "tip"],
            "languages": ["ar", "fr", "en"],
            "email": "fp@secure.example.invalid",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.competence_list == ["terrorism", "tip"]
    assert entry.language_list == ["ar", "en", "fr"]


def test_edit_page_shows_a_clear_error_and_changes_nothing(focal_point_ma, signed_in, client):
    entry = FocalPointFactory(user=focal_point_ma)
    signed_in(focal_point_ma)
    response = client.post(
        f"/directory/entries/{entry.pk}/edit/",
        {
            "agency": entry.agency_id,
            "competences": ["terrorism"],
            "languages": ["ar"],
            "term_start": "2026-05-01",
            "term_end": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "The term cannot end before it starts." in response.content.decode()
    assert FocalPoint.objects.get(pk=entry.pk).term_end is None


@pytest.fixture
def admin_tn_user(make_user):
    return make_user(username="admin.tn", country="TN", roles=[Role.NATIONAL_ADMIN])


# --- search, card, exports ---------------------------------------------------------------


@pytest.fixture
def directory(make_user):
    ma_police = AgencyFactory(country="MA", kind=AgencyKind.POLICE, name_en="MA Police")
    tn_ca = AgencyFactory(
        country="TN", kind=AgencyKind.CENTRAL_AUTHORITY_MLA, name_en="TN Ministry"
    )
    a = FocalPointFactory(
        user=make_user(full_name="Amina Alpha", country="MA"),
        agency=ma_police,
        competences=",terrorism,ftf,",
        languages=",ar,fr,",
    )
    b = FocalPointFactory(
        user=make_user(full_name="Bilal Beta", country="TN"),
        agency=tn_ca,
        competences=",tip,",
        languages=",ar,en,",
    )
    network = NetworkFactory(name_en="Test Net")
    MembershipFactory(network=network, focal_point=b)
    return a, b, network


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "MA"}, ["Amina Alpha"]),
        ({"competence": "tip"}, ["Bilal Beta"]),
        ({"language": "fr"}, ["Amina Alpha"]),
        ({"kind": "ca_mla"}, ["Bilal Beta"]),
        ({"q": "alpha"}, ["Amina Alpha"]),
        ({}, ["Amina Alpha", "Bilal Beta"]),
    ],
)
def test_search_filters(directory, focal_point_tn, signed_in, client, params, expected):
    signed_in(focal_point_tn)
    body = client.get("/directory/", params).content.decode()
    for name in ["Amina Alpha", "Bilal Beta"]:
        assert (name in body) == (name in expected), (params, name)


def test_search_by_network(directory, focal_point_tn, signed_in, client):
    _a, _b, network = directory
    signed_in(focal_point_tn)
    body = client.get("/directory/", {"network": network.pk}).content.decode()
    assert "Bilal Beta" in body and "Amina Alpha" not in body


def test_card_shows_contacts_and_substitute(directory, focal_point_tn, signed_in, client):
    a, _b, _ = directory
    a.substitute = FocalPointFactory(
        user=a.user.__class__.objects.create(username="sub", full_name="Sami Sub", country="MA"),
        agency=a.agency,
    )
    a.save()
    signed_in(focal_point_tn)
    body = client.get(f"/directory/entries/{a.pk}/").content.decode()
    assert "Sami Sub" in body
    assert a.email in body
    assert "Edit" not in body  # another country's focal point may read, not change


def test_csv_export_neutralises_formulas_and_follows_filters(
    directory, focal_point_tn, signed_in, client
):
    a, _b, _ = directory
    a.position = '=HYPERLINK("http://evil")'
    a.phone = "+212 5 22"
    a.save()
    signed_in(focal_point_tn)
    response = client.get("/directory/export.csv", {"country": "MA"})
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2  # header + the one Moroccan entry
    assert '\'=HYPERLINK("http://evil")' in rows[1]
    assert "'+212 5 22" in rows[1]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_neutralise_prefixes_formula_cells(value):
    assert neutralise(value) == "'" + value


def test_neutralise_leaves_ordinary_text():
    assert neutralise("Rabat") == "Rabat"
    assert neutralise(None) == ""


def test_vcard_escapes_values_and_cannot_be_injected(focal_point_ma):
    entry = FocalPointFactory(user=focal_point_ma, position="Chief\nEND:VCARD\nBEGIN:VCARD;x,y")
    card = entry_vcard(entry)
    lines = card.split("\r\n")
    assert lines.count("BEGIN:VCARD") == 1 and lines.count("END:VCARD") == 1
    assert "TITLE:Chief\\nEND:VCARD\\nBEGIN:VCARD\\;x\\,y" in card


def test_vcard_export_lists_the_filtered_entries(directory, focal_point_tn, signed_in, client):
    signed_in(focal_point_tn)
    response = client.get("/directory/export.vcf", {"competence": "tip"})
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/vcard")
    assert body.count("BEGIN:VCARD") == 1
    assert "FN:Bilal Beta" in body


def test_anonymous_cannot_export(client):
    response = client.get("/directory/export.csv")
    assert response.status_code == 302


# --- networks ----------------------------------------------------------------------------


def test_builtin_networks_exist():
    assert {"matf", "wacap", "sahel-platform", "euromed-justice"} <= set(
        Network.objects.values_list("code", flat=True)
    )


def test_coordinator_creates_a_network_and_others_cannot(coordinator, admin_ma):
    network = network_create(actor=coordinator, code="ct-just", name_en="CT JUST")
    assert network.created_by == coordinator
    with pytest.raises(ServiceError):
        network_create(actor=admin_ma, code="x", name_en="X")


def test_admin_adds_own_country_focal_point_to_network_only(
    admin_ma, focal_point_ma, focal_point_tn
):
    network = NetworkFactory()
    network_member_add(
        actor=admin_ma, network=network, entry=FocalPointFactory(user=focal_point_ma)
    )
    with pytest.raises(ServiceError):
        network_member_add(
            actor=admin_ma, network=network, entry=FocalPointFactory(user=focal_point_tn)
        )
    assert NetworkMembership.objects.filter(network=network).count() == 1


def test_network_member_removal_page(admin_ma, focal_point_ma, signed_in, client):
    membership = MembershipFactory(focal_point=FocalPointFactory(user=focal_point_ma))
    signed_in(admin_ma)
    response = client.post(
        f"/directory/networks/{membership.network_id}/members/{membership.pk}/remove/"
    )
    assert response.status_code == 302
    assert not NetworkMembership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(event_type=DirectoryEvent.NETWORK_MEMBER_REMOVED).exists()


# --- languages ---------------------------------------------------------------------------


def _arabic(user):
    user.language = "ar"
    user.save()
    return user


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/directory/", "دليل نقاط الاتصال"),
        ("/directory/networks/", "الشبكات"),
        ("/directory/profiles/", "الملفات القطرية"),
        ("/directory/finder/", "إلى أين أرسل هذا الطلب؟"),
        ("/directory/compare/", "مقارنة بلدين"),
    ],
)
def test_pages_render_in_arabic_right_to_left(focal_point_ma, signed_in, client, url, label):
    signed_in(_arabic(focal_point_ma))
    body = client.get(url).content.decode()
    assert 'dir="rtl"' in body
    assert label in body


def test_card_and_profile_render_in_arabic(focal_point_ma, signed_in, client):
    from tawasul.directory.tests.test_profiles import load_shipped

    load_shipped("MA")
    entry = FocalPointFactory(user=focal_point_ma)
    signed_in(_arabic(focal_point_ma))
    card = client.get(f"/directory/entries/{entry.pk}/").content.decode()
    assert 'dir="rtl"' in card and "لغات العمل" in card
    profile = client.get("/directory/profiles/MA/").content.decode()
    assert 'dir="rtl"' in profile and "غير متحقق منه" in profile and "متحقق منه" in profile


def test_pages_render_in_french(focal_point_ma, signed_in, client):
    focal_point_ma.language = "fr"
    focal_point_ma.save()
    signed_in(focal_point_ma)
    body = client.get("/directory/").content.decode()
    assert 'dir="ltr"' in body and "Annuaire des points focaux" in body


def test_profile_page_shows_verified_and_unverified_facts(focal_point_ma, signed_in, client):
    from tawasul.directory.tests.test_profiles import load_shipped

    load_shipped("MA")
    signed_in(focal_point_ma)
    body = client.get("/directory/profiles/MA/").content.decode()
    assert "Not verified" in body and "Verified" in body
    assert "Constitution of Morocco (2011), art. 5" in body


def test_unknown_profile_is_404(focal_point_ma, signed_in, client):
    signed_in(focal_point_ma)
    assert client.get("/directory/profiles/ZZ/").status_code == 404


# --- API ---------------------------------------------------------------------------------


def _token(user):
    _, plaintext = api_token_create(actor=user, name="t", days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_api_lists_filtered_entries(directory, focal_point_tn, client):
    response = client.get(
        "/api/v1/directory/focal-points", {"competence": "terrorism"}, **_token(focal_point_tn)
    )
    assert response.status_code == 200
    assert [e["name"] for e in response.json()] == ["Amina Alpha"]


def test_api_missing_entry_is_404(focal_point_tn, client):
    assert (
        client.get("/api/v1/directory/focal-points/999999", **_token(focal_point_tn)).status_code
        == 404
    )


# --- agencies ----------------------------------------------------------------------------


def test_admin_edits_own_country_agency_and_channels(admin_ma, signed_in, client):
    agency = admin_ma.agency
    signed_in(admin_ma)
    response = client.post(
        f"/directory/agencies/{agency.pk}/edit/",
        {
            "name_en": "Ministry of Justice",
            "name_fr": "",
            "name_ar": "وزارة العدل",
            "address": "Rabat",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.address == "Rabat"
    client.post(
        f"/directory/agencies/{agency.pk}/channels/",
        {"kind": "secure_email", "value": "desk@secure.example.invalid"},
    )
    assert agency.channels.get().value == "desk@secure.example.invalid"
    assert (
        AuditEvent.objects.filter(
            event_type=DirectoryEvent.AGENCY_UPDATED, object_id=str(agency.pk)
        ).count()
        == 2
    )


def test_foreign_admin_cannot_edit_agency(admin_tn_user, admin_ma, signed_in, client):
    signed_in(admin_tn_user)
    response = client.post(f"/directory/agencies/{admin_ma.agency_id}/edit/", {"name_en": "Hacked"})
    assert response.status_code == 404
    admin_ma.agency.refresh_from_db()
    assert admin_ma.agency.name_en != "Hacked"


def test_agency_edit_refuses_empty_english_name_with_a_message(admin_ma, signed_in, client):
    signed_in(admin_ma)
    response = client.post(f"/directory/agencies/{admin_ma.agency_id}/edit/", {"name_en": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_bad_filter_shows_a_clear_error(focal_point_ma, signed_in, client):
    signed_in(focal_point_ma)
    response = client.get("/directory/", {"competence": "piracy"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_admin_creates_entry_through_the_page_for_own_country_users_only(
    admin_ma, focal_point_ma, focal_point_tn, signed_in, client
):
    signed_in(admin_ma)
    page = client.get("/directory/entries/new/").content.decode()
    assert focal_point_ma.full_name in page and focal_point_tn.full_name not in page
    response = client.post(
        "/directory/entries/new/",
        {
            "user": focal_point_ma.pk,
            "agency": focal_point_ma.agency_id,
            "competences": ["terrorism"],
            "languages": ["ar"],
        },
    )
    assert response.status_code == 302
    assert FocalPoint.objects.get(user=focal_point_ma).competence_list == ["terrorism"]
    refused = client.post(
        "/directory/entries/new/",
        {
            "user": focal_point_tn.pk,
            "agency": focal_point_ma.agency_id,
            "competences": ["tip"],
            "languages": ["ar"],
        },
    )
    assert refused.status_code == 200
    assert not FocalPoint.objects.filter(user=focal_point_tn).exists()


def test_coordinator_creates_a_network_through_the_page(coordinator, signed_in, client):
    signed_in(coordinator)
    response = client.post("/directory/networks/new/", {"code": "ct-just", "name_en": "CT JUST"})
    assert response.status_code == 302
    assert Network.objects.filter(code="ct-just", created_by=coordinator).exists()
    duplicate = client.post("/directory/networks/new/", {"code": "ct-just", "name_en": "Again"})
    assert "This code is already used by another network." in duplicate.content.decode()


def test_admin_creates_an_agency_of_own_country_only(admin_ma, signed_in, client):
    from tawasul.directory.models import Agency

    signed_in(admin_ma)
    response = client.post(
        "/directory/agencies/new/",
        {"country": "MA", "kind": "fiu", "name_en": "UTRF", "address": "Rabat"},
    )
    assert response.status_code == 302
    assert Agency.objects.get(name_en="UTRF").address == "Rabat"
    refused = client.post(
        "/directory/agencies/new/", {"country": "TN", "kind": "fiu", "name_en": "CTAF"}
    )
    assert refused.status_code == 200
    assert not Agency.objects.filter(name_en="CTAF").exists()


def test_handover_tab_shows_only_to_admins_and_coordinators(
    admin_ma, focal_point_ma, signed_in, client
):
    signed_in(admin_ma)
    assert "/directory/handover/" in client.get("/directory/networks/").content.decode()
    signed_in(focal_point_ma)
    assert "/directory/handover/" not in client.get("/directory/networks/").content.decode()


def test_api_lists_networks_with_members(directory, focal_point_tn, client):
    _a, b, network = directory
    response = client.get("/api/v1/directory/networks", **_token(focal_point_tn))
    assert response.status_code == 200
    listed = {n["code"]: n for n in response.json()}
    assert listed[network.code]["members"] == [b.pk]
    assert "matf" in listed
