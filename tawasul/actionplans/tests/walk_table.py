from tawasul.actionplans.models import OwnerKind
from tawasul.actionplans.tests.factories import (
    ActionFactory,
    MeetingFactory,
    ParticipationFactory,
    ProgrammeFactory,
    RecommendationFactory,
)
from tawasul.core.tests.walk import ANON, LOGIN, Also, ApiOperation, Route


def _programme(p):
    return {"pk": ProgrammeFactory().pk}


def _programme_chart(p):
    return {"pk": ProgrammeFactory().pk, "chart": "status"}


def _programme_report(p):
    action = ActionFactory()
    return {"pk": action.recommendation.meeting.programme_id, "year": 2026, "fmt": "pdf"}


def _meeting(p):
    return {"pk": ParticipationFactory().meeting_id}


def _meeting_chart(p):
    return {"pk": ParticipationFactory().meeting_id, "chart": "participation"}


def _meeting_report(p):
    action = ActionFactory()
    ParticipationFactory(meeting=action.recommendation.meeting)
    return {"pk": action.recommendation.meeting_id, "fmt": "docx"}


def _recommendation(p):
    return {"pk": RecommendationFactory().pk}


def _ma_action(p):
    return {"pk": ActionFactory(country="MA").pk}


def _evidence(p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tawasul.actionplans.services import action_report_progress

    update = action_report_progress(
        actor=p["fp_ma"],
        action=ActionFactory(country="MA"),
        status="done",
        text="Done.",
        evidence_file=SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%walk\n"),
    )
    return {"pk": update.pk}


def _document(p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tawasul.actionplans.services import meeting_document_add

    document = meeting_document_add(
        actor=None,
        meeting=MeetingFactory(),
        title="Conclusions",
        upload=SimpleUploadedFile("conclusions.pdf", b"%PDF-1.4\n%walk\n"),
    )
    return {"pk": document.pk}


def _api_meeting(p):
    return {"meeting_id": MeetingFactory().pk}


def _api_recommendation(p):
    return {"recommendation_id": RecommendationFactory().pk}


def _api_ma_action(p):
    return {"action_id": ActionFactory(country="MA").pk}


def _api_network_action(p):
    return {"action_id": ActionFactory(owner_kind=OwnerKind.NETWORK, country="").pk}


# Meetings, recommendations and actions are visible to every signed-in user (docs/access.md).
EVERYONE: dict[str, int | str] = {
    ANON: LOGIN,
    "fp_ma": 200,
    "fp_tn": 200,
    "coord": 200,
    "dpo_ma": 200,
    "admin_tn": 200,
}
# Creating meetings, recommendations and actions: coordinators only.
COORDINATOR: dict[str, int | str] = {
    ANON: LOGIN,
    "coord": 200,
    "fp_ma": 404,
    "fp_tn": 404,
    "admin_ma": 404,
    "dpo_ma": 404,
}
# An empty form posted by the coordinator: the page again, with its errors.
COORDINATOR_FORM = {"post": Also(COORDINATOR)}
PROGRESS = {"status": "in_progress", "text": "Focal points being named.", "evidence": ""}

ROUTES = {
    "actionplans:index": Route("get", EVERYONE, others=200),
    "actionplans:my_actions": Route("get", EVERYONE, others=200),
    "actionplans:programme_create": Route("get", COORDINATOR, also=COORDINATOR_FORM),
    "actionplans:programme_detail": Route("get", EVERYONE, kwargs=_programme, others=200),
    "actionplans:programme_chart": Route("get", EVERYONE, kwargs=_programme_chart, others=200),
    "actionplans:programme_report": Route(
        "get", {ANON: LOGIN, "fp_tn": 200, "coord": 200}, kwargs=_programme_report, others=200
    ),
    "actionplans:meeting_create": Route("get", COORDINATOR, also=COORDINATOR_FORM),
    "actionplans:meeting_detail": Route("get", EVERYONE, kwargs=_meeting, others=200),
    "actionplans:meeting_chart": Route("get", EVERYONE, kwargs=_meeting_chart, others=200),
    "actionplans:meeting_report": Route(
        "get", {ANON: LOGIN, "fp_ma": 200, "dpo_ma": 200}, kwargs=_meeting_report, others=200
    ),
    "actionplans:participation_record": Route(
        "get", COORDINATOR, kwargs=_meeting, also=COORDINATOR_FORM
    ),
    "actionplans:recommendation_create": Route(
        "get", COORDINATOR, kwargs=_meeting, also=COORDINATOR_FORM
    ),
    "actionplans:meeting_document_add": Route(
        "get", COORDINATOR, kwargs=_meeting, also=COORDINATOR_FORM
    ),
    "actionplans:meeting_document_download": Route("get", EVERYONE, kwargs=_document, others=200),
    "actionplans:action_create": Route(
        "get", COORDINATOR, kwargs=_recommendation, also=COORDINATOR_FORM
    ),
    "actionplans:action_detail": Route("get", EVERYONE, kwargs=_ma_action, others=200),
    "actionplans:evidence_download": Route("get", EVERYONE, kwargs=_evidence, others=200),
    # Only the owning country's users report progress on a country's action.
    "actionplans:action_progress": Route(
        "post",
        {
            ANON: LOGIN,
            "fp_ma": 302,
            "bo_ma": 302,
            "ca_ma": 302,
            "vp_ma": 302,
            "admin_ma": 302,
            "fp_tn": 404,
            "coord": 404,
            "dpo_ma": 404,
            "admin_tn": 404,
        },
        kwargs=_ma_action,
        data=PROGRESS,
    ),
}

API_EVERYONE = {ANON: 401, "fp_ma": 200, "fp_tn": 200, "coord": 200, "dpo_ma": 200}
API_OPERATIONS = {
    ("get", "/api/v1/action-plans/programmes"): ApiOperation(API_EVERYONE, others=200),
    ("get", "/api/v1/action-plans/meetings"): ApiOperation(API_EVERYONE, others=200),
    ("get", "/api/v1/action-plans/meetings/{meeting_id}"): ApiOperation(
        API_EVERYONE, path_params=_api_meeting, others=200
    ),
    ("get", "/api/v1/action-plans/recommendations"): ApiOperation(API_EVERYONE, others=200),
    ("get", "/api/v1/action-plans/recommendations/{recommendation_id}"): ApiOperation(
        API_EVERYONE, path_params=_api_recommendation, others=200
    ),
    ("get", "/api/v1/action-plans/actions"): ApiOperation(API_EVERYONE, others=200),
    ("get", "/api/v1/action-plans/actions/{action_id}"): ApiOperation(
        API_EVERYONE, path_params=_api_ma_action, others=200
    ),
    ("post", "/api/v1/action-plans/actions/{action_id}/progress"): ApiOperation(
        {
            ANON: 401,
            **dict.fromkeys(("fp_ma", "bo_ma", "ca_ma", "vp_ma", "admin_ma"), 200),
            "fp_tn": 404,
            "coord": 404,
            "dpo_ma": 404,
            "admin_tn": 404,
        },
        path_params=_api_ma_action,
        body=PROGRESS,
    ),
}
