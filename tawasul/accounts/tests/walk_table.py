from tawasul.accounts.services import api_token_create
from tawasul.core.tests.walk import (
    ANON,
    LOGIN,
    Also,
    ApiOperation,
    Route,
    every_other_method,
    with_allowed,
)


def _own_user(p):
    return {"user_id": p["fp_ma"].pk}


def _token_of_fp_ma(p):
    token, _ = api_token_create(actor=p["fp_ma"], name="walk", days=5)
    return {"token_id": token.pk}


# A national admin's pages: each admin sees their own country's users.
ADMIN_PAGE: dict[str, int | str] = {
    ANON: LOGIN,
    "admin_ma": 200,
    "admin_tn": 200,
    "fp_ma": 404,
    "coord": 404,
    "dpo_ma": 404,
}
USER_PAGE: dict[str, int | str] = {
    ANON: LOGIN,
    "admin_ma": 200,
    "admin_tn": 404,
    "fp_ma": 404,
    "coord": 404,
}
USER_POST: dict[str, int | str] = {
    ANON: LOGIN,
    "admin_ma": 302,
    "admin_tn": 404,
    "fp_tn": 404,
    "coord": 404,
    "dpo_ma": 404,
}
PUBLIC: dict[str, int | str] = {ANON: 200, "fp_ma": 200}
# Every signed-in user's own account pages (their own data only).
SELF = 200

ROUTES = {
    # an empty sign-in form: its errors
    "accounts:login": Route(
        "get",
        {ANON: 200, "fp_ma": 302},
        others=302,
        also={"post": Also({ANON: 200, "fp_ma": 302}, others=302)},
    ),
    "accounts:logout": Route("post", {ANON: 302, "fp_ma": 302}, others=302),
    "accounts:mfa_verify": Route(
        "get",
        {ANON: LOGIN, "fp_ma": 302},
        others=302,
        also={"post": Also({ANON: LOGIN, "fp_ma": 302}, others=302)},
    ),
    "accounts:mfa_setup": Route(
        "get",
        {ANON: LOGIN, "fp_ma": 200},
        others=SELF,
        also={"post": Also({ANON: LOGIN, "fp_ma": 200}, others=SELF)},
    ),
    "accounts:mfa_recovery_regenerate": Route("post", {ANON: LOGIN, "fp_ma": 200}, others=SELF),
    "accounts:account": Route("get", {ANON: LOGIN, "fp_ma": 200, "coord": 200}, others=SELF),
    "accounts:api_token_create": Route("post", {ANON: LOGIN, "fp_ma": 302}, others=302),
    "accounts:api_token_revoke": Route(
        "post", {ANON: LOGIN, "fp_tn": 404, "admin_ma": 404, "fp_ma": 302}, kwargs=_token_of_fp_ma
    ),
    "accounts:user_list": Route("get", ADMIN_PAGE),
    "accounts:user_create": Route(
        "get", ADMIN_PAGE, also={"post": Also(with_allowed(ADMIN_PAGE, 200))}
    ),
    "accounts:user_detail": Route(
        "get", USER_PAGE, kwargs=_own_user, also={"post": Also(with_allowed(USER_PAGE, 200))}
    ),
    "accounts:user_set_active": Route("post", USER_POST, kwargs=_own_user),
    "accounts:user_mfa_reset": Route("post", USER_POST, kwargs=_own_user),
    # Django's form views: PUT is POST.
    "accounts:password_reset": Route(
        "get",
        PUBLIC,
        others=200,
        also={"post": Also(PUBLIC, others=200), "put": Also(PUBLIC, others=200)},
    ),
    "accounts:password_reset_done": Route("get", PUBLIC, others=200),
    "accounts:password_reset_confirm": Route(
        "get",
        {ANON: 200},
        kwargs=lambda p: {"uidb64": "MQ", "token": "set-password"},
        others=200,
        # An invalid link: the view answers its page before it looks at the method.
        also=every_other_method("get", Also({ANON: 200}, others=200)),
    ),
}
API_OPERATIONS = {
    ("get", "/api/v1/accounts/me"): ApiOperation(
        {ANON: 401, "fp_ma": 200, "coord": 200}, others=SELF
    ),
    ("get", "/api/v1/accounts/me/tokens"): ApiOperation({ANON: 401, "fp_ma": 200}, others=SELF),
}
