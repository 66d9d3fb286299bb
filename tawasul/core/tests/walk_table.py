from tawasul.core.tests.walk import ANON, LOGIN, Also, Route, every_other_method

ROUTES = {
    "core:home": Route("get", {ANON: LOGIN, "fp_ma": 200, "coord": 200, "dpo_ma": 200}, others=200),
    "core:set_language": Route(
        "post", {ANON: 302, "fp_ma": 302}, data={"language": "fr"}, others=302
    ),
    "healthz": Route("get", {ANON: 200, "fp_ma": 200}, others=200),
    # django-ninja's schema and root views take no method decorator: every method alike.
    "api:openapi-json": Route(
        "get",
        {ANON: 200, "fp_ma": 200},
        others=200,
        also=every_other_method("get", Also({ANON: 200, "fp_ma": 200}, others=200)),
    ),
    "api:api-root": Route(
        "get",
        {ANON: 404, "fp_ma": 404},
        also=every_other_method("get", Also({ANON: 404, "fp_ma": 404})),
    ),
}
API_OPERATIONS: dict = {}
