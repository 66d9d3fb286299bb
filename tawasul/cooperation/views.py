"""Pages of cooperation requests: the list, the guided builder (one step per screen, warning
before moving on when essential information is missing), the request's page with its
lifecycle actions, and the downloads. Thin: gateway → form → service → response; every page
works without JavaScript, htmx only swaps the measure's fields when its kind changes."""

from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.accounts.models import User
from tawasul.audit.services import audit_access_denied
from tawasul.cooperation import checks, selectors, services
from tawasul.cooperation.access import (
    access_request,
    access_request_attachment,
    access_request_document,
)
from tawasul.cooperation.forms import (
    AssignForm,
    AttachmentForm,
    BasisForm,
    ConditionsForm,
    DocumentForm,
    FactsForm,
    FilterForm,
    MeasureForm,
    MeasureKindForm,
    NewRequestForm,
    OffenceForm,
    PersonForm,
    TransitionForm,
    TypeForm,
)
from tawasul.cooperation.lifecycle import (
    ACTIONS_BY_CODE,
    CLOSED,
    PROFILE_FAMILY,
    Side,
    Status,
    actions_from,
)
from tawasul.cooperation.measures import PROFILE_MEASURE, MeasureKind, fields_of
from tawasul.cooperation.models import (
    CooperationRequest,
    DocumentFormat,
    may_work_on_requests,
)
from tawasul.cooperation.steps import STEP_CODES, STEPS, next_step, previous_step, step
from tawasul.core.access import Need, user_roles
from tawasul.core.errors import ServiceError
from tawasul.core.handling import H1_NOTICE
from tawasul.core.http import AuthedRequest
from tawasul.core.roles import Role
from tawasul.directory import finder
from tawasul.directory.finder import Basis
from tawasul.messaging import files, references

View = Callable[..., HttpResponse]
PAGE_SIZE = 25
CONTENT_TYPES: dict[str, str] = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
}
# What each notification says happened (the lifecycle's actions are named by their label).
NOTIFICATION_LABELS = {
    "reminder": gettext_lazy("An answer is overdue"),
    "assigned": gettext_lazy("You were assigned to the request"),
}
# Which builder step shows each part, so removing one goes back to it.
PART_STEPS = {"offence": "facts", "person": "persons", "measure": "measures"}
STATUS_BADGES: dict[str, str] = {
    Status.DRAFT: "text-bg-secondary",
    Status.AWAITING_APPROVAL: "text-bg-info",
    Status.INFO_REQUESTED: "text-bg-warning",
    Status.EXECUTED: "text-bg-success",
    Status.PARTIALLY_EXECUTED: "text-bg-success",
    Status.REFUSED: "text-bg-danger",
    Status.WITHDRAWN: "text-bg-dark",
}


