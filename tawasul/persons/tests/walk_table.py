from tawasul.core.tests.walk import ANON, LOGIN, Also, ApiOperation, Route, with_allowed
from tawasul.persons.tests.factories import make_record, make_victim

Expect = dict[str, int | str]


def _record(p):
    return {"record_id": make_record(p["fp_ma"]).pk}


def _hit(p):
    from tawasul.persons.matching import Query
    from tawasul.persons.services import person_search

    make_record(p["fp_ma"])
    result = person_search(actor=p["fp_tn"], query=Query(name="Mohamed Abderrahmane Zahrani"))
    return {"hit_id": result[0].hit.pk}


def _confirmed_hit(p):
    from tawasul.persons.models import Hit
    from tawasul.persons.services import hit_decide

    kwargs = _hit(p)
    hit_decide(actor=p["fp_ma"], hit=Hit.objects.get(pk=kwargs["hit_id"]), confirm=True, reason="")
    return kwargs


def _job(p):
    from tawasul.persons.services import screening_job_create

    job = screening_job_create(
        actor=p["fp_ma"],
        filename="walk.csv",
        header=["name"],
        text="name\nAli Demo\n",
        delimiter=",",
        rows=1,
    )
    return {"job_id": job.pk}


def _done_job(p):
    from tawasul.persons.models import ScreeningJob
    from tawasul.persons.screening import run_job
    from tawasul.persons.services import screening_job_claim, screening_job_queue

    kwargs = _job(p)
    job = ScreeningJob.objects.get(pk=kwargs["job_id"])
    screening_job_queue(actor=p["fp_ma"], job=job, mapping={"name": 0})
    run_job(screening_job_claim())
    return kwargs


def _victim(p):
    return {"victim_id": make_victim(p["vp_ma"]).pk}


def _referral(p):
    from tawasul.persons.services import referral_send

    referral = referral_send(
        actor=p["vp_ma"],
        victim=make_victim(p["vp_ma"]),
        to_country="TN",
        to_role="destination",
        message="Walk referral (fictional)",
        consent_confirmed=True,
    )
    return {"referral_id": referral.pk}


# Person records are case content for focal points, border officers and central authority;
# never coordinators, national administrators, oversight, nor victim-protection-only users.
REFUSED: Expect = {"coord": 404, "admin_ma": 404, "dpo_ma": 404, "vp_tn": 404}
PERSON_PAGE: Expect = {
    ANON: LOGIN,
    **dict.fromkeys(("fp_ma", "fp_tn", "bo_ma", "bo_tn", "ca_ma", "ca_tn"), 200),
    **REFUSED,
}
# An MA record: full to MA's focal points, border officers and central authority only.
MA_RECORD: Expect = {ANON: LOGIN, "fp_ma": 200, "bo_ma": 200, "ca_ma": 200, "fp_tn": 404, **REFUSED}
# A hit of fp_tn on an MA record: the searcher and the owning country see it.
HIT_PAGE: Expect = {
    ANON: LOGIN,
    "fp_ma": 200,
    "fp_tn": 200,
    "bo_ma": 200,
    "ca_ma": 200,
    "vp_ma": 404,
    **REFUSED,
}
# Only a focal point of the owning country decides.
HIT_DECIDE: Expect = {
    ANON: LOGIN,
    "fp_ma": 302,
    "fp_tn": 404,
    "bo_ma": 404,
    "ca_ma": 404,
    **REFUSED,
}
# A screening job is its uploader's (fp_ma).
JOB_PAGE: Expect = {ANON: LOGIN, "fp_ma": 200, "bo_ma": 404, "fp_tn": 404, **REFUSED}
VICTIM_PAGE: Expect = {
    ANON: LOGIN,
    "vp_ma": 200,
    "vp_tn": 200,
    "fp_ma": 404,
    "coord": 404,
    "admin_ma": 404,
    "dpo_ma": 404,
}
VICTIM_RECORD: Expect = {
    ANON: LOGIN,
    "vp_ma": 200,
    "vp_tn": 404,
    "fp_ma": 404,
    "coord": 404,
    "admin_ma": 404,
    "dpo_ma": 404,
}

# A referral from MA to TN: both countries' victim-protection officers; TN updates its status.
REFERRAL: Expect = {
    ANON: LOGIN,
    "vp_ma": 200,
    "vp_tn": 200,
    "fp_ma": 404,
    "coord": 404,
    "admin_ma": 404,
    "dpo_ma": 404,
}
REFERRAL_STATUS: Expect = {
    ANON: LOGIN,
    "vp_tn": 302,
    "vp_ma": 404,
    "fp_ma": 404,
    "coord": 404,
    "admin_tn": 404,
    "dpo_ma": 404,
}

SEARCH = {"name": "Mohamed Zahrani"}


def _form(expect: Expect) -> dict[str, Also]:
    """An empty form posted by whoever may open the page: the page again, with its errors."""
    return {"post": Also(expect)}


