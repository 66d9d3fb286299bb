"""The refusal-risk rules and the completeness checklist of a cooperation request.

Each rule has a test that it fires and one that it stays silent in the counterpart case. The
country pairs come from the shipped profiles (data/profiles): Morocco and Tunisia keep the
death penalty under a moratorium and accept Arabic and French; France and Burkina Faso are
abolitionist and accept French; Spain is abolitionist, accepts Spanish only and extradites its
nationals under conditions; Morocco, Tunisia and France do not extradite their nationals.
"""

from __future__ import annotations

import datetime

import pytest

from tawasul.cooperation import checks
from tawasul.cooperation.checks import evaluate
from tawasul.cooperation.lifecycle import RequestType
from tawasul.cooperation.measures import MeasureKind
from tawasul.cooperation.models import CooperationRequest, PersonRole
from tawasul.cooperation.steps import STEP_CODES
from tawasul.cooperation.tests.factories import (
    CooperationRequestFactory,
    RequestMeasureFactory,
    RequestOffenceFactory,
    RequestPersonFactory,
)

BANK = {
    "bank": "Banque Exemple",
    "account": "TN59 1000 6035 1835 9847 8831",
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
}
CONTENT = {
    "provider": "Mail provider",
    "identifiers": "suspect@example.invalid",
    "period_start": "2025-01-01",
    "period_end": "2025-06-30",
}
PRESERVATION = {
    "provider": "Mail provider",
    "identifiers": "suspect@example.invalid",
    "data_category": "content",
}
TESTIMONY = {"witness": "The bank clerk", "questions": "Who opened the account?"}
SOUGHT = {
    "role": PersonRole.SOUGHT,
    "name_arabic": "محمد عبد الرحمن الزهراني",
    "name_latin": "Mohamed Abderrahmane El Zahrani",
    "date_of_birth": datetime.date(1990, 3, 1),
    "nationality": "MA",
    "document_type": "Passport",
    "document_number": "AB123456",
}


@pytest.fixture
def mla(profiles):
    """A complete Morocco → Tunisia MLA request for bank records in a terrorist-financing
    case; overrides change one thing at a time."""

    def make(*, offences=1, persons=(), measures=((MeasureKind.BANK_RECORDS, BANK),), **fields):
        values = {
            "requesting_country": "MA",
            "requested_country": "TN",
            "request_type": RequestType.MLA,
            "offence_category": "terrorist_financing",
            "legal_basis": "icsft_1999",
            "document_language": "fr",
            "dual_criminality_statement": "Financing terrorism is an offence under Tunisian law too.",
            "non_political_statement": "ICSFT excludes the political-offence exception.",
        }
        values.update(fields)
        request = CooperationRequestFactory(**values)
        for _ in range(offences):
            RequestOffenceFactory(request=request)
        for person in persons:
            RequestPersonFactory(request=request, **person)
        for kind, details in measures:
            RequestMeasureFactory(request=request, kind=kind, details=dict(details))
        return CooperationRequest.objects.get(pk=request.pk)

    return make


@pytest.fixture
def extradition(mla):
    """A complete Morocco → Tunisia extradition request for a Moroccan national."""

    def make(*, persons=(SOUGHT,), **fields):
        values = {
            "request_type": RequestType.EXTRADITION,
            "legal_basis": "riyadh_1983",
            "assurance_speciality": True,
        }
        values.update(fields)
        return mla(persons=persons, measures=(), **values)

    return make


def codes(request):
    return {risk.code for risk in evaluate(request).risks}


def risk(request, code):
    return next(r for r in evaluate(request).risks if r.code == code)


# --- complete requests -----------------------------------------------------------------------


def test_a_complete_mla_request_has_no_risk_and_is_ready(mla):
    report = evaluate(mla())
    assert report.risks == []
    assert report.missing() == []
    assert report.ready
    assert report.score == 100


def test_a_complete_extradition_request_has_no_risk_and_is_ready(extradition):
    report = evaluate(extradition())
    assert report.risks == []
    assert report.missing() == []
    assert report.ready
    assert report.score == 100