def work_on_requests_required(view: View) -> View:
    """Requests are case content for focal points and central authorities: anyone else
    (coordinators, admins, oversight, border officers, victim protection) gets the same
    audited 404 as a missing page."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_work_on_requests(request.user):
            audit_access_denied(
                actor=request.user,
                object_type="page",
                object_id=request.path[:64],
                need="cooperation",
            )
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _form_error(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _is_htmx(request: AuthedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-primary")


def file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- the list ------------------------------------------------------------------------------


def _notification_label(kind: str) -> str:
    entry = ACTIONS_BY_CODE.get(kind)
    if entry is not None:
        return str(entry.label)
    return str(NOTIFICATION_LABELS.get(kind, kind))


@work_on_requests_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    direction = request.GET.get("direction", "")
    form = FilterForm(request.GET or None)
    filters = form.filters(direction)
    page = Paginator(selectors.requests_visible(user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    country = str(user.country)
    rows = [
        {
            "req": r,
            "outgoing": str(r.requesting_country) == country,
            "other": r.requested_country
            if str(r.requesting_country) == country
            else r.requesting_country,
            "badge": _badge(r.status),
        }
        for r in page.object_list
    ]
    notifications = [
        {"n": n, "label": _notification_label(n.kind)}
        for n in selectors.unread_notifications(user)[:20]
    ]
    return render(
        request,
        "cooperation/index.html",
        {
            "form": form,
            "direction": filters.direction,
            "page": page,
            "rows": rows,
            "notifications": notifications,
        },
    )


@work_on_requests_required
@require_POST
def notifications_read(request: AuthedRequest) -> HttpResponse:
    ids: list[int] | None = None
    raw = request.POST.getlist("id")
    if raw:
        ids = [int(value) for value in raw if value.isdigit()][:100]
    services.request_notifications_mark_read(actor=request.user, ids=ids)
    return redirect("cooperation:index")


# --- the builder ---------------------------------------------------------------------------


@work_on_requests_required
@require_http_methods(["GET", "POST"])
def new(request: AuthedRequest) -> HttpResponse:
    own = str(request.user.country)
    form = NewRequestForm(
        request.POST or None,
        own_country=own,
        initial={"idempotency_key": get_random_string(32)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                actor=request.user,
                values=form.values(),
                idempotency_key=form.cleaned_data.get("idempotency_key") or "",
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(
                request,
                _(
                    "Request %(reference)s drafted: the finder proposed its authority and legal basis."
                )
                % {"reference": created.reference},
            )
            return redirect("cooperation:step", request_id=created.pk, step="basis")
    status = 400 if request.method == "POST" else 200
    return render(request, "cooperation/new.html", {"form": form, "steps": STEPS}, status=status)


def _initial(req: CooperationRequest, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: getattr(req, name) for name in names}


def _type_initial(req: CooperationRequest) -> dict[str, Any]:
    initial = _initial(
        req,
        [
            "request_type",
            "offence_category",
            "requesting_reference",
            "urgent",
            "urgency_reason",
            "deadline",
        ],
    )
    initial["requested_country"] = str(req.requested_country)
    return initial


def _finder_result(req: CooperationRequest) -> finder.FinderResult:
    first = req.measures.first()
    return finder.find(
        requesting=str(req.requesting_country),
        requested=str(req.requested_country),
        request_type=PROFILE_FAMILY.get(req.request_type, "mla"),
        offence=req.offence_category,
        measure=PROFILE_MEASURE.get(MeasureKind(first.kind), "") if first else "",
        urgent=req.urgent,
    )


def _proposed_bases(result: finder.FinderResult, report: checks.Report) -> list[Basis]:
    """The finder's bases, then those the checks found for the request's measures (the
    Budapest Convention for e-evidence), each once."""
    bases = list(result.bases)
    seen = {(b.code, b.label) for b in bases}
    for basis in getattr(report, "bases", []) or []:
        if (basis.code, basis.label) not in seen:
            seen.add((basis.code, basis.label))
            bases.append(basis)
    # Reciprocity is the finder's fallback: not a proposal once a treaty is found.
    if any(b.kind != "reciprocity" for b in bases):
        bases = [b for b in bases if b.kind != "reciprocity"]
    return bases


def _measure_rows(req: CooperationRequest) -> list[dict[str, Any]]:
    rows = []
    for measure in req.measures.all():
        details = measure.details or {}
        fields = []
        for spec in fields_of(measure.kind):
            value: Any = details.get(spec.name) or ""
            if spec.kind == "date" and value:
                with contextlib.suppress(ValueError):
                    value = datetime.date.fromisoformat(str(value))
            fields.append({"label": spec.label, "value": value, "kind": spec.kind})
        rows.append({"measure": measure, "fields": fields})
    return rows


def _content_context(req: CooperationRequest) -> dict[str, Any]:
    """The request's content, read-only (review screen and request page)."""
    return {
        "offences": list(req.offences.all()),
        "persons": list(req.persons.all()),
        "measure_rows": _measure_rows(req),
        "attachments": list(req.attachments.select_related("uploaded_by")),
        "h1_notice": H1_NOTICE,
    }


