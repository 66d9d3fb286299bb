"""The pages of cooperation requests: the list, the guided builder (one step per screen, warning
before moving on), the request's page and its actions, the downloads; foreign users get 404
and bad input a message, never a 500."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tawasul.cooperation import checks
from tawasul.cooperation.checks import ChecklistItem, Report
from tawasul.cooperation.lifecycle import Status
from tawasul.cooperation.models import (
    CooperationRequest,
    RequestAssignment,
    RequestAttachment,
    RequestDocument,
    RequestMeasure,
    RequestNotification,
    RequestOffence,
    RequestPerson,
)
from tawasul.cooperation.steps import STEP_CODES, STEPS
from tawasul.cooperation.tests.factories import (
    CooperationRequestFactory,
    RequestMeasureFactory,
    RequestOffenceFactory,
)
from tawasul.core.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nFORMAL-REQUEST\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def fixed_render(monkeypatch):
    """The renderer is another helper's: the pages only need bytes to store and serve."""
    calls = []

    def render(request, *, language, fmt):
        calls.append((request.pk, language, fmt))
        return PDF

    monkeypatch.setattr("tawasul.cooperation.documents.render", render)
    return calls


@pytest.fixture
def complete(monkeypatch):
    """Every check passes: the pages' own flow is under test, not the rules."""
    monkeypatch.setattr(checks, "evaluate", lambda request: Report())


def _step(req, code):
    return reverse("cooperation:step", kwargs={"request_id": req.pk, "step": code})


def _detail(req):
    return reverse("cooperation:detail", args=[req.pk])


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "admin_ma", "oversight_ma"])
def test_users_who_do_not_work_on_requests_get_404(persona, request, signed_in, draft):
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(reverse("cooperation:index")).status_code == 404
    assert client.get(reverse("cooperation:new")).status_code == 404
    assert client.get(_detail(draft)).status_code == 404


def test_border_officer_gets_404(make_user, signed_in):
    officer = make_user(country="MA", roles=[Role.BORDER_OFFICER])
    assert signed_in(officer).get(reverse("cooperation:index")).status_code == 404


def test_foreign_focal_point_gets_404_on_a_draft(signed_in, fp_es, focal_point_tn, draft):
    for user in (fp_es, focal_point_tn):
        client = signed_in(user)
        assert client.get(_detail(draft)).status_code == 404
        assert client.get(_step(draft, "facts")).status_code == 404
        assert client.post(_step(draft, "facts"), {"summary_of_facts": "x"}).status_code == 404
    draft.refresh_from_db()
    assert draft.summary_of_facts != "x"


def test_missing_and_foreign_requests_answer_the_same(signed_in, focal_point_tn, draft):
    client = signed_in(focal_point_tn)
    missing = reverse("cooperation:detail", args=[draft.pk + 1000])
    assert client.get(missing).status_code == client.get(_detail(draft)).status_code == 404


def test_navigation_shows_requests_to_case_workers_only(signed_in, drafter_ma, coordinator):
    url = reverse("cooperation:index")
    assert f'href="{url}"' in signed_in(drafter_ma).get(reverse("core:home")).content.decode()
    assert f'href="{url}"' not in signed_in(coordinator).get(reverse("core:home")).content.decode()


# --- the list ------------------------------------------------------------------------------