def test_every_rule_and_item_sits_on_a_builder_step(mla, extradition):
    assert {rule.step for rule in checks.RULES} <= set(STEP_CODES)
    assert {rule.severity for rule in checks.RULES} == {checks.BLOCKING, checks.WARNING}
    report = evaluate(extradition(summary_of_facts=""))
    assert {item.step for item in report.checklist} <= set(STEP_CODES)


# --- no profile ------------------------------------------------------------------------------


def test_no_profile_fires_when_the_requested_country_has_no_profile(mla):
    request = mla(requested_country="IT")
    assert "no_profile" in codes(request)
    assert "Italy" in risk(request, "no_profile").message


def test_no_profile_is_silent_when_both_countries_have_one(mla):
    assert "no_profile" not in codes(mla())


# --- legal basis -----------------------------------------------------------------------------


def test_reciprocity_only_fires_when_no_treaty_binds_both_countries(mla):
    # Morocco and Burkina Faso share no instrument covering terrorism (not its financing).
    request = mla(requested_country="BF", offence_category="terrorism", legal_basis="reciprocity")
    assert "reciprocity_only" in codes(request)
    assert evaluate(request).bases == []


def test_reciprocity_only_is_silent_when_a_treaty_binds_both_countries(mla):
    request = mla(offence_category="terrorism", legal_basis="arab_ct_1998")
    assert "reciprocity_only" not in codes(request)


def test_reciprocity_only_is_silent_for_police_requests(mla):
    request = mla(
        requested_country="BF",
        offence_category="terrorism",
        request_type=RequestType.POLICE,
        legal_basis="",
        measures=(),
    )
    assert "reciprocity_only" not in codes(request)


def test_basis_not_common_fires_when_the_chosen_instrument_does_not_cover_the_request(mla):
    # Both are parties to the Budapest Convention, but it does not cover bank records in a
    # terrorist-financing case.
    request = mla(legal_basis="budapest", legal_basis_text="Budapest Convention")
    assert "basis_not_common" in codes(request)
    found = risk(request, "basis_not_common")
    assert found.severity == checks.BLOCKING
    assert "Budapest Convention" in found.message
    assert "Riyadh Arab Agreement" in found.explanation


def test_basis_not_common_is_silent_when_the_chosen_basis_binds_both(mla):
    assert "basis_not_common" not in codes(mla(legal_basis="icsft_1999"))


def test_basis_not_common_is_silent_for_budapest_when_e_evidence_is_requested(mla):
    request = mla(
        legal_basis="budapest",
        measures=((MeasureKind.PRESERVATION, PRESERVATION), (MeasureKind.CONTENT_DATA, CONTENT)),
    )
    assert "basis_not_common" not in codes(request)


def test_the_report_proposes_the_bases_in_force_for_both(mla):
    report = evaluate(mla())
    assert {"icsft_1999", "riyadh_1983", "arab_ct_1998"} <= {b.code for b in report.bases}
    assert report.proposed_basis is not None


# --- dual criminality ------------------------------------------------------------------------


def test_dual_criminality_fires_for_a_coercive_measure_without_statement(mla):
    request = mla(dual_criminality_statement="")
    assert "dual_criminality" in codes(request)
    assert "Bank records" in risk(request, "dual_criminality").message


def test_dual_criminality_is_silent_when_the_statement_is_given(mla):
    assert "dual_criminality" not in codes(mla())


def test_dual_criminality_is_silent_for_non_coercive_measures(mla):
    request = mla(dual_criminality_statement="", measures=((MeasureKind.TESTIMONY, TESTIMONY),))
    assert "dual_criminality" not in codes(request)


# --- death penalty ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "request_type", "basis"),
    [
        ("ES", RequestType.EXTRADITION, "bilateral"),
        ("FR", RequestType.PROVISIONAL_ARREST, "bilateral"),
    ],
)
def test_death_penalty_assurance_fires_from_a_retaining_to_an_abolitionist_state(
    extradition, requested, request_type, basis
):
    # Morocco keeps the death penalty in law (moratorium); Spain and France abolished it.
    request = extradition(requested_country=requested, request_type=request_type, legal_basis=basis)
    assert "death_penalty_assurance" in codes(request)
    assert risk(request, "death_penalty_assurance").severity == checks.BLOCKING


def test_death_penalty_assurance_is_silent_when_the_assurance_is_given(extradition):
    request = extradition(
        requested_country="ES", legal_basis="bilateral", assurance_death_penalty=True
    )
    assert "death_penalty_assurance" not in codes(request)