ROUTES = {
    # victim-protection users are sent on to the victims' pages
    "persons:index": Route("get", {**PERSON_PAGE, "vp_ma": 302, "vp_tn": 302}),
    "persons:notifications_read": Route(
        "post",
        {
            **PERSON_PAGE,
            **dict.fromkeys(("fp_ma", "fp_tn", "bo_ma", "bo_tn", "ca_ma", "ca_tn"), 302),
        },
    ),
    "persons:records": Route("get", PERSON_PAGE),
    "persons:record_new": Route("get", PERSON_PAGE, also=_form(PERSON_PAGE)),
    "persons:records_export": Route("get", PERSON_PAGE, data={"format": "ftm"}),
    # an upload form posted without its file: 400 with the errors
    "persons:records_import": Route("get", PERSON_PAGE, also=_form(with_allowed(PERSON_PAGE, 400))),
    "persons:record": Route("get", MA_RECORD, kwargs=_record),
    "persons:record_edit": Route("get", MA_RECORD, kwargs=_record, also=_form(MA_RECORD)),
    # A valid review and deletion: done by the owning country's case workers (a redirect to
    # the record, to the list), refused to everyone else with nothing changed.
    "persons:record_review": Route(
        "get",
        MA_RECORD,
        kwargs=_record,
        also={
            "post": Also(
                with_allowed(MA_RECORD, 302), data={"legal_basis": "Fictional law, art. 2"}
            )
        },
    ),
    "persons:record_delete": Route(
        "get",
        MA_RECORD,
        kwargs=_record,
        also={
            "post": Also(with_allowed(MA_RECORD, 302), data={"reason": "Walk: no longer needed"})
        },
    ),
    "persons:search": Route("post", PERSON_PAGE, data=SEARCH, also={"get": Also(PERSON_PAGE)}),
    "persons:hits": Route("get", PERSON_PAGE),
    "persons:hit": Route("get", HIT_PAGE, kwargs=_hit),
    "persons:hit_decide": Route(
        "post", HIT_DECIDE, kwargs=_hit, data={"decision": "confirm", "reason": ""}
    ),
    # Every persona who sees the hit is answered with a redirect: the searcher to the new
    # draft, the others back to the hit with the refusal.
    "persons:hit_request": Route(
        "post",
        {**HIT_PAGE, "fp_ma": 302, "fp_tn": 302, "bo_ma": 302, "ca_ma": 302},
        kwargs=_confirmed_hit,
        data={"request_type": "police_information"},
    ),
    "persons:screening": Route("get", PERSON_PAGE, also=_form(with_allowed(PERSON_PAGE, 400))),
    "persons:screening_map": Route("get", JOB_PAGE, kwargs=_job, also=_form(JOB_PAGE)),
    "persons:screening_job": Route("get", JOB_PAGE, kwargs=_job),
    "persons:screening_progress": Route("get", JOB_PAGE, kwargs=_job),
    "persons:screening_export": Route("get", JOB_PAGE, kwargs=_done_job),
    "persons:victims": Route("get", VICTIM_PAGE),
    "persons:victim_new": Route("get", VICTIM_PAGE, also=_form(VICTIM_PAGE)),
    "persons:victim": Route("get", VICTIM_RECORD, kwargs=_victim),
    "persons:victim_identify": Route(
        "post", VICTIM_PAGE, data={"name": "Amina Demo"}, also={"get": Also(VICTIM_PAGE)}
    ),
    "persons:referral_new": Route("get", VICTIM_RECORD, kwargs=_victim, also=_form(VICTIM_RECORD)),
    "persons:referrals": Route("get", VICTIM_PAGE),
    "persons:referral": Route("get", REFERRAL, kwargs=_referral),
    "persons:referral_status": Route(
        "post", REFERRAL_STATUS, kwargs=_referral, data={"status": "acknowledged", "note": ""}
    ),
}

API_REFUSED = {"coord": 404, "admin_ma": 404, "dpo_ma": 404, "vp_tn": 404}
API = "/api/v1/persons"
RECORD_BODY = {
    "category": "suspect",
    "names": [{"name": "Walk Person Demo", "type": "primary"}],
    "legal_basis": "Fictional law, art. 1",
}


def _api_list(ok):
    return {
        ANON: 401,
        **dict.fromkeys(("fp_ma", "fp_tn", "bo_ma", "bo_tn", "ca_ma", "ca_tn"), ok),
        **API_REFUSED,
    }


def _api_ma(ok):
    return {ANON: 401, "fp_ma": ok, "bo_ma": ok, "ca_ma": ok, "fp_tn": 404, **API_REFUSED}


API_OPERATIONS = {
    ("post", f"{API}/search"): ApiOperation(_api_list(200), body=SEARCH),
    ("get", f"{API}/records"): ApiOperation(_api_list(200)),
    ("post", f"{API}/records"): ApiOperation(_api_list(201), body=RECORD_BODY),
    ("get", f"{API}/records/{{record_id}}"): ApiOperation(_api_ma(200), path_params=_record),
    ("put", f"{API}/records/{{record_id}}"): ApiOperation(
        _api_ma(200), path_params=_record, body=RECORD_BODY
    ),
    ("post", f"{API}/records/{{record_id}}/review"): ApiOperation(
        _api_ma(200), path_params=_record, body={"legal_basis": "Still needed (fictional)"}
    ),
    ("delete", f"{API}/records/{{record_id}}"): ApiOperation(
        {ANON: 401, "fp_tn": 404, **API_REFUSED, "fp_ma": 204, "bo_ma": 204, "ca_ma": 204},
        path_params=_record,
        body={"reason": "No longer needed"},
    ),
    ("get", f"{API}/hits"): ApiOperation(_api_list(200)),
    ("get", f"{API}/hits/{{hit_id}}"): ApiOperation(
        {ANON: 401, "fp_ma": 200, "fp_tn": 200, "bo_ma": 200, "ca_ma": 200, **API_REFUSED},
        path_params=_hit,
    ),
    ("post", f"{API}/hits/{{hit_id}}/decision"): ApiOperation(
        {ANON: 401, "fp_tn": 404, "bo_ma": 404, "ca_ma": 404, **API_REFUSED, "fp_ma": 200},
        path_params=_hit,
        body={"decision": "confirm"},
    ),
}
