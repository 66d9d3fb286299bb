from tawasul.core.tests.walk import ANON, LOGIN, Also, ApiOperation, Route
from tawasul.messaging.tests.factories import attachment_ma_tn, permission_ma_tn, thread_ma_tn


def _thread(p):
    return {"thread_id": thread_ma_tn(p).pk}


def _message(p):
    return {"message_id": thread_ma_tn(p).messages.get().pk}


def _attachment(p):
    return {"attachment_id": attachment_ma_tn(p).pk}


def _permission(p):
    return {"permission_id": permission_ma_tn(p).pk}


# Messaging is case content: case-role users only; never coordinators, admins or oversight.
CASE_PAGE: dict[str, int | str] = {
    ANON: LOGIN,
    **dict.fromkeys(("fp_ma", "fp_tn", "bo_ma", "bo_tn", "ca_ma", "ca_tn", "vp_ma", "vp_tn"), 200),
    "coord": 404,
    "admin_ma": 404,
    "dpo_ma": 404,
}
# A thread between fp_ma and fp_tn: other users of the same or another country get 404.
NOT_PARTICIPANTS: dict[str, int | str] = {
    "bo_ma": 404,
    "ca_ma": 404,
    "vp_tn": 404,
    "admin_ma": 404,
    "admin_tn": 404,
    "coord": 404,
    "dpo_ma": 404,
}


def _thread_page(ok: int) -> dict[str, int | str]:
    return {ANON: LOGIN, "fp_ma": ok, "fp_tn": ok, **NOT_PARTICIPANTS}


# An empty form posted by whoever may open the page: the page again, with its errors.
CASE_FORM = {"post": Also(CASE_PAGE)}
THREAD_FORM = {"post": Also(_thread_page(200))}

REPLY = {
    "body": "Walk reply",
    "handling_code": "H0",
    "source_reliability": "A",
    "information_accuracy": "1",
}

ROUTES = {
    "messaging:inbox": Route("get", CASE_PAGE),
    "messaging:thread_new": Route("get", CASE_PAGE, also=CASE_FORM),
    "messaging:search": Route("get", CASE_PAGE, data={"q": "route"}),
    "messaging:preferences": Route("get", CASE_PAGE, also=CASE_FORM),
    "messaging:thread": Route("get", _thread_page(200), kwargs=_thread),
    "messaging:thread_reply": Route("post", _thread_page(302), kwargs=_thread, data=REPLY),
    "messaging:thread_poll": Route("get", _thread_page(200), kwargs=_thread),
    "messaging:thread_read": Route(
        "post", _thread_page(302), kwargs=_thread, data={"up_to": "999999"}
    ),
    "messaging:participant_add": Route("get", _thread_page(200), kwargs=_thread, also=THREAD_FORM),
    "messaging:thread_export": Route("get", _thread_page(200), kwargs=_thread),
    "messaging:message_forward": Route("get", _thread_page(200), kwargs=_message, also=THREAD_FORM),
    "messaging:permission_request": Route(
        "get", _thread_page(200), kwargs=_message, also=THREAD_FORM
    ),
    "messaging:permission_decide": Route(
        "post", _thread_page(302), kwargs=_permission, data={"decision": "grant"}
    ),
    "messaging:attachment_download": Route("get", _thread_page(200), kwargs=_attachment),
}

API_REFUSED = {"coord": 404, "admin_ma": 404, "dpo_ma": 404}
CASE_USERS = ("fp_ma", "fp_tn", "bo_ma", "bo_tn", "ca_ma", "ca_tn", "vp_ma", "vp_tn")
API_NOT_PARTICIPANTS = {"bo_ma": 404, "vp_tn": 404, "admin_tn": 404, **API_REFUSED}


def _api(ok: int) -> dict[str, int]:
    return {ANON: 401, "fp_ma": ok, "fp_tn": ok, **API_NOT_PARTICIPANTS}


API = "/api/v1/messaging"
API_OPERATIONS = {
    ("get", f"{API}/threads"): ApiOperation(
        {ANON: 401, **dict.fromkeys(CASE_USERS, 200), **API_REFUSED}
    ),
    ("post", f"{API}/threads"): ApiOperation(
        {ANON: 401, **dict.fromkeys(CASE_USERS, 400), **API_REFUSED},
        body={"subject": "Walk", "participant_ids": [], "body": "Hello"},
    ),
    ("get", f"{API}/threads/{{thread_id}}"): ApiOperation(_api(200), path_params=_thread),
    ("get", f"{API}/threads/{{thread_id}}/messages"): ApiOperation(_api(200), path_params=_thread),
    ("post", f"{API}/threads/{{thread_id}}/messages"): ApiOperation(
        _api(201), path_params=_thread, body={"body": "Walk reply"}
    ),
    ("post", f"{API}/threads/{{thread_id}}/uploads"): ApiOperation(_api(400), path_params=_thread),
    ("get", f"{API}/attachments/{{attachment_id}}"): ApiOperation(
        _api(200), path_params=_attachment
    ),
    ("get", f"{API}/attachments/{{attachment_id}}/download"): ApiOperation(
        _api(200), path_params=_attachment
    ),
}