def test_death_penalty_assurance_is_silent_from_an_abolitionist_state(extradition):
    sought = dict(SOUGHT, nationality="ES")
    request = extradition(
        requesting_country="ES", requested_country="MA", legal_basis="bilateral", persons=(sought,)
    )
    assert "death_penalty_assurance" not in codes(request)


def test_death_penalty_assurance_is_silent_between_two_retaining_states(extradition):
    assert "death_penalty_assurance" not in codes(extradition())


def test_death_penalty_transit_fires_through_an_abolitionist_state(extradition):
    # Morocco → Tunisia (both keep the death penalty in law), the person taken through France.
    request = extradition(transit_countries=["FR"])
    found = risk(request, "death_penalty_transit")
    assert found.severity == checks.BLOCKING
    assert "France" in found.message
    assert "death_penalty_assurance" not in codes(request)  # Tunisia itself has not abolished it


def test_death_penalty_transit_names_only_the_abolitionist_transit_states(extradition):
    found = risk(extradition(transit_countries=["DZ", "ES"]), "death_penalty_transit")
    assert "Spain" in found.message and "Algeria" not in found.message


@pytest.mark.parametrize(
    "fields",
    [
        {"transit_countries": ["FR"], "assurance_death_penalty": True},
        {"transit_countries": ["DZ"]},  # a moratorium is no abolition
        {"transit_countries": []},
        {"transit_countries": ["FR"], "request_type": RequestType.TRANSFER_OF_PROCEEDINGS},
    ],
)
def test_death_penalty_transit_is_silent_otherwise(extradition, fields):
    assert "death_penalty_transit" not in codes(extradition(**fields))


def test_death_penalty_transit_is_silent_from_an_abolitionist_state(extradition):
    sought = dict(SOUGHT, nationality="ES")
    request = extradition(
        requesting_country="ES",
        requested_country="MA",
        legal_basis="bilateral",
        persons=(sought,),
        transit_countries=["FR"],
    )
    assert "death_penalty_transit" not in codes(request)


def test_death_penalty_evidence_warns_for_mla_to_an_abolitionist_state(mla):
    request = mla(requested_country="FR")
    assert "death_penalty_evidence" in codes(request)
    assert risk(request, "death_penalty_evidence").severity == checks.WARNING


def test_death_penalty_evidence_is_silent_with_an_assurance(mla):
    assert "death_penalty_evidence" not in codes(
        mla(requested_country="FR", assurance_death_penalty=True)
    )


# --- nationals -------------------------------------------------------------------------------


def test_national_not_extradited_fires_when_the_person_sought_is_a_national(extradition):
    sought = dict(SOUGHT, nationality="FR")
    request = extradition(requested_country="FR", legal_basis="bilateral", persons=(sought,))
    assert "national_not_extradited" in codes(request)
    found = risk(request, "national_not_extradited")
    assert found.severity == checks.BLOCKING
    assert "transfer of proceedings" in found.explanation


def test_national_not_extradited_is_silent_for_a_foreigner(extradition):
    request = extradition(requested_country="FR", legal_basis="bilateral")
    assert "national_not_extradited" not in codes(request)


def test_national_not_extradited_is_silent_for_a_national_witness(extradition):
    witness = {"role": PersonRole.WITNESS, "name_latin": "Jean Dupont", "nationality": "FR"}
    request = extradition(
        requested_country="FR", legal_basis="bilateral", persons=(SOUGHT, witness)
    )
    assert "national_not_extradited" not in codes(request)


def test_national_conditional_warns_when_the_state_extradites_nationals_under_conditions(
    extradition,
):
    sought = dict(SOUGHT, nationality="ES")
    request = extradition(requested_country="ES", legal_basis="bilateral", persons=(sought,))
    assert "national_conditional" in codes(request)
    assert "national_not_extradited" not in codes(request)


def test_national_conditional_is_silent_for_a_foreigner(extradition):
    request = extradition(requested_country="ES", legal_basis="bilateral")
    assert "national_conditional" not in codes(request)


# --- political offence -----------------------------------------------------------------------


