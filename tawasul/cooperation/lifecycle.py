"""The life of a cooperation request: its statuses and, for each action, from which statuses it
may be taken, what it leads to, which side (requesting or requested country) and which roles
may take it, and whether it needs a note (refusal grounds, the information asked for...).

One table, read by the services (which enforce it), the pages (which offer only what the user
may do) and the API. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tawasul.core.roles import Role


class Status(models.TextChoices):
    # A context of their own: "Refused" or "Transmitted" mean other things in other apps.
    DRAFT = "draft", pgettext_lazy("request status", "Draft")
    AWAITING_APPROVAL = "awaiting_approval", pgettext_lazy("request status", "Awaiting approval")
    TRANSMITTED = "transmitted", pgettext_lazy("request status", "Transmitted")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("request status", "Acknowledged")
    UNDER_REVIEW = "under_review", pgettext_lazy("request status", "Under review")
    INFO_REQUESTED = (
        "info_requested",
        pgettext_lazy("request status", "Additional information requested"),
    )
    IN_EXECUTION = "in_execution", pgettext_lazy("request status", "In execution")
    PARTIALLY_EXECUTED = "partially_executed", pgettext_lazy("request status", "Partially executed")
    EXECUTED = "executed", pgettext_lazy("request status", "Executed")
    REFUSED = "refused", pgettext_lazy("request status", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")


# Before transmission the request belongs to the requesting side alone.
PRE_TRANSMISSION = frozenset({Status.DRAFT, Status.AWAITING_APPROVAL})
CLOSED = frozenset({Status.EXECUTED, Status.REFUSED, Status.WITHDRAWN})
# Transmitted and not closed: the requested side owes an answer.
OPEN_ABROAD = frozenset(
    {
        Status.TRANSMITTED,
        Status.ACKNOWLEDGED,
        Status.UNDER_REVIEW,
        Status.INFO_REQUESTED,
        Status.IN_EXECUTION,
        Status.PARTIALLY_EXECUTED,
    }
)


class Side(models.TextChoices):
    REQUESTING = "requesting", _("Requesting side")
    REQUESTED = "requested", _("Requested side")


class RequestType(models.TextChoices):
    MLA = "mla", _("Mutual legal assistance")
    EXTRADITION = "extradition", _("Extradition")
    PROVISIONAL_ARREST = "provisional_arrest", _("Provisional arrest")
    TRANSFER_OF_PROCEEDINGS = "transfer_of_proceedings", _("Transfer of proceedings")
    JIT_PROPOSAL = "jit_proposal", _("Joint investigation team proposal")
    SPONTANEOUS = "spontaneous_information", _("Spontaneous information")
    POLICE = "police_information", _("Police information request")


# Judicial requests are decided formally by a central authority on the requested side;
# police-to-police requests and spontaneous information by the focal points themselves.
JUDICIAL_TYPES = frozenset(
    {
        RequestType.MLA,
        RequestType.EXTRADITION,
        RequestType.PROVISIONAL_ARREST,
        RequestType.TRANSFER_OF_PROCEEDINGS,
    }
)
# The country profiles describe three families of request; each type reads one of them.
PROFILE_FAMILY: dict[str, str] = {
    RequestType.MLA: "mla",
    RequestType.EXTRADITION: "extradition",
    RequestType.PROVISIONAL_ARREST: "extradition",
    RequestType.TRANSFER_OF_PROCEEDINGS: "mla",
    RequestType.JIT_PROPOSAL: "mla",
    RequestType.SPONTANEOUS: "police_information",
    RequestType.POLICE: "police_information",
}

CASE_WORKERS = frozenset({Role.FOCAL_POINT, Role.CENTRAL_AUTHORITY})
CENTRAL_AUTHORITY_ONLY = frozenset({Role.CENTRAL_AUTHORITY})


@dataclass(frozen=True)
class Action:
    code: str
    label: Promise
    sources: frozenset[str]
    target: str
    side: str
    roles: frozenset[str] = CASE_WORKERS
    # For judicial requests, a narrower set of roles (a formal decision of the state).
    judicial_roles: frozenset[str] | None = None
    note_required: bool = False
    note_label: Promise | None = None

    def roles_for(self, request_type: str) -> frozenset[str]:
        if self.judicial_roles is not None and request_type in JUDICIAL_TYPES:
            return self.judicial_roles
        return self.roles


ACTIONS: tuple[Action, ...] = (
    Action(
        "submit",
        _("Submit for approval"),
        frozenset({Status.DRAFT}),
        Status.AWAITING_APPROVAL,
        Side.REQUESTING,
    ),
    Action(
        "return_to_draft",
        _("Return to the drafter"),
        frozenset({Status.AWAITING_APPROVAL}),
        Status.DRAFT,
        Side.REQUESTING,
        note_required=True,
        note_label=_("What must change"),
    ),
    Action(
        "approve",
        _("Approve and transmit"),
        frozenset({Status.AWAITING_APPROVAL}),
        Status.TRANSMITTED,
        Side.REQUESTING,
    ),
    Action(
        "acknowledge",
        _("Acknowledge receipt"),
        frozenset({Status.TRANSMITTED}),
        Status.ACKNOWLEDGED,
        Side.REQUESTED,
    ),
    Action(
        "start_review",
        _("Start the review"),
        frozenset({Status.ACKNOWLEDGED}),
        Status.UNDER_REVIEW,
        Side.REQUESTED,
    ),
    Action(
        "request_information",
        _("Ask for additional information"),
        frozenset({Status.ACKNOWLEDGED, Status.UNDER_REVIEW, Status.IN_EXECUTION}),
        Status.INFO_REQUESTED,
        Side.REQUESTED,
        note_required=True,
        note_label=_("Information needed"),
    ),
    Action(
        "supply_information",
        _("Supply the information"),
        frozenset({Status.INFO_REQUESTED}),
        Status.UNDER_REVIEW,
        Side.REQUESTING,
        note_required=True,
        note_label=_("Information supplied"),
    ),
    Action(
        "start_execution",
        _("Start execution"),
        frozenset({Status.ACKNOWLEDGED, Status.UNDER_REVIEW}),
        Status.IN_EXECUTION,
        Side.REQUESTED,
        judicial_roles=CENTRAL_AUTHORITY_ONLY,
    ),
    Action(
        "execute_partially",
        _("Record partial execution"),
        frozenset({Status.IN_EXECUTION}),
        Status.PARTIALLY_EXECUTED,
        Side.REQUESTED,
        note_required=True,
        note_label=_("What was executed and what remains"),
    ),
    Action(
        "execute",
        _("Record execution"),
        frozenset({Status.IN_EXECUTION, Status.PARTIALLY_EXECUTED}),
        Status.EXECUTED,
        Side.REQUESTED,
    ),
    Action(
        "refuse",
        _("Refuse"),
        frozenset(
            {Status.ACKNOWLEDGED, Status.UNDER_REVIEW, Status.INFO_REQUESTED, Status.IN_EXECUTION}
        ),
        Status.REFUSED,
        Side.REQUESTED,
        judicial_roles=CENTRAL_AUTHORITY_ONLY,
        note_required=True,
        note_label=_("Grounds for refusal"),
    ),
    Action(
        "withdraw",
        _("Withdraw"),
        frozenset(
            {
                Status.DRAFT,
                Status.AWAITING_APPROVAL,
                Status.TRANSMITTED,
                Status.ACKNOWLEDGED,
                Status.UNDER_REVIEW,
                Status.INFO_REQUESTED,
                Status.IN_EXECUTION,
                Status.PARTIALLY_EXECUTED,
            }
        ),
        Status.WITHDRAWN,
        Side.REQUESTING,
        note_required=True,
        note_label=_("Reason for withdrawal"),
    ),
)
ACTIONS_BY_CODE = {action.code: action for action in ACTIONS}


def action(code: str) -> Action | None:
    return ACTIONS_BY_CODE.get(code)


def actions_from(status: str) -> list[Action]:
    """Every action the table allows from ``status``, whoever takes it."""
    return [a for a in ACTIONS if status in a.sources]