def _step_forms(
    request: AuthedRequest,
    req: CooperationRequest,
    code: str,
    report: checks.Report,
    bound: dict[str, Any],
) -> dict[str, Any]:
    """The forms and lists of one step (``bound`` holds forms being shown again with errors)."""
    context: dict[str, Any] = {}
    if code == "type":
        context["form"] = bound.get("form") or TypeForm(
            initial=_type_initial(req), own_country=str(req.requesting_country)
        )
    elif code == "basis":
        result = _finder_result(req)
        bases = _proposed_bases(result, report)
        context["result"] = result
        context["form"] = bound.get("form") or BasisForm(
            initial=BasisForm.initial_for(req, bases),
            bases=bases,
            country=str(req.requested_country),
        )
        context["bases"] = bases
    elif code == "facts":
        context["form"] = bound.get("form") or FactsForm(
            initial=_initial(req, ["summary_of_facts", "purpose"])
        )
        context["offence_form"] = bound.get("offence_form") or OffenceForm()
        context["offences"] = list(req.offences.all())
    elif code == "persons":
        context["person_form"] = bound.get("person_form") or PersonForm()
        context["persons"] = list(req.persons.all())
    elif code == "measures":
        context |= _measures_context(request, req, bound)
    elif code == "conditions":
        context["form"] = bound.get("form") or ConditionsForm(
            initial=_initial(req, list(services.FIELDS_BY_STEP["conditions"]))
        )
    elif code == "attachments":
        context["attachment_form"] = bound.get("attachment_form") or AttachmentForm()
        context["attachments"] = list(req.attachments.select_related("uploaded_by"))
    elif code == "review":
        context |= _content_context(req)
        context["documents"] = list(req.documents.filter(content_version=req.content_version))
        context["document_form"] = bound.get("document_form") or DocumentForm(
            initial={"language": req.document_language, "format": DocumentFormat.PDF}
        )
        context["may_submit"] = services.may_take(request.user, req, "submit")
        context["submit_form"] = bound.get("submit_form") or TransitionForm(
            initial={"action": "submit", "return_to": "review"}
        )
        context["submit_error"] = bound.get("submit_error", "")
    return context


def _measures_context(
    request: AuthedRequest, req: CooperationRequest, bound: dict[str, Any]
) -> dict[str, Any]:
    measure_form = bound.get("measure_form")
    kind = request.GET.get("kind", "")
    editing = None
    if measure_form is None:
        edit = request.GET.get("edit", "")
        if edit.isdigit():
            editing = req.measures.filter(pk=int(edit)).first()
        if editing is not None:
            measure_form = MeasureForm(initial=MeasureForm.initial_for(editing), kind=editing.kind)
        elif kind in MeasureKind.values:
            measure_form = MeasureForm(kind=kind)
    return {
        "kind_form": MeasureKindForm(initial={"kind": kind}),
        "measure_form": measure_form,
        "measure_rows": _measure_rows(req),
    }