def test_political_offence_warns_for_terrorism_without_statement(mla):
    request = mla(
        offence_category="terrorism", legal_basis="arab_ct_1998", non_political_statement=""
    )
    assert "political_offence" in codes(request)
    assert risk(request, "political_offence").severity == checks.WARNING


def test_political_offence_is_silent_with_a_statement(mla):
    request = mla(offence_category="terrorism", legal_basis="arab_ct_1998")
    assert "political_offence" not in codes(request)


def test_political_offence_is_silent_outside_terrorism(mla):
    request = mla(offence_category="tip", legal_basis="untoc", non_political_statement="")
    assert "political_offence" not in codes(request)


# --- language --------------------------------------------------------------------------------


def test_language_not_accepted_fires_for_a_language_the_requested_state_refuses(mla):
    request = mla(document_language="en")
    assert "language_not_accepted" in codes(request)
    found = risk(request, "language_not_accepted")
    assert found.severity == checks.BLOCKING
    assert "Arabic, French" in found.message


def test_language_not_accepted_is_silent_for_an_accepted_language(mla):
    assert "language_not_accepted" not in codes(mla(document_language="ar"))


def test_translation_needed_warns_when_no_language_tawasul_drafts_is_accepted(mla):
    request = mla(requested_country="ES", legal_basis="bilateral")
    assert "translation_needed" in codes(request)
    assert "language_not_accepted" not in codes(request)
    assert "Spanish" in risk(request, "translation_needed").message


def test_translation_needed_is_silent_when_the_language_is_accepted(mla):
    assert "translation_needed" not in codes(mla(requested_country="FR", legal_basis="bilateral"))


# --- urgency ---------------------------------------------------------------------------------


def test_urgency_without_reason_fires(mla):
    assert "urgency_without_reason" in codes(mla(urgent=True, urgency_reason=""))


def test_urgency_without_reason_is_silent_when_a_reason_is_given(mla):
    request = mla(urgent=True, urgency_reason="The suspect leaves for Syria on 3 May.")
    assert "urgency_without_reason" not in codes(request)


# --- content data ----------------------------------------------------------------------------


def test_content_without_preservation_warns(mla):
    request = mla(measures=((MeasureKind.CONTENT_DATA, CONTENT),))
    assert "content_without_preservation" in codes(request)


def test_content_without_preservation_is_silent_with_a_preservation_measure(mla):
    request = mla(
        measures=((MeasureKind.PRESERVATION, PRESERVATION), (MeasureKind.CONTENT_DATA, CONTENT))
    )
    assert "content_without_preservation" not in codes(request)


def test_content_without_preservation_is_silent_with_a_preservation_reference(mla):
    preserved = dict(CONTENT, preservation_reference="TN-24/7-2026-118")
    request = mla(measures=((MeasureKind.CONTENT_DATA, preserved),))
    assert "content_without_preservation" not in codes(request)


# --- speciality ------------------------------------------------------------------------------


def test_no_speciality_fires_for_extradition_without_undertaking(extradition):
    request = extradition(assurance_speciality=False)
    assert "no_speciality" in codes(request)
    assert not evaluate(request).ready


def test_no_speciality_is_silent_with_the_undertaking(extradition):
    assert "no_speciality" not in codes(extradition(assurance_speciality=True))


def test_no_speciality_is_silent_for_provisional_arrest(extradition):
    request = extradition(request_type=RequestType.PROVISIONAL_ARREST, assurance_speciality=False)
    assert "no_speciality" not in codes(request)


# --- checklist and score ---------------------------------------------------------------------


def test_missing_facts_are_filed_under_the_facts_step(mla):
    report = evaluate(mla(summary_of_facts="", offences=0))
    assert {item.code for item in report.missing("facts")} == {"summary_of_facts", "offences"}
    assert report.missing("persons") == []
    assert not report.ready
    assert report.score < 100


def test_extradition_needs_both_scripts_birth_date_and_nationality_of_the_person_sought(
    extradition,
):
    partial = dict(SOUGHT, name_arabic="", date_of_birth=None, document_number="")
    report = evaluate(extradition(persons=(partial,)))
    missing = report.missing("persons")
    labels = " ".join(item.label for item in missing)
    assert len(missing) == 2
    assert "Arabic script" in labels
    assert "date of birth" in labels
    # The identity document is asked "if known": not essential, but it counts in the score.
    document = next(i for i in report.checklist if i.code.endswith("identity_document"))
    assert not document.essential and not document.done


