"""Gateways of cooperation requests: the only way a view or API handler reaches a request or
one of its files. Foreign and missing objects give the same audited 404
(``tawasul.core.access.fetch_or_404``); who sees what is ``CooperationRequestQuerySet.visible_to``.
"""

from __future__ import annotations

from typing import Any

from tawasul.cooperation.models import CooperationRequest, RequestAttachment, RequestDocument
from tawasul.core.access import Need, fetch_or_404


def access_request(user: Any, request_id: object, *, need: Need = Need.VIEW) -> CooperationRequest:
    """A request its requesting side may see (the requesting agency's focal points and
    central-authority users; the requesting country's central authority once submitted), or,
    once transmitted, its requested side (the requested country's central authority, the
    requested agency and assigned focal points). Drafts are never visible abroad; coordinators,
    national admins, oversight, border officers and victim protection get the audited 404.
    VIEW and CHANGE reach the same requests: which change a user may make is the lifecycle's
    rule, enforced by the services."""
    return fetch_or_404(
        CooperationRequest.objects.select_related(
            "requesting_agency", "requested_agency", "created_by", "submitted_by", "approved_by"
        ),
        user,
        request_id,
        need=need,
        object_type="cooperation_request",
    )


def access_request_attachment(
    user: Any, attachment_id: object, *, need: Need = Need.VIEW
) -> RequestAttachment:
    """An attachment of a request ``user`` may see (the rule of ``access_request``); anyone
    else gets the audited 404."""
    return fetch_or_404(
        RequestAttachment.objects.select_related("request"),
        user,
        attachment_id,
        need=need,
        object_type="request_attachment",
    )


def access_request_document(
    user: Any, document_id: object, *, need: Need = Need.VIEW
) -> RequestDocument:
    """A generated formal request of a request ``user`` may see (the rule of
    ``access_request``); anyone else gets the audited 404."""
    return fetch_or_404(
        RequestDocument.objects.select_related("request"),
        user,
        document_id,
        need=need,
        object_type="request_document",
    )
