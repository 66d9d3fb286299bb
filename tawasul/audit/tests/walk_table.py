from tawasul.core.tests.walk import ANON, LOGIN, ApiOperation, Route

ROUTES = {
    "audit:event_list": Route(
        "get",
        {
            ANON: LOGIN,
            "dpo_ma": 200,
            "dpo_tn": 200,
            "fp_ma": 404,
            "admin_ma": 404,
            "coord": 404,
            "vp_ma": 404,
        },
    ),
}
API_OPERATIONS = {
    ("get", "/api/v1/audit/events"): ApiOperation(
        {ANON: 401, "dpo_ma": 200, "dpo_tn": 200, "fp_ma": 404, "admin_ma": 404, "coord": 404}
    ),
}