def _step_page(
    request: AuthedRequest,
    req: CooperationRequest,
    code: str,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    report = checks.evaluate(req)
    missing = report.missing(code)
    context = {
        "req": req,
        "badge": _badge(req.status),
        "step": step(code),
        "steps": [
            {"step": s, "missing": len(report.missing(s.code)), "current": s.code == code}
            for s in STEPS
        ],
        "report": report,
        "step_missing": missing,
        "step_risks": report.risks_at(code) if code != "review" else report.risks,
        "next_step": next_step(code),
        "previous_step": previous_step(code),
        "incomplete": request.GET.get("incomplete") == "1" and bool(missing),
        "step_template": f"cooperation/step_{code}.html",
    }
    context |= _step_forms(request, req, code, report, bound or {})
    return render(request, "cooperation/step.html", context, status=status)


def _editable(request: AuthedRequest, request_id: int) -> CooperationRequest | HttpResponse:
    """The draft to edit, or the redirect to the request's page once it is no draft."""
    req = access_request(request.user, request_id, need=Need.CHANGE)
    if req.status != Status.DRAFT or req.side_of(request.user) != Side.REQUESTING:
        return redirect("cooperation:detail", request_id=req.pk)
    return req


def _after_save(req: CooperationRequest, code: str) -> HttpResponse:
    """Move on, unless essential information of this step is missing: then stay and say
    what (the drafter may still continue)."""
    req.refresh_from_db()
    if checks.evaluate(req).missing(code):
        url = reverse("cooperation:step", kwargs={"request_id": req.pk, "step": code})
        return redirect(f"{url}?incomplete=1")
    following = next_step(code) or code
    return redirect("cooperation:step", request_id=req.pk, step=following)


@work_on_requests_required
@require_http_methods(["GET", "POST"])
def step_view(request: AuthedRequest, request_id: int, step: str) -> HttpResponse:
    if step not in STEP_CODES:
        raise Http404
    found = _editable(request, request_id)
    if isinstance(found, HttpResponse):
        return found
    req = found
    if request.method == "GET":
        if step == "measures" and _is_htmx(request):
            response = _measure_fields(request, req)
        else:
            response = _step_page(request, req, step)
        patch_vary_headers(response, ["HX-Request"])
        return response
    op = request.POST.get("op", "save")
    if step == "facts" and op == "offence":
        return _offence_add(request, req)
    if step == "persons" and op == "person":
        return _person_add(request, req)
    if step == "measures" and op in ("measure_add", "measure_update"):
        return _measure_save(request, req)
    if op != "save":
        # A form of another step posted here: saving this step's fields would blank them.
        flash.error(request, _("This action does not belong to this step."))
        return redirect("cooperation:step", request_id=req.pk, step=step)
    return _step_save(request, req, step)


FORM_OF_STEP: dict[str, Any] = {
    "type": TypeForm,
    "basis": BasisForm,
    "facts": FactsForm,
    "conditions": ConditionsForm,
}


def _step_save(request: AuthedRequest, req: CooperationRequest, code: str) -> HttpResponse:
    form_class = FORM_OF_STEP.get(code)
    if form_class is None:  # the steps made of parts: nothing to save, only to check
        return _after_save(req, code)
    form: Any
    if code == "type":
        form = TypeForm(request.POST, own_country=str(req.requesting_country))
    elif code == "basis":
        bases = _proposed_bases(_finder_result(req), checks.evaluate(req))
        form = BasisForm(request.POST, bases=bases, country=str(req.requested_country))
    else:
        form = form_class(request.POST)
    if form.is_valid():
        values = form.values()
        country_changed = code == "type" and values["requested_country"] != str(
            req.requested_country
        )
        if country_changed:
            # The authority and the legal basis were chosen for the other country.
            values |= {
                "requested_agency": "",
                "requested_authority": "",
                "legal_basis": "",
                "legal_basis_text": "",
            }
        try:
            services.request_update(actor=request.user, request=req, values=values)
        except ServiceError as error:
            _form_error(form, error)
        else:
            if country_changed:
                flash.warning(
                    request,
                    _(
                        "The requested country changed: choose the authority and the legal basis again."
                    ),
                )
                return redirect("cooperation:step", request_id=req.pk, step="basis")
            return _after_save(req, code)
    req.refresh_from_db()
    return _step_page(request, req, code, bound={"form": form}, status=400)


def _offence_add(request: AuthedRequest, req: CooperationRequest) -> HttpResponse:
    form = OffenceForm(request.POST)
    if form.is_valid():
        try:
            services.request_offence_add(actor=request.user, request=req, **form.cleaned_data)
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Offence added."))
            return redirect("cooperation:step", request_id=req.pk, step="facts")
    return _step_page(request, req, "facts", bound={"offence_form": form}, status=400)


def _person_add(request: AuthedRequest, req: CooperationRequest) -> HttpResponse:
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            services.request_person_add(actor=request.user, request=req, values=form.values())
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Person added."))
            return redirect("cooperation:step", request_id=req.pk, step="persons")
    return _step_page(request, req, "persons", bound={"person_form": form}, status=400)


def _measure_fields(request: AuthedRequest, req: CooperationRequest) -> HttpResponse:
    """The fields of the chosen kind of measure, swapped in by htmx when the kind changes
    (without JavaScript the kind form reloads the page with them)."""
    kind = request.GET.get("kind", "")
    form = MeasureForm(kind=kind) if kind in MeasureKind.values else None
    return render(request, "cooperation/_measure_form.html", {"req": req, "measure_form": form})


def _measure_save(request: AuthedRequest, req: CooperationRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    if kind not in MeasureKind.values:
        flash.error(request, _("Choose a measure."))
        return redirect("cooperation:step", request_id=req.pk, step="measures")
    form = MeasureForm(request.POST, kind=kind)
    if form.is_valid():
        measure_id = form.cleaned_data.get("measure_id")
        try:
            if request.POST.get("op") == "measure_update":
                if measure_id is None:
                    raise ServiceError(_("This measure is not part of the request."))
                services.request_measure_update(
                    actor=request.user,
                    request=req,
                    measure_id=measure_id,
                    details=form.details(),
                )
            else:
                services.request_measure_add(
                    actor=request.user, request=req, kind=kind, details=form.details()
                )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Measure saved."))
            return redirect("cooperation:step", request_id=req.pk, step="measures")
    return _step_page(request, req, "measures", bound={"measure_form": form}, status=400)


@work_on_requests_required
@require_POST
def part_remove(request: AuthedRequest, request_id: int, part: str, part_id: int) -> HttpResponse:
    req = access_request(request.user, request_id, need=Need.CHANGE)
    try:
        services.request_part_remove(actor=request.user, request=req, part=part, part_id=part_id)
    except ServiceError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("Removed from the request."))
    if req.status == Status.DRAFT and part in PART_STEPS:
        return redirect("cooperation:step", request_id=req.pk, step=PART_STEPS[part])
    return redirect("cooperation:detail", request_id=req.pk)


# --- attachments ---------------------------------------------------------------------------


def _may_attach(user: Any, req: CooperationRequest) -> bool:
    side = req.side_of(user)
    return side is not None and req.status in services.ATTACHABLE.get(side, frozenset())


@work_on_requests_required
@require_POST
def attachment_add(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = access_request(request.user, request_id, need=Need.CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    drafting = req.status == Status.DRAFT and req.side_of(request.user) == Side.REQUESTING
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.request_attachment_add(
                actor=request.user,
                request=req,
                incoming=files.IncomingFile(
                    name=upload.name or "", stream=upload, size=upload.size or 0
                ),
                description=form.cleaned_data["description"],
                handling_code=form.cleaned_data["handling_code"],
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("File attached."))
            if drafting:
                return redirect("cooperation:step", request_id=req.pk, step="attachments")
            return redirect(reverse("cooperation:detail", args=[req.pk]) + "#attachments")
    if drafting:
        return _step_page(request, req, "attachments", bound={"attachment_form": form}, status=400)
    return _detail_page(request, req, bound={"attachment_form": form}, status=400)


@work_on_requests_required
@require_POST
def attachment_remove(request: AuthedRequest, attachment_id: int) -> HttpResponse:
    attachment = access_request_attachment(request.user, attachment_id, need=Need.CHANGE)
    req = attachment.request
    try:
        services.request_attachment_remove(actor=request.user, request=req, attachment=attachment)
    except ServiceError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("File removed."))
    if req.status == Status.DRAFT:
        return redirect("cooperation:step", request_id=req.pk, step="attachments")
    return redirect("cooperation:detail", request_id=req.pk)


@work_on_requests_required
@require_GET
def attachment_download(request: AuthedRequest, attachment_id: int) -> HttpResponse:
    attachment = access_request_attachment(request.user, attachment_id)
    try:
        data = services.request_attachment_read(actor=request.user, attachment=attachment)
    except files.IntegrityError:
        flash.error(request, _("This file failed its integrity check and cannot be delivered."))
        return redirect("cooperation:detail", request_id=attachment.request_id)
    return file_response(data, attachment.content_type, attachment.filename)


# --- documents -----------------------------------------------------------------------------


@work_on_requests_required
@require_POST
def document_generate(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = access_request(request.user, request_id)
    form = DocumentForm(request.POST)
    on_review = (
        request.POST.get("return_to") == "review"
        and req.status == Status.DRAFT
        and req.side_of(request.user) == Side.REQUESTING
    )
    if form.is_valid():
        try:
            document = services.request_document_generate(
                actor=request.user,
                request=req,
                language=form.cleaned_data["language"],
                fmt=form.cleaned_data["format"],
            )
        except ServiceError as error:
            _form_error(form, error)
        except NotImplementedError:
            form.add_error(None, _("Formal requests cannot be generated yet on this instance."))
        else:
            flash.success(
                request,
                _("The formal request is ready: %(name)s.") % {"name": _document_name(document)},
            )
            if on_review:
                return redirect("cooperation:step", request_id=req.pk, step="review")
            return redirect(reverse("cooperation:detail", args=[req.pk]) + "#documents")
    if on_review:
        return _step_page(request, req, "review", bound={"document_form": form}, status=400)
    return _detail_page(request, req, bound={"document_form": form}, status=400)


def _document_name(document: Any) -> str:
    return (
        f"{document.request.reference}-v{document.content_version}-"
        f"{document.language}.{document.format}"
    )


@work_on_requests_required
@require_GET
def document_download(request: AuthedRequest, document_id: int) -> HttpResponse:
    document = access_request_document(request.user, document_id)
    try:
        data = services.request_document_read(actor=request.user, document=document)
    except files.IntegrityError:
        flash.error(request, _("The stored document is damaged: generate it again."))
        return redirect("cooperation:detail", request_id=document.request_id)
    content_type = CONTENT_TYPES.get(document.format, "application/octet-stream")
    return file_response(data, content_type, _document_name(document))


# --- the request's page --------------------------------------------------------------------


def _assign_candidates(req: CooperationRequest) -> Any:
    return (
        User.objects.filter(
            is_active=True,
            country=str(req.requested_country),
            roles__role=Role.FOCAL_POINT,
        )
        .select_related("agency")
        .distinct()
        .order_by("full_name", "pk")
    )


def _may_assign(user: Any, req: CooperationRequest) -> bool:
    return (
        req.side_of(user) == Side.REQUESTED
        and Role.CENTRAL_AUTHORITY in user_roles(user)
        and req.is_transmitted
        and req.status not in CLOSED
    )


def _thread_url(req: CooperationRequest) -> str:
    """The messaging page to open a thread about this request, once messaging can refer to
    requests (an entry of ``messaging.references``); empty until then."""
    kind = getattr(references.ReferenceKind, "REQUEST", None)
    if kind is None or not references.is_available(kind):
        return ""
    return f"{reverse('messaging:thread_new')}?{urlencode({str(kind): req.pk})}"


def _detail_page(
    request: AuthedRequest,
    req: CooperationRequest,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    side = req.side_of(user)
    failed_action = bound.get("action_form")
    actions = []
    for entry in actions_from(req.status):
        if not services.may_take(user, req, entry.code):
            continue
        form = (
            failed_action
            if failed_action is not None and failed_action.data.get("action") == entry.code
            else TransitionForm(initial={"action": entry.code})
        )
        actions.append(
            {"action": entry, "form": form, "danger": entry.code in ("refuse", "withdraw")}
        )
    may_assign = _may_assign(user, req)
    context: dict[str, Any] = {
        "req": req,
        "badge": _badge(req.status),
        "side": side,
        "editable": req.status == Status.DRAFT and side == Side.REQUESTING,
        "actions": actions,
        "history": [
            {"t": t, "label": _action_label(t.action)} for t in selectors.request_history(req)
        ],
        "documents": list(req.documents.select_related("created_by")),
        "document_form": bound.get("document_form")
        or DocumentForm(initial={"language": req.document_language, "format": DocumentFormat.PDF}),
        "may_attach": _may_attach(user, req),
        "attachment_form": bound.get("attachment_form") or AttachmentForm(),
        "may_assign": may_assign,
        "assign_form": bound.get("assign_form")
        or (AssignForm(candidates=_assign_candidates(req)) if may_assign else None),
        "assignments": (
            list(req.assignments.select_related("user", "assigned_by"))
            if side == Side.REQUESTED
            else []
        ),
        "thread_url": _thread_url(req),
    }
    context |= _content_context(req)
    return render(request, "cooperation/detail.html", context, status=status)


def _action_label(code: str) -> str:
    entry = ACTIONS_BY_CODE.get(code)
    return str(entry.label) if entry is not None else code


@work_on_requests_required
@require_GET
def detail(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = access_request(request.user, request_id)
    return _detail_page(request, req)


@work_on_requests_required
@require_POST
def transition(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = access_request(request.user, request_id, need=Need.CHANGE)
    form = TransitionForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["action"]
        try:
            services.request_transition(
                actor=request.user, request=req, action=code, note=form.cleaned_data["note"]
            )
        except ServiceError as error:
            _form_error(form, error)
        except NotImplementedError:
            # Submission and later steps pin the formal request: no renderer, no transition.
            form.add_error(None, _("Formal requests cannot be generated yet on this instance."))
        else:
            flash.success(
                request,
                _("Done: %(action)s.") % {"action": _action_label(code)},
            )
            return redirect("cooperation:detail", request_id=req.pk)
    req.refresh_from_db()
    on_review = (
        form.data.get("return_to") == "review"
        and req.status == Status.DRAFT
        and req.side_of(request.user) == Side.REQUESTING
    )
    if on_review:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return _step_page(
            request,
            req,
            "review",
            bound={"submit_form": form, "submit_error": " ".join(errors)},
            status=400,
        )
    if form.data.get("action") not in ACTIONS_BY_CODE or not services.may_take(
        request.user, req, str(form.data.get("action"))
    ):
        # An action this user cannot take here has no form on the page to show the error.
        flash.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _detail_page(request, req, bound={"action_form": form}, status=400)


@work_on_requests_required
@require_POST
def assign(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = access_request(request.user, request_id, need=Need.CHANGE)
    form = AssignForm(request.POST, candidates=_assign_candidates(req))
    if form.is_valid():
        try:
            services.request_assign(actor=request.user, request=req, user=form.cleaned_data["user"])
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Focal point assigned; they have been notified."))
            return redirect("cooperation:detail", request_id=req.pk)
    if not _may_assign(request.user, req):
        flash.error(
            request, _("Only the requested country's central authority assigns focal points.")
        )
    return _detail_page(request, req, bound={"assign_form": form}, status=400)


@work_on_requests_required
@require_GET
def receipt(request: AuthedRequest, request_id: int, transition_id: int) -> HttpResponse:
    req = access_request(request.user, request_id)
    found = req.transitions.filter(pk=transition_id).first()
    if found is None:
        raise Http404
    body = json.dumps(found.receipt, ensure_ascii=False, indent=2, sort_keys=True)
    return file_response(
        body.encode("utf-8"),
        "application/json",
        f"{req.reference}-receipt-{found.pk}.json",
    )
