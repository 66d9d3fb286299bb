"""Walk-table entries of the requests dashboard (merged into walk_table.py by the lead):
case workers (focal points, central authority) get their own figures, coordinators the
aggregates; border officers, victim protection, national admins and oversight get 404."""

from tawasul.core.tests.walk import ANON, LOGIN, Route

Expect = dict[str, int | str]

DASHBOARD: Expect = {
    ANON: LOGIN,
    "fp_ma": 200,
    "fp_tn": 200,
    "ca_ma": 200,
    "ca_tn": 200,
    "coord": 200,
    "bo_ma": 404,
    "vp_ma": 404,
    "admin_ma": 404,
    "dpo_ma": 404,
}

ROUTES = {
    "cooperation:dashboard": Route("get", DASHBOARD),
    "cooperation:dashboard_export": Route("get", DASHBOARD, data={"period": "all"}),
}