def test_extradition_without_a_person_sought_is_incomplete(extradition):
    report = evaluate(extradition(persons=()))
    assert [item.code for item in report.missing("persons")] == ["person_sought"]


def test_extradition_needs_the_penalty_of_each_offence(extradition, mla):
    request = extradition()
    request.offences.update(penalty="")
    assert any(i.code.endswith("_penalty") for i in evaluate(request).missing("facts"))
    mla_request = mla()
    mla_request.offences.update(penalty="")
    assert not any(i.code.endswith("_penalty") for i in evaluate(mla_request).checklist)


def test_mla_needs_a_measure(mla):
    report = evaluate(mla(measures=()))
    assert [item.code for item in report.missing("measures")] == ["measures"]


def test_a_measure_missing_a_required_field_is_listed_with_the_field(mla):
    incomplete = {key: value for key, value in BANK.items() if key != "account"}
    report = evaluate(mla(measures=((MeasureKind.BANK_RECORDS, incomplete),)))
    (item,) = report.missing("measures")
    assert "Account number or IBAN" in item.label


def test_a_person_needs_a_name_in_one_script(mla):
    report = evaluate(
        mla(persons=({"role": PersonRole.WITNESS, "name_arabic": "", "name_latin": ""},))
    )
    assert len(report.missing("persons")) == 1
    named = evaluate(
        mla(persons=({"role": PersonRole.WITNESS, "name_arabic": "سعيد", "name_latin": ""},))
    )
    assert named.missing("persons") == []


def test_legal_basis_is_essential_for_judicial_requests_only(mla):
    assert "legal_basis" in {i.code for i in evaluate(mla(legal_basis="")).missing("basis")}
    police = evaluate(mla(request_type=RequestType.POLICE, legal_basis="", measures=()))
    assert "legal_basis" not in {i.code for i in police.checklist}


def test_the_requested_country_requirements_are_reminders_outside_the_score(mla):
    report = evaluate(mla())
    reminders = report.reminders
    assert reminders, "Tunisia's profile lists content requirements for MLA"
    assert all(not r.essential and r.step == "review" for r in reminders)
    assert any("urgency" in r.label for r in reminders)
    assert report.score == 100
    assert report.ready


def test_the_score_counts_done_items(mla):
    report = evaluate(mla(summary_of_facts="", purpose=""))
    scored = [i for i in report.checklist if not i.reminder]
    assert report.score == round(100 * (len(scored) - 2) / len(scored))


# --- performance -----------------------------------------------------------------------------


def test_evaluate_makes_the_same_few_queries_whatever_the_size(mla, django_assert_num_queries):
    small = mla()
    big = mla(
        offences=4,
        persons=(SOUGHT, SOUGHT, SOUGHT),
        measures=((MeasureKind.BANK_RECORDS, BANK),) * 5,
    )
    for request in (small, big):
        request = CooperationRequest.objects.get(pk=request.pk)
        with django_assert_num_queries(5):  # two profiles, offences, persons, measures
            evaluate(request)


def test_evaluate_uses_prefetched_parts(mla, django_assert_num_queries):
    request = CooperationRequest.objects.prefetch_related("offences", "persons", "measures").get(
        pk=mla().pk
    )
    with django_assert_num_queries(2):
        evaluate(request)


def test_basis_written_by_hand_warns_instead_of_blocking(profiles, drafter_ma, es_agency):
    from tawasul.cooperation.checks import evaluate
    from tawasul.cooperation.tests.factories import CooperationRequestFactory

    request = CooperationRequestFactory(
        created_by=drafter_ma,
        requesting_agency=drafter_ma.agency,
        requested_agency=es_agency,
        legal_basis="other",
        legal_basis_text="Bilateral agreement of 2030 (fictional)",
    )
    codes = {(r.code, r.severity) for r in evaluate(request).risks}
    assert ("basis_unlisted", "warning") in codes
    assert "basis_not_common" not in {code for code, _severity in codes}
    request.legal_basis = "icsft_1999"
    assert "basis_unlisted" not in {r.code for r in evaluate(request).risks}