def test_list_shows_outgoing_and_incoming_with_overdue_highlighted(
    signed_in, drafter_ma, ma_agency
):
    overdue = CooperationRequestFactory(
        created_by=drafter_ma,
        status=Status.TRANSMITTED,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    incoming = CooperationRequestFactory(
        requesting_country="ES",
        requested_country="MA",
        requested_agency=ma_agency,
        status=Status.TRANSMITTED,
    )
    client = signed_in(drafter_ma)
    page = client.get(reverse("cooperation:index")).content.decode()
    assert overdue.reference in page and incoming.reference in page
    assert 'class="table-danger"' in page and "Overdue" in page
    outgoing_tab = client.get(reverse("cooperation:index"), {"direction": "outgoing"})
    assert overdue.reference in outgoing_tab.content.decode()
    assert incoming.reference not in outgoing_tab.content.decode()
    incoming_tab = client.get(reverse("cooperation:index"), {"direction": "incoming"})
    assert incoming.reference in incoming_tab.content.decode()
    assert overdue.reference not in incoming_tab.content.decode()
    only_overdue = client.get(reverse("cooperation:index"), {"overdue": "on"}).content.decode()
    assert overdue.reference in only_overdue and incoming.reference not in only_overdue


def test_list_ignores_bad_filters_instead_of_failing(signed_in, drafter_ma, draft):
    response = signed_in(drafter_ma).get(
        reverse("cooperation:index"),
        {
            "status": "bogus",
            "country": "ZZ",
            "page": "abc",
            "direction": "sideways",
            "q": "x" * 500,
        },
    )
    assert response.status_code == 200
    assert draft.reference in response.content.decode()


def test_list_paginates(signed_in, drafter_ma):
    for _ in range(27):
        CooperationRequestFactory(created_by=drafter_ma)
    client = signed_in(drafter_ma)
    first = client.get(reverse("cooperation:index")).content.decode()
    assert "page=2" in first
    second = client.get(reverse("cooperation:index"), {"page": 2}).content.decode()
    assert second.count('href="/requests/') - second.count("/requests/new/") >= 2


def test_unread_notifications_are_listed_and_marked_read(signed_in, drafter_ma, draft):
    note = RequestNotification.objects.create(user=drafter_ma, request=draft, kind="approve")
    client = signed_in(drafter_ma)
    page = client.get(reverse("cooperation:index")).content.decode()
    assert "Approve and transmit" in page and "Mark all as read" in page
    response = client.post(reverse("cooperation:notifications_read"))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert "Mark all as read" not in client.get(reverse("cooperation:index")).content.decode()


# --- step 1 --------------------------------------------------------------------------------


def _new_values(**overrides):
    return {
        "request_type": "mla",
        "requested_country": "ES",
        "offence_category": "terrorist_financing",
        "requesting_reference": "RABAT/2026/17",
        "urgent": "",
        "urgency_reason": "",
        "deadline": "",
        "idempotency_key": "k-1",
        **overrides,
    }


def test_new_request_creates_a_draft_and_moves_to_the_basis(signed_in, drafter_ma, profiles):
    response = signed_in(drafter_ma).post(reverse("cooperation:new"), _new_values())
    created = CooperationRequest.objects.get(requesting_reference="RABAT/2026/17")
    assert response.status_code == 302
    assert response["Location"] == _step(created, "basis")
    assert created.status == Status.DRAFT and created.requesting_agency == drafter_ma.agency
    assert str(created.requested_country) == "ES"


def test_new_request_twice_with_the_same_key_is_one_draft(signed_in, drafter_ma):
    client = signed_in(drafter_ma)
    client.post(reverse("cooperation:new"), _new_values())
    client.post(reverse("cooperation:new"), _new_values())
    assert CooperationRequest.objects.filter(requesting_reference="RABAT/2026/17").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deadline", "2026-13-45", "Enter a valid date"),
        ("deadline", "2001-01-01", "The deadline is in the past."),
        ("requested_country", "MA", "Select a valid choice"),
        ("request_type", "bogus", "Select a valid choice"),
        ("urgent", "on", "Say why the request is urgent."),
    ],
)
def test_new_request_bad_input_is_a_message_not_a_draft(
    signed_in, drafter_ma, field, value, message
):
    response = signed_in(drafter_ma).post(reverse("cooperation:new"), _new_values(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CooperationRequest.objects.exists()


def test_new_request_page_renders(signed_in, drafter_ma):
    page = signed_in(drafter_ma).get(reverse("cooperation:new")).content.decode()
    assert 'name="idempotency_key"' in page
    assert 'value="MA"' not in page  # one's own country is never the requested one


# --- the builder ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", STEP_CODES)
def test_each_step_renders_for_the_drafter(signed_in, drafter_ma, draft, profiles, code):
    RequestOffenceFactory(request=draft)
    RequestMeasureFactory(request=draft)
    response = signed_in(drafter_ma).get(_step(draft, code))
    assert response.status_code == 200
    page = response.content.decode()
    label = str(next(s.label for s in STEPS if s.code == code))
    assert label in page and draft.reference in page
    assert "Completeness" in page


def test_unknown_step_is_404(signed_in, drafter_ma, draft):
    assert signed_in(drafter_ma).get(_step(draft, "nowhere")).status_code == 404


def test_a_submitted_request_is_no_longer_editable(signed_in, drafter_ma, draft):
    CooperationRequest.objects.filter(pk=draft.pk).update(status=Status.AWAITING_APPROVAL)
    client = signed_in(drafter_ma)
    response = client.get(_step(draft, "facts"))
    assert response.status_code == 302 and response["Location"] == _detail(draft)
    client.post(_step(draft, "facts"), {"summary_of_facts": "changed", "purpose": ""})
    draft.refresh_from_db()
    assert draft.summary_of_facts != "changed"


def test_step_type_saves_and_moves_on(signed_in, drafter_ma, draft, complete):
    values = _new_values(requesting_reference="NEW-REF", urgent="on", urgency_reason="In custody")
    del values["idempotency_key"]
    response = signed_in(drafter_ma).post(_step(draft, "type"), values)
    assert response.status_code == 302 and response["Location"] == _step(draft, "basis")
    draft.refresh_from_db()
    assert draft.requesting_reference == "NEW-REF" and draft.urgent


def test_changing_the_requested_country_clears_the_authority_and_basis(
    signed_in, drafter_ma, draft, complete
):
    values = _new_values(requested_country="TN")
    del values["idempotency_key"]
    response = signed_in(drafter_ma).post(_step(draft, "type"), values)
    assert response["Location"] == _step(draft, "basis")
    draft.refresh_from_db()
    assert str(draft.requested_country) == "TN"
    assert draft.requested_agency is None and draft.legal_basis == ""


def test_step_basis_shows_the_finder_proposal_and_saves_the_choice(
    signed_in, drafter_ma, draft, es_agency, profiles, complete
):
    client = signed_in(drafter_ma)
    page = client.get(_step(draft, "basis")).content.decode()
    assert "Central authority" in page and "Accepted languages" in page
    assert "International Convention for the Suppression of the Financing of Terrorism" in page
    assert "Source:" in page and ("Verified" in page or "Not verified" in page)
    assert es_agency.name_en in page
    response = client.post(
        _step(draft, "basis"),
        {
            "legal_basis": "other",
            "legal_basis_text": "Bilateral agreement of 2009, art. 3",
            "requested_agency": es_agency.pk,
            "requested_authority": "Subdirección General de Cooperación Jurídica Internacional",
        },
    )
    assert response.status_code == 302 and response["Location"] == _step(draft, "facts")
    draft.refresh_from_db()
    assert draft.legal_basis == "other"
    assert draft.legal_basis_text == "Bilateral agreement of 2009, art. 3"
    assert draft.requested_authority.startswith("Subdirección")


def test_step_basis_proposed_radio_stores_its_code(
    signed_in, drafter_ma, draft, profiles, complete
):
    CooperationRequest.objects.filter(pk=draft.pk).update(legal_basis="", legal_basis_text="")
    client = signed_in(drafter_ma)
    client.post(
        _step(draft, "basis"),
        {"legal_basis": "icsft_1999", "requested_agency": "", "requested_authority": "CA"},
    )
    draft.refresh_from_db()
    assert draft.legal_basis == "icsft_1999"
    assert "Financing of Terrorism" in draft.legal_basis_text


def test_step_basis_refuses_an_agency_of_another_country(
    signed_in, drafter_ma, draft, ma_agency, complete
):
    response = signed_in(drafter_ma).post(
        _step(draft, "basis"),
        {"legal_basis": "other", "legal_basis_text": "Treaty", "requested_agency": ma_agency.pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_step_facts_saves_and_offences_are_added_and_removed(
    signed_in, drafter_ma, draft, complete
):
    client = signed_in(drafter_ma)
    response = client.post(
        _step(draft, "facts"), {"summary_of_facts": "New facts.", "purpose": "New purpose."}
    )
    assert response["Location"] == _step(draft, "persons")
    response = client.post(
        _step(draft, "facts"),
        {
            "op": "offence",
            "description": "Financing of terrorism",
            "legal_provision": "Art. 218-4 Criminal Code: « … »",
            "penalty": "20 years",
        },
    )
    assert response.status_code == 302 and response["Location"] == _step(draft, "facts")
    offence = RequestOffence.objects.get(request=draft)
    page = client.get(_step(draft, "facts")).content.decode()
    assert "Art. 218-4" in page
    remove = reverse(
        "cooperation:part_remove",
        kwargs={"request_id": draft.pk, "part": "offence", "part_id": offence.pk},
    )
    assert client.post(remove)["Location"] == _step(draft, "facts")
    assert not RequestOffence.objects.filter(request=draft).exists()
    draft.refresh_from_db()
    assert draft.summary_of_facts == "New facts."


def test_offence_without_its_provision_is_refused_with_a_message(
    signed_in, drafter_ma, draft, complete
):
    response = signed_in(drafter_ma).post(
        _step(draft, "facts"), {"op": "offence", "description": "Fraud", "legal_provision": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not RequestOffence.objects.exists()


def test_step_persons_adds_and_service_errors_show_in_the_form(
    signed_in, drafter_ma, draft, complete
):
    client = signed_in(drafter_ma)
    response = client.post(
        _step(draft, "persons"),
        {
            "op": "person",
            "role": "suspect",
            "name_arabic": "جمال الزهراني",
            "name_latin": "Djamel Zahrani",
            "date_of_birth": "1990-04-02",
            "nationality": "DZ",
        },
    )
    assert response.status_code == 302
    person = RequestPerson.objects.get(request=draft)
    assert person.date_of_birth == datetime.date(1990, 4, 2)
    assert "جمال الزهراني" in client.get(_step(draft, "persons")).content.decode()
    refused = client.post(
        _step(draft, "persons"), {"op": "person", "role": "witness", "name_arabic": "Latin only"}
    )
    assert refused.status_code == 400
    assert "has no Arabic letters" in refused.content.decode()
    assert RequestPerson.objects.filter(request=draft).count() == 1
    assert client.post(_step(draft, "persons"), {"op": "save"})["Location"] == _step(
        draft, "measures"
    )


def test_measure_fields_swap_with_htmx_and_load_without_javascript(signed_in, drafter_ma, draft):
    client = signed_in(drafter_ma)
    fragment = client.get(_step(draft, "measures"), {"kind": "testimony"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert "Questions to put" in html and 'value="measure_add"' in html
    assert "HX-Request" in fragment["Vary"]
    full = client.get(_step(draft, "measures"), {"kind": "testimony"}).content.decode()
    assert "<html" in full and "Questions to put" in full
    assert "hx-get" in full  # the kind select swaps the fields when JavaScript runs
    bogus = client.get(_step(draft, "measures"), {"kind": "bogus"}, HTTP_HX_REQUEST="true")
    assert bogus.status_code == 200 and "measure_add" not in bogus.content.decode()


def test_step_measures_adds_edits_and_removes(signed_in, drafter_ma, draft, complete):
    client = signed_in(drafter_ma)
    response = client.post(
        _step(draft, "measures"),
        {
            "op": "measure_add",
            "kind": "bank_records",
            "bank": "Banco Ejemplo",
            "account": "ES91 2100",
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
        },
    )
    assert response.status_code == 302
    measure = RequestMeasure.objects.get(request=draft)
    assert measure.details["period_end"] == "2025-06-30"
    edit = client.get(_step(draft, "measures"), {"edit": measure.pk}).content.decode()
    assert 'value="Banco Ejemplo"' in edit and 'value="measure_update"' in edit
    client.post(
        _step(draft, "measures"),
        {
            "op": "measure_update",
            "kind": "bank_records",
            "measure_id": measure.pk,
            "bank": "Other bank",
            "account": "ES91 2100",
        },
    )
    measure.refresh_from_db()
    assert measure.details["bank"] == "Other bank"
    reversed_period = client.post(
        _step(draft, "measures"),
        {
            "op": "measure_add",
            "kind": "bank_records",
            "period_start": "2025-06-30",
            "period_end": "2025-01-01",
        },
    )
    assert reversed_period.status_code == 400
    assert "The period ends before it starts." in reversed_period.content.decode()
    remove = reverse(
        "cooperation:part_remove",
        kwargs={"request_id": draft.pk, "part": "measure", "part_id": measure.pk},
    )
    client.post(remove)
    assert not RequestMeasure.objects.filter(request=draft).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"op": "measure_update", "kind": "bank_records", "measure_id": "999999"},
        {"op": "measure_update", "kind": "bank_records", "measure_id": "abc"},
        {"op": "measure_update", "kind": "bank_records"},
        {"op": "measure_add", "kind": "teleportation"},
        {"op": "measure_add", "kind": "bank_records", "period_start": "31/12/2025"},
    ],
)
def test_bad_measure_input_is_a_message_not_a_500(signed_in, drafter_ma, draft, data):
    response = signed_in(drafter_ma).post(_step(draft, "measures"), data, follow=True)
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "alert-danger" in page or "invalid-feedback" in page
    assert not RequestMeasure.objects.filter(request=draft).exists()


def test_bad_part_removal_is_a_message_not_a_500(signed_in, drafter_ma, draft):
    client = signed_in(drafter_ma)
    for part, part_id in (("offence", 999999), ("spaceship", 1)):
        url = reverse(
            "cooperation:part_remove",
            kwargs={"request_id": draft.pk, "part": part, "part_id": part_id},
        )
        response = client.post(url, follow=True)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode()


def test_step_conditions_requires_the_h3_restriction(signed_in, drafter_ma, draft, complete):
    client = signed_in(drafter_ma)
    values = {
        "dual_criminality_statement": "Also an offence in Spain (art. 576 CP).",
        "non_political_statement": "Terrorist financing is not political.",
        "assurance_fair_trial": "on",
        "handling_code": "H3",
        "restriction": "",
        "document_language": "fr",
    }
    refused = client.post(_step(draft, "conditions"), values)
    assert refused.status_code == 400
    assert "State the restriction that H3 imposes." in refused.content.decode()
    response = client.post(
        _step(draft, "conditions"), {**values, "restriction": "Not for the press"}
    )
    assert response["Location"] == _step(draft, "attachments")
    draft.refresh_from_db()
    assert draft.handling_code == "H3" and draft.restriction == "Not for the press"
    assert draft.assurance_fair_trial and not draft.assurance_death_penalty


def test_step_conditions_saves_the_countries_of_transit(signed_in, drafter_ma, draft, complete):
    client = signed_in(drafter_ma)
    values = {"handling_code": "H1", "document_language": "fr", "transit_countries": ["FR", "DZ"]}
    response = client.post(_step(draft, "conditions"), values)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [country.code for country in draft.transit_countries] == ["FR", "DZ"]
    page = client.get(_step(draft, "conditions")).content.decode()
    assert '<option value="FR" selected>' in page
    review = client.get(_step(draft, "review")).content.decode()
    assert "Countries of transit" in review and "Algeria" in review
    refused = client.post(_step(draft, "conditions"), {**values, "transit_countries": ["XX"]})
    assert refused.status_code == 400
    draft.refresh_from_db()
    assert [country.code for country in draft.transit_countries] == ["FR", "DZ"]


def test_missing_information_is_reported_before_moving_on(
    signed_in, drafter_ma, draft, monkeypatch
):
    report = Report(
        checklist=[ChecklistItem("summary_of_facts", "Summary of the facts", False, "facts")]
    )
    monkeypatch.setattr(checks, "evaluate", lambda request: report)
    client = signed_in(drafter_ma)
    response = client.post(_step(draft, "facts"), {"summary_of_facts": "", "purpose": "P"})
    assert response.status_code == 302
    assert response["Location"] == _step(draft, "facts") + "?incomplete=1"
    page = client.get(response["Location"]).content.decode()
    assert "essential information is missing" in page
    assert "Summary of the facts" in page
    assert "Continue anyway" in page and f'href="{_step(draft, "persons")}"' in page


def test_the_real_checks_stop_an_empty_summary(signed_in, drafter_ma, draft, profiles):
    response = signed_in(drafter_ma).post(
        _step(draft, "facts"), {"summary_of_facts": "", "purpose": "P"}
    )
    assert response["Location"].endswith("?incomplete=1")


def test_step_risks_show_explanation_and_source(signed_in, drafter_ma, draft, monkeypatch):
    risk = checks.Risk(
        code="dual_criminality",
        severity="blocking",
        message="Coercive measure without dual criminality",
        explanation="Spain requires that the facts be an offence there too.",
        source="UNTOC art. 18",
        step="conditions",
    )
    monkeypatch.setattr(checks, "evaluate", lambda request: Report(risks=[risk]))
    client = signed_in(drafter_ma)
    page = client.get(_step(draft, "conditions")).content.decode()
    assert "Coercive measure without dual criminality" in page
    assert "Spain requires" in page and "UNTOC art. 18" in page
    assert "Coercive measure" not in client.get(_step(draft, "facts")).content.decode()
    assert "Coercive measure" in client.get(_step(draft, "review")).content.decode()


# --- attachments, documents, receipts ------------------------------------------------------


def _upload(client, req, name="evidence.pdf", data=PDF):
    return client.post(
        reverse("cooperation:attachment_add", args=[req.pk]),
        {
            "file": SimpleUploadedFile(name, data),
            "description": "Bank letter",
            "handling_code": "H1",
        },
    )


def test_attachment_upload_download_and_removal(signed_in, drafter_ma, draft):
    client = signed_in(drafter_ma)
    response = _upload(client, draft)
    assert response.status_code == 302 and response["Location"] == _step(draft, "attachments")
    attachment = RequestAttachment.objects.get(request=draft)
    assert "evidence.pdf" in client.get(_step(draft, "attachments")).content.decode()
    download = client.get(reverse("cooperation:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    client.post(reverse("cooperation:attachment_remove", args=[attachment.pk]))
    assert not RequestAttachment.objects.exists()


def test_refused_upload_shows_the_message(signed_in, drafter_ma, draft):
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    response = _upload(signed_in(drafter_ma), draft, name="evil.pdf", data=html)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    assert not RequestAttachment.objects.exists()


def test_foreign_user_cannot_download_an_attachment(signed_in, drafter_ma, fp_es, draft):
    _upload(signed_in(drafter_ma), draft)
    attachment = RequestAttachment.objects.get()
    response = signed_in(fp_es).get(
        reverse("cooperation:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 404


def test_documents_are_generated_and_downloaded_as_attachments(
    signed_in, drafter_ma, draft, fixed_render
):
    client = signed_in(drafter_ma)
    response = client.post(
        reverse("cooperation:document_generate", args=[draft.pk]),
        {"language": "ar", "format": "docx", "return_to": "review"},
    )
    assert response.status_code == 302 and response["Location"] == _step(draft, "review")
    document = RequestDocument.objects.get(request=draft)
    assert (document.language, document.format) == ("ar", "docx")
    assert reverse("cooperation:document_download", args=[document.pk]) in (
        client.get(_step(draft, "review")).content.decode()
    )
    download = client.get(reverse("cooperation:document_download", args=[document.pk]))
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert f"{draft.reference}-v{draft.content_version}-ar.docx" in download["Content-Disposition"]
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert download["X-Content-Type-Options"] == "nosniff"


def test_document_bad_language_or_missing_renderer_is_a_message(
    signed_in, drafter_ma, draft, monkeypatch
):
    client = signed_in(drafter_ma)
    url = reverse("cooperation:document_generate", args=[draft.pk])
    bad = client.post(url, {"language": "xx", "format": "pdf"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()

    def not_yet(request, *, language, fmt):
        raise NotImplementedError

    monkeypatch.setattr("tawasul.cooperation.documents.render", not_yet)
    missing = client.post(url, {"language": "en", "format": "pdf", "return_to": "review"})
    assert missing.status_code == 400
    assert "cannot be generated yet" in missing.content.decode()
    assert not RequestDocument.objects.exists()


# --- the lifecycle -------------------------------------------------------------------------


def test_submit_and_approve_end_to_end(
    signed_in, drafter_ma, checker_ma, draft, complete, fixed_render
):
    client = signed_in(drafter_ma)
    review = client.get(_step(draft, "review")).content.decode()
    assert "Submit for approval" in review
    response = client.post(
        reverse("cooperation:transition", args=[draft.pk]),
        {"action": "submit", "return_to": "review"},
    )
    assert response.status_code == 302 and response["Location"] == _detail(draft)
    draft.refresh_from_db()
    assert draft.status == Status.AWAITING_APPROVAL and draft.submitted_by == drafter_ma

    # The drafter cannot approve their own request: no such button, and a forged post fails.
    page = client.get(_detail(draft)).content.decode()
    assert "Approve and transmit" not in page
    forged = client.post(reverse("cooperation:transition", args=[draft.pk]), {"action": "approve"})
    assert forged.status_code == 400 and "A second person must approve" in forged.content.decode()

    checker = signed_in(checker_ma)
    page = checker.get(_detail(draft)).content.decode()
    assert "Approve and transmit" in page and "Return to the drafter" in page
    response = checker.post(
        reverse("cooperation:transition", args=[draft.pk]), {"action": "approve"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.TRANSMITTED and draft.approved_by == checker_ma
    assert draft.due_on is not None

    page = checker.get(_detail(draft)).content.decode()
    transitions = list(draft.transitions.order_by("at", "pk"))
    assert [t.action for t in transitions] == ["submit", "approve"]
    receipt_url = reverse(
        "cooperation:receipt", kwargs={"request_id": draft.pk, "transition_id": transitions[1].pk}
    )
    assert receipt_url in page
    receipt = checker.get(receipt_url)
    assert receipt["Content-Disposition"].startswith("attachment")
    assert receipt["Content-Type"] == "application/json"
    assert receipt["X-Content-Type-Options"] == "nosniff"
    assert json.loads(receipt.content)["action"] == "approve"


def test_submission_refused_by_the_checks_shows_why_on_the_review(
    signed_in, drafter_ma, draft, monkeypatch
):
    report = Report(checklist=[ChecklistItem("offences", "At least one offence", False, "facts")])
    monkeypatch.setattr(checks, "evaluate", lambda request: report)
    response = signed_in(drafter_ma).post(
        reverse("cooperation:transition", args=[draft.pk]),
        {"action": "submit", "return_to": "review"},
    )
    assert response.status_code == 400
    assert "Essential information is missing: At least one offence" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_note_is_required_where_the_lifecycle_says_so(signed_in, drafter_ma, draft):
    client = signed_in(drafter_ma)
    page = client.get(_detail(draft)).content.decode()
    assert "Reason for withdrawal" in page
    url = reverse("cooperation:transition", args=[draft.pk])
    refused = client.post(url, {"action": "withdraw", "note": ""})
    assert refused.status_code == 400
    assert "Reason for withdrawal: this is required." in refused.content.decode()
    assert client.post(url, {"action": "withdraw", "note": "Case closed"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN


@pytest.mark.parametrize("action", ["bogus", "", "acknowledge"])
def test_unknown_or_foreign_action_is_a_message(signed_in, drafter_ma, draft, action):
    response = signed_in(drafter_ma).post(
        reverse("cooperation:transition", args=[draft.pk]), {"action": action}
    )
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_requested_central_authority_assigns_a_focal_point(
    signed_in, drafter_ma, central_es, make_user
):
    req = CooperationRequestFactory(created_by=drafter_ma, status=Status.TRANSMITTED)
    other_es = make_user(country="ES", roles=[Role.FOCAL_POINT])  # another agency
    assert signed_in(other_es).get(_detail(req)).status_code == 404
    client = signed_in(central_es)
    page = client.get(_detail(req)).content.decode()
    assert "Focal points assigned" in page and other_es.full_name in page
    bad = client.post(reverse("cooperation:assign", args=[req.pk]), {"user": drafter_ma.pk})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    response = client.post(reverse("cooperation:assign", args=[req.pk]), {"user": other_es.pk})
    assert response.status_code == 302
    assert RequestAssignment.objects.filter(request=req, user=other_es).exists()
    assert signed_in(other_es).get(_detail(req)).status_code == 200


def test_requesting_side_sees_no_assignment_form(signed_in, drafter_ma):
    req = CooperationRequestFactory(created_by=drafter_ma, status=Status.TRANSMITTED)
    client = signed_in(drafter_ma)
    assert "Focal points assigned" not in client.get(_detail(req)).content.decode()
    response = client.post(reverse("cooperation:assign", args=[req.pk]), {"user": "1"})
    assert response.status_code == 400
    assert not RequestAssignment.objects.exists()


def test_requested_side_adds_execution_results_on_the_request_page(
    signed_in, drafter_ma, central_es
):
    req = CooperationRequestFactory(created_by=drafter_ma, status=Status.IN_EXECUTION)
    client = signed_in(central_es)
    assert 'enctype="multipart/form-data"' in client.get(_detail(req)).content.decode()
    response = _upload(client, req, name="results.pdf")
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    assert RequestAttachment.objects.filter(request=req, uploaded_by=central_es).exists()


def test_receipt_of_another_request_is_404(signed_in, drafter_ma, draft):
    other = CooperationRequestFactory(created_by=drafter_ma)
    from tawasul.cooperation.services import request_transition

    done = request_transition(actor=drafter_ma, request=other, action="withdraw", note="x")
    url = reverse("cooperation:receipt", kwargs={"request_id": draft.pk, "transition_id": done.pk})
    assert signed_in(drafter_ma).get(url).status_code == 404


# --- Arabic --------------------------------------------------------------------------------


def test_review_and_detail_render_in_arabic(signed_in, drafter_ma, draft, profiles):
    RequestOffenceFactory(request=draft)
    RequestMeasureFactory(request=draft)
    drafter_ma.language = "ar"
    drafter_ma.save()
    client = signed_in(drafter_ma)
    for url in (
        _step(draft, "review"),
        _step(draft, "basis"),
        _detail(draft),
        reverse("cooperation:index"),
        reverse("cooperation:new"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html, url
        assert "style=" not in html.split("<body", 1)[1], url


def test_out_of_range_ids_are_404_or_a_message(signed_in, drafter_ma, draft):
    client = signed_in(drafter_ma)
    huge = 10**19
    assert client.get(reverse("cooperation:detail", args=[huge])).status_code == 404
    assert client.get(reverse("cooperation:document_download", args=[huge])).status_code == 404
    receipt = reverse("cooperation:receipt", kwargs={"request_id": draft.pk, "transition_id": huge})
    assert client.get(receipt).status_code == 404
    remove = reverse(
        "cooperation:part_remove",
        kwargs={"request_id": draft.pk, "part": "person", "part_id": huge},
    )
    response = client.post(remove, follow=True)
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    edit = client.get(_step(draft, "measures"), {"edit": str(huge)})
    assert edit.status_code == 200
