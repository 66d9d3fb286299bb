"""Who reaches each page of cooperation requests (see tawasul/core/tests/walk.py).

Requests are case content for focal points and central authorities only. A draft belongs to
its drafter's agency (fp_ma); once transmitted, Morocco's central authority (ca_ma) and the
requested agency in Tunisia (fp_tn's) see it too.
"""

import hashlib
import io

from tawasul.cooperation.tests.walk_api import API_OPERATIONS as COOPERATION_API_OPERATIONS
from tawasul.cooperation.tests.walk_dashboard import ROUTES as DASHBOARD_ROUTES
from tawasul.core.tests.walk import ANON, LOGIN, Also, Route

Expect = dict[str, int | str]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nWALK\n%%EOF\n"


def _draft(p):
    from tawasul.cooperation.tests.factories import CooperationRequestFactory

    return CooperationRequestFactory(created_by=p["fp_ma"], requested_country="TN")


def _transmitted(p):
    from tawasul.cooperation.tests.factories import CooperationRequestFactory

    return CooperationRequestFactory(
        created_by=p["fp_ma"],
        requested_country="TN",
        requested_agency=p["fp_tn"].agency,
        status="transmitted",
    )


def _attach(p, request):
    from tawasul.cooperation.services import request_attachment_add
    from tawasul.messaging.files import IncomingFile

    return request_attachment_add(
        actor=p["fp_ma"],
        request=request,
        incoming=IncomingFile(name="walk.pdf", stream=io.BytesIO(PDF), size=len(PDF)),
    )


def _draft_kwargs(p):
    return {"request_id": _draft(p).pk}


def _step_kwargs(p):
    return {"request_id": _draft(p).pk, "step": "facts"}


def _transmitted_kwargs(p):
    return {"request_id": _transmitted(p).pk}


def _offence_kwargs(p):
    from tawasul.cooperation.tests.factories import RequestOffenceFactory

    offence = RequestOffenceFactory(request=_draft(p))
    return {"request_id": offence.request_id, "part": "offence", "part_id": offence.pk}


def _draft_attachment(p):
    return {"attachment_id": _attach(p, _draft(p)).pk}


def _transmitted_attachment(p):
    from django.utils import timezone

    from tawasul.cooperation.models import CooperationRequest

    request = _draft(p)
    request.requested_agency = p["fp_tn"].agency
    request.save(update_fields=["requested_agency"])
    attachment = _attach(p, request)
    CooperationRequest.objects.filter(pk=request.pk).update(
        status="transmitted", transmitted_at=timezone.now()
    )
    return {"attachment_id": attachment.pk}


def _document(p):
    from tawasul.cooperation.models import RequestDocument
    from tawasul.messaging.files import store_encrypted

    request = _transmitted(p)
    document = RequestDocument.objects.create(
        request=request,
        content_version=request.content_version,
        language="fr",
        format="pdf",
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        storage_name=store_encrypted(PDF),
        created_by=p["fp_ma"],
    )
    return {"document_id": document.pk}


def _incoming_to_ma(p):
    from tawasul.cooperation.tests.factories import CooperationRequestFactory

    request = CooperationRequestFactory(
        created_by=p["fp_tn"],
        requesting_country="TN",
        requested_country="MA",
        status="transmitted",
    )
    return {"request_id": request.pk}


def _receipt(p):
    from tawasul.cooperation.services import request_transition

    # Withdrawing a draft is the one transition that pins no formal request (no renderer).
    done = request_transition(actor=p["fp_ma"], request=_draft(p), action="withdraw", note="walk")
    return {"request_id": done.request_id, "transition_id": done.pk}


REFUSED: Expect = {
    "bo_ma": 404,
    "vp_ma": 404,
    "vp_tn": 404,
    "admin_ma": 404,
    "admin_tn": 404,
    "coord": 404,
    "dpo_ma": 404,
}


def _workers(ok: int) -> Expect:
    return {ANON: LOGIN, "fp_ma": ok, "fp_tn": ok, "ca_ma": ok, "ca_tn": ok, **REFUSED}


def _draft_of_fp_ma(ok: int) -> Expect:
    # Another agency's central authority does not see a draft, nor does the other country.
    return {ANON: LOGIN, "fp_ma": ok, "ca_ma": 404, "fp_tn": 404, **REFUSED}


# An invalid form is answered 400 by whoever sees the request (the page again, with errors).
ROUTES = {
    "cooperation:index": Route("get", _workers(200)),
    "cooperation:new": Route("get", _workers(200), also={"post": Also(_workers(400))}),
    "cooperation:notifications_read": Route("post", _workers(302)),
    "cooperation:step": Route(
        "get",
        _draft_of_fp_ma(200),
        kwargs=_step_kwargs,
        # a draft's step saves whatever it is given (an empty step included)
        also={"post": Also(_draft_of_fp_ma(302))},
    ),
    "cooperation:detail": Route("get", _workers(200), kwargs=_transmitted_kwargs),
    "cooperation:transition": Route(
        "post",
        _draft_of_fp_ma(302),
        kwargs=_draft_kwargs,
        data={"action": "withdraw", "note": "No longer needed"},
    ),
    "cooperation:part_remove": Route("post", _draft_of_fp_ma(302), kwargs=_offence_kwargs),
    "cooperation:attachment_add": Route("post", _draft_of_fp_ma(400), kwargs=_draft_kwargs),
    "cooperation:attachment_remove": Route("post", _draft_of_fp_ma(302), kwargs=_draft_attachment),
    "cooperation:attachment_download": Route("get", _workers(200), kwargs=_transmitted_attachment),
    "cooperation:document_generate": Route(
        "post",
        _workers(400),
        kwargs=_transmitted_kwargs,
        data={"language": "xx", "format": "pdf"},
    ),
    "cooperation:document_download": Route("get", _workers(200), kwargs=_document),
    # A request from Tunisia to Morocco: Morocco's central authority assigns (here with a bad
    # choice), the Tunisian drafter sees the page, a Moroccan focal point of another agency
    # does not.
    "cooperation:assign": Route(
        "post",
        {ANON: LOGIN, "ca_ma": 400, "fp_tn": 400, "ca_tn": 400, "fp_ma": 404, **REFUSED},
        kwargs=_incoming_to_ma,
        data={"user": "0"},
    ),
    "cooperation:receipt": Route(
        "get", {ANON: LOGIN, "fp_ma": 200, "ca_ma": 200, "fp_tn": 404, **REFUSED}, kwargs=_receipt
    ),
}
ROUTES.update(DASHBOARD_ROUTES)
API_OPERATIONS = COOPERATION_API_OPERATIONS
