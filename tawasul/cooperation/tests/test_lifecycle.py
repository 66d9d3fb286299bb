"""The lifecycle of a request: every transition allowed and refused, by side and role; the
maker–checker rule; who sees a request at each stage; receipts; notifications."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone

from tawasul.cooperation import checks, documents, services
from tawasul.cooperation.access import access_request
from tawasul.cooperation.lifecycle import ACTIONS, JUDICIAL_TYPES, RequestType, Side, Status
from tawasul.cooperation.models import CooperationRequest, RequestNotification
from tawasul.cooperation.receipts import ReceiptError, verify
from tawasul.core.errors import ServiceError
from tawasul.core.roles import Organisation, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ready_and_fast(monkeypatch: Any) -> None:
    """The lifecycle is tested apart from the checks and the renderer (tested on their own):
    every request here is complete and its document is a fixed small PDF."""
    monkeypatch.setattr(checks, "evaluate", lambda request: checks.Report())
    monkeypatch.setattr(
        documents,
        "render",
        lambda request, *, language, fmt: (
            f"%PDF-1.7 v{request.content_version} {language}".encode()
        ),
    )


@pytest.fixture
def people(drafter_ma, checker_ma, central_es, fp_es, make_user, es_agency, ma_agency):
    return {
        "drafter_ma": drafter_ma,
        "checker_ma": checker_ma,
        "colleague_ma": make_user(
            username="colleague.ma", country="MA", agency=ma_agency, roles=[Role.FOCAL_POINT]
        ),
        "central_es": central_es,
        "fp_es": fp_es,
        "other_fp_es": make_user(username="other.es", country="ES", roles=[Role.FOCAL_POINT]),
        "border_ma": make_user(
            username="border.ma", country="MA", agency=ma_agency, roles=[Role.BORDER_OFFICER]
        ),
        "coordinator": make_user(
            username="coord.x",
            country="",
            organisation=Organisation.UNODC,
            roles=[Role.COORDINATOR],
        ),
        "admin_ma": make_user(
            username="admin.x", country="MA", agency=ma_agency, roles=[Role.NATIONAL_ADMIN]
        ),
        "dpo_ma": make_user(
            username="dpo.x", country="MA", agency=ma_agency, roles=[Role.OVERSIGHT]
        ),
        "fp_tn": make_user(username="fp.tn.x", country="TN", roles=[Role.FOCAL_POINT]),
        # A Moroccan focal point of another agency: the right country, not the drafting one.
        "other_agency_ma": make_user(
            username="other.agency.ma", country="MA", roles=[Role.FOCAL_POINT]
        ),
        # The requested country's users with no part in the request.
        "border_es": make_user(
            username="border.es", country="ES", agency=es_agency, roles=[Role.BORDER_OFFICER]
        ),
        "admin_es": make_user(
            username="admin.es", country="ES", agency=es_agency, roles=[Role.NATIONAL_ADMIN]
        ),
        "dpo_es": make_user(
            username="dpo.es", country="ES", agency=es_agency, roles=[Role.OVERSIGHT]
        ),
        "victims_es": make_user(
            username="victims.es", country="ES", agency=es_agency, roles=[Role.VICTIM_PROTECTION]
        ),
    }


def _at(request: CooperationRequest, status: str, **extra: Any) -> CooperationRequest:
    if status not in (Status.DRAFT, Status.AWAITING_APPROVAL):
        extra.setdefault("transmitted_at", timezone.now())
    CooperationRequest.objects.filter(pk=request.pk).update(status=status, **extra)
    request.refresh_from_db()
    return request


def _transmitted(draft, people) -> CooperationRequest:
    services.request_transition(actor=people["drafter_ma"], request=draft, action="submit")
    services.request_transition(actor=people["checker_ma"], request=draft, action="approve")
    draft.refresh_from_db()
    return draft


# Who takes each action in the tests below: a user of the right side with every role the
# action may need (the central authority holds both case roles' powers for judicial types).
ACTOR_FOR = {Side.REQUESTING: "checker_ma", Side.REQUESTED: "central_es"}
WRONG_SIDE = {Side.REQUESTING: "central_es", Side.REQUESTED: "checker_ma"}


@pytest.mark.parametrize(
    ("action", "source"),
    [(a.code, s) for a in ACTIONS for s in sorted(a.sources)],
)
def test_every_transition_is_allowed_from_each_source_to_the_right_side(
    draft, people, action, source
):
    entry = next(a for a in ACTIONS if a.code == action)
    request = _at(draft, source, submitted_by=people["drafter_ma"])
    actor = people[ACTOR_FOR[entry.side]]
    transition = services.request_transition(
        actor=actor, request=request, action=action, note="Reason given in writing."
    )
    request.refresh_from_db()
    assert request.status == entry.target
    assert transition.from_status == source and transition.to_status == entry.target
    assert transition.side == entry.side


# The refusals the service gives, by the gate that stops the user (in the order it checks).
NOT_A_CASE_WORKER = "Only focal points and central-authority users work on requests"
WRONG_STATUS = "not possible while the request is"
OTHER_SIDE = "The other side of the request takes this action"
WRONG_ROLE = "Your role does not allow this action"
NO_PART = "You have no part in this request"
# Every status some action starts from (the closed ones are the end of the road).
ACTIONABLE = sorted({s for a in ACTIONS for s in a.sources})


def _unchanged(request: CooperationRequest) -> tuple[str, int, int]:
    from tawasul.audit.models import AuditEvent

    request.refresh_from_db()
    return request.status, request.transitions.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("action", "source"),
    [(a.code, s) for a in ACTIONS for s in sorted(a.sources)],
)
def test_every_transition_is_refused_to_the_other_side(draft, people, action, source):
    entry = next(a for a in ACTIONS if a.code == action)
    request = _at(draft, source, submitted_by=people["drafter_ma"])
    wrong_side = people[WRONG_SIDE[entry.side]]
    if source in (Status.DRAFT, Status.AWAITING_APPROVAL):
        # The requested side cannot even see a request before transmission.
        with pytest.raises(Http404):
            access_request(wrong_side, request.pk)
    before = _unchanged(request)
    with pytest.raises(ServiceError, match=OTHER_SIDE):
        services.request_transition(actor=wrong_side, request=request, action=action, note="x")
    assert _unchanged(request) == before
    assert before[0] == source


@pytest.mark.parametrize("action", [a.code for a in ACTIONS])
def test_every_transition_is_refused_from_a_status_it_does_not_start_from(draft, people, action):
    entry = next(a for a in ACTIONS if a.code == action)
    wrong = next(s for s in Status.values if s not in entry.sources)
    request = _at(draft, wrong)
    with pytest.raises(ServiceError):
        services.request_transition(
            actor=people[ACTOR_FOR[entry.side]], request=request, action=action, note="x"
        )
    request.refresh_from_db()
    assert request.status == wrong
    assert not request.transitions.exists()


@pytest.mark.parametrize("action", [a.code for a in ACTIONS if a.judicial_roles is not None])
def test_formal_decisions_on_judicial_requests_are_the_central_authoritys(draft, people, action):
    entry = next(a for a in ACTIONS if a.code == action)
    assert draft.request_type in JUDICIAL_TYPES
    request = _at(draft, sorted(entry.sources)[0])
    with pytest.raises(ServiceError, match="role"):
        services.request_transition(
            actor=people["fp_es"], request=request, action=action, note="Grounds."
        )
    services.request_transition(
        actor=people["central_es"], request=request, action=action, note="Grounds."
    )


@pytest.mark.parametrize("action", [a.code for a in ACTIONS if a.judicial_roles is not None])
def test_police_requests_are_decided_by_the_focal_points_themselves(draft, people, action):
    entry = next(a for a in ACTIONS if a.code == action)
    CooperationRequest.objects.filter(pk=draft.pk).update(request_type=RequestType.POLICE)
    request = _at(draft, sorted(entry.sources)[0])
    services.request_transition(
        actor=people["fp_es"], request=request, action=action, note="Grounds."
    )
    request.refresh_from_db()
    assert request.status == entry.target


# Users who see nothing of the request. Those who are not case workers are stopped first,
# on either side; case workers by the status, then the side the lifecycle gives them (by
# country: None for a third country), then the role, then their having no part in it.
NOT_CASE_WORKERS = (
    "border_ma",
    "admin_ma",
    "dpo_ma",
    "coordinator",
    "border_es",
    "admin_es",
    "dpo_es",
    "victims_es",
)
CASE_WORKERS_WITHOUT_A_PART = {
    "fp_tn": None,
    "other_agency_ma": Side.REQUESTING,  # another Moroccan agency than the drafting one
    "other_fp_es": Side.REQUESTED,  # another Spanish agency, not assigned
}


def _expected_refusal(who: str, entry: Any, status: str, request_type: str) -> str:
    if who in NOT_CASE_WORKERS:
        return NOT_A_CASE_WORKER
    if status not in entry.sources:
        return WRONG_STATUS
    if CASE_WORKERS_WITHOUT_A_PART[who] != entry.side:
        return OTHER_SIDE
    if Role.FOCAL_POINT not in entry.roles_for(request_type):
        return WRONG_ROLE
    return NO_PART


@pytest.mark.parametrize("request_type", [RequestType.MLA, RequestType.POLICE])
@pytest.mark.parametrize("status", ACTIONABLE)
@pytest.mark.parametrize("who", [*NOT_CASE_WORKERS, *CASE_WORKERS_WITHOUT_A_PART])
def test_users_without_a_part_in_the_request_take_no_action(
    draft, people, who, status, request_type
):
    CooperationRequest.objects.filter(pk=draft.pk).update(request_type=request_type)
    request = _at(draft, status, submitted_by=people["drafter_ma"])
    assert not _sees(people[who], request)
    before = _unchanged(request)
    refusals = {}
    for entry in ACTIONS:
        with pytest.raises(ServiceError) as refused:
            services.request_transition(
                actor=people[who], request=request, action=entry.code, note="x"
            )
        refusals[entry.code] = refused.value.message
    expected = {
        entry.code: _expected_refusal(who, entry, status, request_type) for entry in ACTIONS
    }
    assert {
        code: message for code, message in refusals.items() if expected[code] not in message
    } == {}
    assert _unchanged(request) == before


def test_a_focal_point_of_the_requesting_country_outside_the_agency_cannot_edit_a_draft(
    draft, people
):
    with pytest.raises(ServiceError, match=NO_PART):
        services.request_update(
            actor=people["other_agency_ma"], request=draft, values={"purpose": "Changed"}
        )
    draft.refresh_from_db()
    assert draft.purpose == "To establish who funded the cell."
    assert draft.content_version == 1


@pytest.mark.parametrize("action", [a.code for a in ACTIONS if a.note_required])
def test_actions_that_need_a_note_refuse_an_empty_one(draft, people, action):
    entry = next(a for a in ACTIONS if a.code == action)
    request = _at(draft, sorted(entry.sources)[0])
    with pytest.raises(ServiceError):
        services.request_transition(
            actor=people[ACTOR_FOR[entry.side]], request=request, action=action, note="   "
        )


def test_refusal_keeps_its_grounds(draft, people):
    request = _at(draft, Status.UNDER_REVIEW)
    services.request_transition(
        actor=people["central_es"],
        request=request,
        action="refuse",
        note="Dual criminality not met.",
    )
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    assert request.refusal_grounds == "Dual criminality not met."
    assert request.closed_at is not None


# --- maker–checker -------------------------------------------------------------------------


def test_transmission_by_a_single_user_is_impossible(draft, people):
    drafter = people["drafter_ma"]
    services.request_transition(actor=drafter, request=draft, action="submit")
    with pytest.raises(ServiceError, match="second person"):
        services.request_transition(actor=drafter, request=draft, action="approve")
    draft.refresh_from_db()
    assert draft.status == Status.AWAITING_APPROVAL
    assert draft.transmitted_at is None


def test_the_submitter_cannot_approve_what_another_drafted(draft, people):
    services.request_transition(actor=people["colleague_ma"], request=draft, action="submit")
    with pytest.raises(ServiceError, match="second person"):
        services.request_transition(actor=people["colleague_ma"], request=draft, action="approve")
    with pytest.raises(ServiceError, match="second person"):
        services.request_transition(actor=people["drafter_ma"], request=draft, action="approve")
    services.request_transition(actor=people["checker_ma"], request=draft, action="approve")
    draft.refresh_from_db()
    assert draft.status == Status.TRANSMITTED
    assert draft.approved_by == people["checker_ma"]


def test_approval_and_submission_are_both_audited(draft, people):
    from tawasul.audit.models import AuditEvent

    _transmitted(draft, people)
    events = AuditEvent.objects.filter(
        event_type="cooperation.transition", object_id=str(draft.pk)
    ).order_by("seq")
    assert [(e.actor.username, e.details["action"]) for e in events] == [
        ("drafter.ma", "submit"),
        ("checker.ma", "approve"),
    ]
    assert "summary_of_facts" not in json.dumps([e.details for e in events])


def test_an_incomplete_request_cannot_be_submitted(draft, people, monkeypatch):
    report = checks.Report(
        checklist=[checks.ChecklistItem("facts", "Summary of the facts", False, "facts")]
    )
    monkeypatch.setattr(checks, "evaluate", lambda request: report)
    with pytest.raises(ServiceError, match="Summary of the facts"):
        services.request_transition(actor=people["drafter_ma"], request=draft, action="submit")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_blocking_risk_stops_approval(draft, people, monkeypatch):
    services.request_transition(actor=people["drafter_ma"], request=draft, action="submit")
    risk = checks.Risk("no_basis", "blocking", "No common legal basis", "…", "UNTOC", "basis")
    monkeypatch.setattr(checks, "evaluate", lambda request: checks.Report(risks=[risk]))
    with pytest.raises(ServiceError, match="No common legal basis"):
        services.request_transition(actor=people["checker_ma"], request=draft, action="approve")


def test_a_draft_is_changed_only_by_the_requesting_side_and_only_as_a_draft(draft, people):
    services.request_update(
        actor=people["drafter_ma"], request=draft, values={"purpose": "To trace the money."}
    )
    with pytest.raises((ServiceError, Http404)):
        services.request_update(
            actor=people["central_es"], request=draft, values={"purpose": "Changed abroad"}
        )
    _transmitted(draft, people)
    with pytest.raises(ServiceError):
        services.request_update(
            actor=people["drafter_ma"], request=draft, values={"purpose": "Too late"}
        )
    draft.refresh_from_db()
    assert draft.purpose == "To trace the money."


# --- who sees what -------------------------------------------------------------------------


def _sees(user, request) -> bool:
    return CooperationRequest.objects.visible_to(user).filter(pk=request.pk).exists()


def test_drafts_are_invisible_to_the_requested_country(draft, people):
    for status in (Status.DRAFT, Status.AWAITING_APPROVAL):
        _at(draft, status)
        for who in ("central_es", "fp_es", "other_fp_es"):
            assert not _sees(people[who], draft), (who, status)
            with pytest.raises(Http404):
                access_request(people[who], draft.pk)


def test_a_draft_withdrawn_before_transmission_stays_invisible_abroad(draft, people):
    services.request_transition(
        actor=people["drafter_ma"], request=draft, action="withdraw", note="Not needed."
    )
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    assert _sees(people["drafter_ma"], draft)
    for who in ("central_es", "fp_es"):
        assert not _sees(people[who], draft), who


def test_after_transmission_the_requested_central_authority_and_agency_see_it(draft, people):
    _transmitted(draft, people)
    assert _sees(people["central_es"], draft)
    assert _sees(people["fp_es"], draft)  # a focal point of the requested agency
    assert not _sees(people["other_fp_es"], draft)  # another Spanish agency's focal point


def test_an_assigned_focal_point_sees_the_request(draft, people):
    _transmitted(draft, people)
    with pytest.raises(ServiceError):
        services.request_assign(actor=people["fp_es"], request=draft, user=people["other_fp_es"])
    services.request_assign(actor=people["central_es"], request=draft, user=people["other_fp_es"])
    assert _sees(people["other_fp_es"], draft)


def test_the_requesting_central_authority_sees_a_draft_only_once_submitted(
    draft, people, make_user
):
    other_ca = make_user(username="ca2.ma", country="MA", roles=[Role.CENTRAL_AUTHORITY])
    assert not _sees(other_ca, draft)
    services.request_transition(actor=people["drafter_ma"], request=draft, action="submit")
    assert _sees(other_ca, draft)


@pytest.mark.parametrize("who", ["coordinator", "admin_ma", "dpo_ma", "border_ma", "fp_tn"])
def test_no_content_for_coordinators_admins_oversight_and_other_roles(draft, people, who):
    _transmitted(draft, people)
    assert not _sees(people[who], draft)
    with pytest.raises(Http404):
        access_request(people[who], draft.pk)


def test_a_case_role_combined_with_coordinator_sees_nothing(draft, people, make_user, ma_agency):
    both = make_user(
        username="both.ma",
        country="MA",
        agency=ma_agency,
        roles=[Role.FOCAL_POINT, Role.COORDINATOR],
    )
    assert not _sees(both, draft)


# --- receipts and notifications -------------------------------------------------------------


def test_every_transition_yields_a_receipt_that_verifies(draft, people):
    request = _transmitted(draft, people)
    services.request_transition(actor=people["central_es"], request=request, action="acknowledge")
    transitions = list(request.transitions.all())
    assert len(transitions) == 3
    for transition in transitions:
        verify(transition.receipt)
        assert transition.receipt["request"] == request.reference
        assert transition.receipt["status"] == transition.to_status
        assert len(transition.receipt["document_sha256"]) == 64
    # the document hash names the formal request pinned at transmission
    pinned = request.documents.get(content_version=request.content_version, format="pdf")
    assert transitions[-1].receipt["document_sha256"] == pinned.sha256


def test_a_tampered_receipt_is_rejected(draft, people):
    request = _transmitted(draft, people)
    receipt = dict(request.transitions.last().receipt)
    verify(receipt)
    receipt["status"] = Status.EXECUTED
    with pytest.raises(ReceiptError):
        verify(receipt)


def test_receipt_verify_command_accepts_genuine_and_rejects_tampered_files(draft, people, tmp_path):
    request = _transmitted(draft, people)
    good = tmp_path / "good.json"
    good.write_text(json.dumps([t.receipt for t in request.transitions.all()]))
    call_command("receipt_verify", str(good))
    bad = tmp_path / "bad.json"
    tampered = dict(request.transitions.last().receipt)
    tampered["document_sha256"] = "0" * 64
    bad.write_text(json.dumps(tampered))
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("receipt_verify", str(bad))


def test_receipt_verify_all_catches_a_transition_edited_after_signing(draft, people):
    from tawasul.cooperation.models import RequestTransition

    request = _transmitted(draft, people)
    call_command("receipt_verify", "--all")
    RequestTransition.objects.filter(request=request, action="approve").update(to_status="executed")
    with pytest.raises(CommandError):
        call_command("receipt_verify", "--all")


def test_receipt_verify_with_the_published_public_key(draft, people, tmp_path, capsys):
    request = _transmitted(draft, people)
    call_command("receipt_verify", "--print-public-key")
    key = capsys.readouterr().out.strip()
    path = tmp_path / "r.json"
    path.write_text(json.dumps(request.transitions.first().receipt))
    call_command("receipt_verify", str(path), "--public-key", key)
    with pytest.raises(CommandError):
        call_command(
            "receipt_verify",
            str(path),
            "--public-key",
            "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
        )


def test_transmission_notifies_the_requested_side_in_the_app_and_by_email(
    draft, people, django_capture_on_commit_callbacks
):
    people["central_es"].email = "central@es.invalid"
    people["central_es"].save()
    with django_capture_on_commit_callbacks(execute=True):
        _transmitted(draft, people)
    notified = set(
        RequestNotification.objects.filter(request=draft, kind="approve").values_list(
            "user__username", flat=True
        )
    )
    assert {"central.es", "fp.es", "drafter.ma"} <= notified
    assert "checker.ma" not in notified  # the actor
    assert "other.es" not in notified  # does not see the request
    to_central = [m for m in mail.outbox if "central@es.invalid" in m.to]
    assert to_central and draft.reference in to_central[0].subject
    assert draft.summary_of_facts not in to_central[0].body


def test_due_date_is_set_at_transmission(draft, people):
    request = _transmitted(draft, people)
    assert request.due_on is not None
    assert (request.due_on - request.transmitted_at.date()).days == services.expected_response_days(
        request
    )


def test_expected_answer_time_comes_from_the_profile_when_it_gives_one(draft, monkeypatch):
    import tawasul.directory.finder as finder

    assert services.expected_response_days(draft) == services.DEFAULT_RESPONSE_DAYS["mla"]
    profile = {"expected_response_days": {"mla": {"value": 45, "source": "x", "verified": False}}}
    monkeypatch.setattr(finder, "current_profile", lambda country: profile)
    assert services.expected_response_days(draft) == 45
    draft.urgent = True
    assert services.expected_response_days(draft) == services.URGENT_RESPONSE_DAYS
