from tawasul.core.tests.walk import ANON, LOGIN, Also, ApiOperation, Route, with_allowed


def _entry_of_fp_ma(p):
    from tawasul.directory.tests.factories import FocalPointFactory

    return {"entry_id": FocalPointFactory(user=p["fp_ma"]).pk}


def _ma_agency(p):
    return {"agency_id": p["fp_ma"].agency_id}


def _ma_channel(p):
    from tawasul.directory.models import AgencyChannel

    channel = AgencyChannel.objects.create(
        agency=p["fp_ma"].agency, kind="secure_email", value="desk@example.invalid"
    )
    return {"agency_id": channel.agency_id, "channel_id": channel.pk}


def _network(p):
    from tawasul.directory.tests.factories import NetworkFactory

    return {"network_id": NetworkFactory().pk}


def _membership_ma(p):
    from tawasul.directory.tests.factories import FocalPointFactory, MembershipFactory

    membership = MembershipFactory(focal_point=FocalPointFactory(user=p["fp_ma"]))
    return {"network_id": membership.network_id, "membership_id": membership.pk}


def _profile_ma(p):
    from tawasul.directory.tests.test_profiles import load_shipped

    load_shipped("MA")
    return {"country": "MA"}


def _api_entry(p):
    return _entry_of_fp_ma(p)


# Directory data is network-level: every signed-in user reads it, whatever their country or
# role; only anonymous is refused. Changes follow design.md.
READ: dict[str, int | str] = {
    ANON: LOGIN,
    "fp_ma": 200,
    "fp_tn": 200,
    "coord": 200,
    "dpo_ma": 200,
    "admin_tn": 200,
}
ADMIN_PAGE: dict[str, int | str] = {
    ANON: LOGIN,
    "admin_ma": 200,
    "admin_tn": 200,
    "coord": 200,
    "fp_ma": 404,
    "ca_ma": 404,
    "dpo_ma": 404,
}
# the entry belongs to fp_ma: they, MA's admin and the coordinator may change it
ENTRY_EDIT: dict[str, int | str] = {
    ANON: LOGIN,
    "fp_ma": 200,
    "admin_ma": 200,
    "coord": 200,
    "fp_tn": 404,
    "admin_tn": 404,
    "bo_ma": 404,
    "dpo_ma": 404,
}
ENTRY_VERIFY: dict[str, int | str] = {
    ANON: LOGIN,
    "admin_ma": 302,
    "coord": 302,
    "fp_tn": 404,
    "admin_tn": 404,
    "bo_ma": 404,
    "fp_ma": 302,
}
FOCAL_POINT_CREATE: dict[str, int | str] = {
    ANON: LOGIN,
    "admin_ma": 200,
    "admin_tn": 200,
    "coord": 404,
    "fp_ma": 404,
    "ca_ma": 404,
}
AGENCY_EDIT: dict[str, int | str] = {
    ANON: LOGIN,
    "admin_ma": 200,
    "coord": 200,
    "admin_tn": 404,
    "fp_ma": 404,
    "dpo_ma": 404,
}
NETWORK_CREATE: dict[str, int | str] = {
    ANON: LOGIN,
    "coord": 200,
    "admin_ma": 404,
    "fp_ma": 404,
    "fp_tn": 404,
}


def _form(expect: dict[str, int | str]) -> dict[str, Also]:
    """An empty form posted by whoever may open the page: the page again, with its errors."""
    return {"post": Also(with_allowed(expect, 200))}


API_READ: dict[str, int] = {
    ANON: 401,
    "fp_ma": 200,
    "fp_tn": 200,
    "coord": 200,
    "dpo_ma": 200,
}

ROUTES = {
    "directory:index": Route("get", READ, others=200),
    "directory:export_csv": Route("get", READ, others=200),
    "directory:export_vcard": Route("get", READ, others=200),
    "directory:focal_point_create": Route(
        "get", FOCAL_POINT_CREATE, also=_form(FOCAL_POINT_CREATE)
    ),
    "directory:focal_point_detail": Route("get", READ, kwargs=_entry_of_fp_ma, others=200),
    "directory:focal_point_vcard": Route("get", READ, kwargs=_entry_of_fp_ma, others=200),
    "directory:focal_point_edit": Route(
        "get", ENTRY_EDIT, kwargs=_entry_of_fp_ma, also=_form(ENTRY_EDIT)
    ),
    "directory:focal_point_verify": Route("post", ENTRY_VERIFY, kwargs=_entry_of_fp_ma),
    "directory:agency_detail": Route("get", READ, kwargs=_ma_agency, others=200),
    "directory:agency_create": Route("get", ADMIN_PAGE, also=_form(ADMIN_PAGE)),
    "directory:agency_edit": Route("get", AGENCY_EDIT, kwargs=_ma_agency, also=_form(AGENCY_EDIT)),
    "directory:agency_channel_add": Route(
        "post",
        {ANON: LOGIN, "admin_ma": 302, "coord": 302, "admin_tn": 404, "fp_ma": 404, "ca_ma": 404},
        kwargs=_ma_agency,
    ),
    "directory:agency_channel_remove": Route(
        "post",
        {ANON: LOGIN, "admin_tn": 404, "fp_ma": 404, "dpo_ma": 404, "admin_ma": 302, "coord": 302},
        kwargs=_ma_channel,
    ),
    "directory:network_list": Route("get", READ, others=200),
    "directory:network_create": Route("get", NETWORK_CREATE, also=_form(NETWORK_CREATE)),
    "directory:network_detail": Route("get", READ, kwargs=_network, others=200),
    "directory:network_member_add": Route(
        "post",
        # each admin adds their own country's focal points (the form refuses the others)
        {
            ANON: LOGIN,
            "fp_ma": 404,
            "fp_tn": 404,
            "dpo_ma": 404,
            "admin_ma": 302,
            "admin_tn": 302,
            "coord": 302,
        },
        kwargs=_network,
    ),
    "directory:network_member_remove": Route(
        "post",
        {ANON: LOGIN, "fp_ma": 404, "admin_tn": 404, "dpo_ma": 404, "admin_ma": 302, "coord": 302},
        kwargs=_membership_ma,
    ),
    "directory:handover": Route("get", ADMIN_PAGE, also=_form(ADMIN_PAGE)),
    "directory:profile_list": Route("get", READ, others=200),
    "directory:profile_detail": Route("get", READ, kwargs=_profile_ma, others=200),
    "directory:finder": Route("get", READ, others=200),
    "directory:compare": Route("get", READ, others=200),
}

API_OPERATIONS = {
    ("get", "/api/v1/directory/focal-points"): ApiOperation(API_READ, others=200),
    ("get", "/api/v1/directory/focal-points/{entry_id}"): ApiOperation(
        API_READ, path_params=_api_entry, others=200
    ),
    ("get", "/api/v1/directory/profiles/{country}"): ApiOperation(
        API_READ, path_params=_profile_ma, others=200
    ),
    ("get", "/api/v1/directory/networks"): ApiOperation(API_READ, others=200),
    ("post", "/api/v1/directory/finder"): ApiOperation(
        API_READ,
        others=200,
        path_params=_profile_ma,
        body={"requesting": "TN", "requested": "MA", "request_type": "mla", "offence": "terrorism"},
    ),
    ("post", "/api/v1/directory/compare"): ApiOperation(
        API_READ,
        others=200,
        path_params=_profile_ma,
        body={"first": "MA", "second": "TN", "measure": "bank_records"},
    ),
}
