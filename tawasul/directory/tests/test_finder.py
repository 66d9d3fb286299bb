from __future__ import annotations

import pytest

from tawasul.accounts.services import api_token_create
from tawasul.core.roles import Role
from tawasul.directory.finder import compare, find
from tawasul.directory.tests.factories import FocalPointFactory
from tawasul.directory.tests.test_profiles import load_shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles():
    load_shipped()


def _codes(result):
    return [b.code for b in result.bases]


def test_terrorism_between_two_arab_states_rests_on_riyadh_and_arab_convention(profiles):
    result = find(requesting="TN", requested="MA", request_type="mla", offence="terrorism")
    assert _codes(result) == ["riyadh_1983", "arab_ct_1998"]
    assert not result.reciprocity_only


def test_trafficking_between_morocco_and_spain_uses_untoc_protocol_and_bilateral_treaty(profiles):
    result = find(requesting="MA", requested="ES", request_type="mla", offence="tip")
    codes = _codes(result)
    assert codes == ["untoc", "untoc_tip_protocol", "bilateral"]
    assert "Spain–Morocco convention on mutual legal assistance in criminal matters (2009)" in [
        b.label for b in result.bases
    ]
    # the bilateral extradition convention does not cover a request for assistance
    assert "Spain–Morocco extradition convention (2009)" not in [b.label for b in result.bases]


def test_terrorist_financing_with_lebanon_has_no_icsft_basis(profiles):
    result = find(
        requesting="FR", requested="LB", request_type="mla", offence="terrorist_financing"
    )
    assert "icsft_1999" not in _codes(result)
    egypt = find(requesting="JO", requested="EG", request_type="mla", offence="terrorist_financing")
    assert "icsft_1999" in _codes(egypt)


def test_pair_without_common_instrument_falls_back_to_reciprocity_and_diplomatic_channel(profiles):
    result = find(requesting="FR", requested="LB", request_type="mla", offence="terrorism")
    assert result.reciprocity_only
    assert _codes(result) == ["reciprocity"]
    assert result.channels == ["diplomatic"]
    assert any("reciprocity" in w and "diplomatic channel" in w for w in result.warnings)


def test_e_evidence_measure_uses_budapest_when_both_are_parties(profiles):
    result = find(
        requesting="TN",
        requested="FR",
        request_type="mla",
        offence="terrorism",
        measure="content_data",
    )
    assert _codes(result) == ["budapest", "bilateral"]
    no_budapest = find(
        requesting="EG",
        requested="FR",
        request_type="mla",
        offence="terrorism",
        measure="content_data",
    )
    assert no_budapest.reciprocity_only


def test_accepted_languages_and_channel_come_from_the_requested_profile(profiles):
    result = find(requesting="FR", requested="MA", request_type="mla", offence="terrorism")
    assert result.languages == ["ar", "fr"]
    assert result.channels[0] == "central_authority"
    assert result.authority["name_en"].startswith("Ministry of Justice")
    assert find(
        requesting="MA", requested="IQ", request_type="mla", offence="terrorism"
    ).languages == ["ar"]
    assert find(requesting="MA", requested="ES", request_type="mla", offence="tip").languages == [
        "es"
    ]


def test_extradition_from_a_country_that_does_not_extradite_nationals_warns(profiles):
    result = find(requesting="FR", requested="IQ", request_type="extradition", offence="terrorism")
    assert any("does not extradite its nationals" in w for w in result.warnings)
    mla = find(requesting="FR", requested="IQ", request_type="mla", offence="terrorism")
    assert not any("nationals" in w for w in mla.warnings)


def test_death_penalty_assurance_warning_when_requesting_country_retains_it(profiles):
    result = find(requesting="EG", requested="FR", request_type="extradition", offence="terrorism")
    assert any("death-penalty assurance" in w for w in result.warnings)
    reverse = find(requesting="FR", requested="EG", request_type="extradition", offence="terrorism")
    assert not any("death-penalty assurance" in w for w in reverse.warnings)


def test_measure_not_available_warns(profiles):
    result = find(
        requesting="TN",
        requested="MA",
        request_type="mla",
        offence="terrorism",
        measure="joint_investigation_team",
    )
    assert result.measure_info["availability"] == "not_available"
    assert any("not available" in w for w in result.warnings)


def test_unverified_facts_are_flagged(profiles):
    result = find(requesting="TN", requested="MA", request_type="mla", offence="terrorism")
    assert result.unverified
    assert any("not verified" in w for w in result.warnings)


def test_focal_points_to_contact_have_the_competence_in_the_requested_country(profiles, make_user):
    ma = make_user(country="MA", roles=[Role.FOCAL_POINT])
    tn = make_user(country="TN", roles=[Role.FOCAL_POINT])
    ma_tip = make_user(country="MA", roles=[Role.FOCAL_POINT])
    wanted = FocalPointFactory(user=ma, competences=",terrorism,", reachable_24_7=True)
    FocalPointFactory(user=tn, competences=",terrorism,")
    FocalPointFactory(user=ma_tip, competences=",tip,")
    result = find(requesting="TN", requested="MA", request_type="mla", offence="terrorism")
    assert result.focal_points == [wanted]


def test_missing_profile_gives_a_warning_not_an_error():
    result = find(requesting="TN", requested="MA", request_type="mla", offence="terrorism")
    assert result.authority is None
    assert result.warnings


def test_compare_two_countries_for_one_measure(profiles):
    columns = compare(
        countries=["FR", "MA"], measure="joint_investigation_team", request_type="mla"
    )
    assert [c["country"] for c in columns] == ["FR", "MA"]
    assert columns[0]["measure"]["value"]["availability"] == "available"
    assert columns[1]["measure"]["value"]["availability"] == "not_available"


def test_finder_page_shows_result_and_verified_status(profiles, focal_point_tn, signed_in, client):
    signed_in(focal_point_tn)
    response = client.get(
        "/directory/finder/",
        {"requesting": "FR", "requested": "LB", "request_type": "mla", "offence": "terrorism"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Reciprocity" in body
    assert "Diplomatic channel" in body


def test_finder_page_refuses_same_country_with_a_message(
    profiles, focal_point_tn, signed_in, client
):
    signed_in(focal_point_tn)
    response = client.get(
        "/directory/finder/",
        {"requesting": "MA", "requested": "MA", "request_type": "mla", "offence": "terrorism"},
    )
    assert response.status_code == 200
    assert "Choose two different countries." in response.content.decode()


def test_compare_page_side_by_side(profiles, focal_point_ma, signed_in, client):
    signed_in(focal_point_ma)
    response = client.get(
        "/directory/compare/",
        {
            "first": "FR",
            "second": "MA",
            "measure": "joint_investigation_team",
            "request_type": "mla",
        },
    )
    body = response.content.decode()
    assert "Not available" in body and "Available" in body


def _token(user):
    _, plaintext = api_token_create(actor=user, name="t", days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_finder_api_operation(profiles, focal_point_tn, client):
    response = client.post(
        "/api/v1/directory/finder",
        {
            "requesting": "FR",
            "requested": "IQ",
            "request_type": "extradition",
            "offence": "terrorism",
        },
        content_type="application/json",
        **_token(focal_point_tn),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["languages"] == ["ar"]
    assert any("does not extradite its nationals" in w for w in data["warnings"])


def test_finder_api_refuses_bad_input_with_422(profiles, focal_point_tn, client):
    response = client.post(
        "/api/v1/directory/finder",
        {"requesting": "XX", "requested": "IQ", "request_type": "mla", "offence": "terrorism"},
        content_type="application/json",
        **_token(focal_point_tn),
    )
    assert response.status_code == 422
