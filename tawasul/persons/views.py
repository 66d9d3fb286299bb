"""Pages of the person index. Thin: gateway → form → service → response."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.audit.services import audit_access_denied
from tawasul.core.access import Need
from tawasul.core.errors import ServiceError
from tawasul.core.handling import H1_NOTICE
from tawasul.core.http import AuthedRequest
from tawasul.persons import interop, ratelimit, screening, selectors, services
from tawasul.persons.access import (
    access_hit,
    access_person_record,
    access_referral,
    access_screening_job,
    access_victim,
)
from tawasul.persons.disclosure import disclose_scored
from tawasul.persons.forms import (
    DeleteForm,
    HitDecisionForm,
    IdentifyForm,
    ImportForm,
    MappingForm,
    PersonRecordForm,
    ReferralForm,
    ReferralStatusForm,
    ReviewForm,
    SearchForm,
    UploadForm,
    VictimForm,
)
from tawasul.persons.models import (
    Category,
    JobStatus,
    ReferralStatus,
    may_protect_victims,
    may_use_person_index,
)

View = Callable[..., HttpResponse]


def _gate(allowed: Callable[[Any], bool], need: str) -> Callable[[View], View]:
    """Pages for some users only: anyone else gets the same audited 404 as a missing page."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                audit_access_denied(
                    actor=request.user, object_type="page", object_id=request.path[:64], need=need
                )
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


person_user_required = _gate(may_use_person_index, "person_index")
victim_user_required = _gate(may_protect_victims, "victim_protection")


def _form_error(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def rate_limited(request: AuthedRequest) -> HttpResponse:
    services.search_rate_refused(actor=request.user)
    return render(request, "persons/rate_limited.html", status=429)


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not may_use_person_index(user):
        if may_protect_victims(user):
            return redirect("persons:victims")
        audit_access_denied(
            actor=user, object_type="page", object_id=request.path[:64], need="person_index"
        )
        raise Http404
    return render(
        request,
        "persons/index.html",
        {
            "search_form": SearchForm(),
            "past_review": selectors.past_review_count(user),
            "to_decide": selectors.hits_to_decide(user)[:20],
            "my_hits": selectors.my_hits(user)[:10],
            "notifications": selectors.notifications_for(user),
            "unread": selectors.unread_notifications(user),
            "jobs": selectors.jobs_for(user)[:5],
            "victims": may_protect_victims(user),
        },
    )


@person_user_required
@require_POST
def notifications_read(request: AuthedRequest) -> HttpResponse:
    services.notifications_mark_read(actor=request.user)
    return redirect("persons:index")


@person_user_required
@require_GET
def record_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    past = request.GET.get("past_review") == "1"
    page = Paginator(selectors.records_for(request.user, q=q, past_review=past), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "persons/record_list.html", {"page": page, "q": q, "past": past})


@person_user_required
@require_http_methods(["GET", "POST"])
def record_new(request: AuthedRequest) -> HttpResponse:
    form = PersonRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.person_record_create(actor=request.user, data=form.to_data())
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Person record %(ref)s created.") % {"ref": record.reference})
            return redirect("persons:record", record_id=record.pk)
    return render(request, "persons/record_form.html", {"form": form, "record": None})


@person_user_required
@require_GET
def record_detail(request: AuthedRequest, record_id: int) -> HttpResponse:
    record = access_person_record(request.user, record_id)
    return render(
        request,
        "persons/record_detail.html",
        {
            "record": record,
            "h1_notice": H1_NOTICE,
            "hits": record.hits.select_related("searcher", "searcher__agency")[:20],
        },
    )


@person_user_required
@require_http_methods(["GET", "POST"])
def record_edit(request: AuthedRequest, record_id: int) -> HttpResponse:
    record = access_person_record(request.user, record_id, need=Need.CHANGE)
    form = PersonRecordForm(request.POST or None, initial=PersonRecordForm.initial_for(record))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_record_update(actor=request.user, record=record, data=form.to_data())
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Person record updated."))
            return redirect("persons:record", record_id=record.pk)
    return render(request, "persons/record_form.html", {"form": form, "record": record})


@person_user_required
@require_http_methods(["GET", "POST"])
def record_review(request: AuthedRequest, record_id: int) -> HttpResponse:
    record = access_person_record(request.user, record_id, need=Need.CHANGE)
    form = ReviewForm(request.POST or None, initial={"legal_basis": record.legal_basis})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_record_review(
                actor=request.user,
                record=record,
                legal_basis=form.cleaned_data["legal_basis"],
                review_date=form.cleaned_data.get("review_date"),
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(
                request,
                _("Record reviewed; next review on %(date)s.")
                % {"date": record.review_date.isoformat()},
            )
            return redirect("persons:record", record_id=record.pk)
    return render(request, "persons/record_review.html", {"form": form, "record": record})


@person_user_required
@require_http_methods(["GET", "POST"])
def record_delete(request: AuthedRequest, record_id: int) -> HttpResponse:
    record = access_person_record(request.user, record_id, need=Need.CHANGE)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_record_delete(
                actor=request.user, record=record, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Person record deleted."))
            return redirect("persons:records")
    return render(request, "persons/record_delete.html", {"form": form, "record": record})


@person_user_required
@require_http_methods(["GET", "POST"])
def search(request: AuthedRequest) -> HttpResponse:
    """GET shows the form; POST searches (it records the search and its hits)."""
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        if not ratelimit.search_allowed(request.user):
            return rate_limited(request)
        try:
            found = services.person_search(actor=request.user, query=form.to_query())
        except ServiceError as error:
            _form_error(form, error)
        else:
            results = [
                {
                    "answer": disclose_scored(request.user, r.record, r.scored),
                    "hit": r.hit,
                    "own": r.record.country == str(request.user.country),
                }
                for r in found
            ]
    return render(
        request,
        "persons/search.html",
        {"form": form, "results": results, "categories": Category.choices},
    )


@person_user_required
@require_GET
def hit_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "persons/hits.html",
        {
            "to_decide": selectors.hits_to_decide(request.user)[:100],
            "my_hits": selectors.my_hits(request.user)[:100],
        },
    )


@person_user_required
@require_GET
def hit_detail(request: AuthedRequest, hit_id: int) -> HttpResponse:
    hit = access_hit(request.user, hit_id)
    may_decide = hit.record.country == str(request.user.country) and "focal_point" in (
        request.user.role_set
    )
    return render(
        request,
        "persons/hit_detail.html",
        {
            "hit": hit,
            "answer": selectors.hit_answer(request.user, hit),
            "own": hit.record.country == str(request.user.country),
            "may_decide": may_decide and hit.status == "possible",
            "may_request": _may_request_from(request.user, hit),
            "form": HitDecisionForm(),
            "categories": Category.choices,
        },
    )


def _may_request_from(user: Any, hit: Any) -> bool:
    from tawasul.cooperation.models import may_work_on_requests

    return (
        hit.status == "confirmed"
        and hit.searcher_country == str(user.country)
        and may_work_on_requests(user)
    )


@person_user_required
@require_POST
def hit_request(request: AuthedRequest, hit_id: int) -> HttpResponse:
    """One click from a confirmed hit to a prefilled draft request to the record's country."""
    from tawasul.cooperation.services import request_create_from_hit

    hit = access_hit(request.user, hit_id)
    request_type = request.POST.get("request_type", "police_information")
    try:
        draft = request_create_from_hit(actor=request.user, hit=hit, request_type=request_type)
    except ServiceError as error:
        flash.error(request, error.message)
        return redirect("persons:hit", hit_id=hit.pk)
    flash.success(
        request,
        _("Draft request %(reference)s created from the hit.") % {"reference": draft.reference},
    )
    return redirect("cooperation:step", request_id=draft.pk, step="basis")


@person_user_required
@require_POST
def hit_decide(request: AuthedRequest, hit_id: int) -> HttpResponse:
    hit = access_hit(request.user, hit_id, need=Need.CHANGE)
    form = HitDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.hit_decide(
                actor=request.user,
                hit=hit,
                confirm=form.cleaned_data["decision"] == "confirm",
                reason=form.cleaned_data.get("reason", ""),
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Decision recorded."))
            return redirect("persons:hit", hit_id=hit.pk)
    return render(
        request,
        "persons/hit_detail.html",
        {
            "hit": hit,
            "answer": selectors.hit_answer(request.user, hit),
            "own": True,
            "may_decide": True,
            "form": form,
            "categories": Category.choices,
        },
        status=400,
    )


# --- Screening ---------------------------------------------------------------------------


@person_user_required
@require_http_methods(["GET", "POST"])
def screening_list(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = screening.parse_upload(
                upload,
                upload.size or 0,
                filename=upload.name or "",
                sheet=form.cleaned_data.get("sheet", ""),
            )
            job = services.screening_job_create(
                actor=request.user,
                filename=upload.name or "list.csv",
                header=parsed.header,
                text=parsed.text,
                delimiter=parsed.delimiter,
                rows=parsed.rows,
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            return redirect("persons:screening_map", job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "persons/screening_list.html",
        {"form": form, "jobs": selectors.jobs_for(request.user)[:50]},
        status=status,
    )


@person_user_required
@require_http_methods(["GET", "POST"])
def screening_map(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = access_screening_job(request.user, job_id, need=Need.CHANGE)
    if job.status != JobStatus.MAPPING:
        return redirect("persons:screening_job", job_id=job.pk)
    form = MappingForm(request.POST or None, header=job.header)
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_job_queue(actor=request.user, job=job, mapping=form.mapping())
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("The list is queued for screening."))
            return redirect("persons:screening_job", job_id=job.pk)
    return render(request, "persons/screening_map.html", {"form": form, "job": job})


def _job_context(request: AuthedRequest, job: Any) -> dict[str, Any]:
    hits = list(selectors.job_hits(job)) if job.status == JobStatus.DONE else []
    return {
        "job": job,
        "rows": [{"hit": h, "answer": selectors.hit_answer(request.user, h)} for h in hits[:500]],
        "more": max(0, len(hits) - 500),
        "categories": Category.choices,
    }


@person_user_required
@require_GET
def screening_job(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = access_screening_job(request.user, job_id)
    return render(request, "persons/screening_job.html", _job_context(request, job))


@person_user_required
@require_GET
def screening_progress(request: AuthedRequest, job_id: int) -> HttpResponse:
    """The progress fragment htmx polls; once the job ends, the page reloads to results."""
    job = access_screening_job(request.user, job_id)
    response = render(request, "persons/_progress.html", {"job": job})
    if not job.is_active and request.headers.get("HX-Request") == "true":
        response["HX-Refresh"] = "true"
    return response


@person_user_required
@require_GET
def screening_export(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = access_screening_job(request.user, job_id)
    if job.status != JobStatus.DONE:
        raise Http404
    rows: list[list[object]] = [
        [
            _("Row"),
            _("Name searched"),
            _("Country"),
            _("Reference"),
            _("Category"),
            _("Score"),
            _("Status"),
            _("Focal point to contact"),
        ]
    ]
    for hit in selectors.job_hits(job):
        answer = selectors.hit_answer(request.user, hit)
        rows.append(
            [
                hit.row_number,
                hit.query.get("name", ""),
                answer["country"],
                answer["reference"],
                hit.record.get_category_display(),
                f"{answer['score']:.2f}",
                hit.get_status_display(),
                f"{answer['contact']['name']} <{answer['contact']['email']}>",
            ]
        )
    services.screening_export_record(actor=request.user, job=job)
    response = HttpResponse(
        "\ufeff" + screening.export_rows(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        content_disposition_header(
            True, f"screening-{job.pk}-{timezone.localdate().isoformat()}.csv"
        )
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Victims -----------------------------------------------------------------------------


@victim_user_required
@require_GET
def victim_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.victims_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "persons/victim_list.html", {"page": page})


@victim_user_required
@require_http_methods(["GET", "POST"])
def victim_new(request: AuthedRequest) -> HttpResponse:
    form = VictimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            victim = services.victim_create(actor=request.user, data=form.to_data())
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Victim record %(ref)s created.") % {"ref": victim.reference})
            return redirect("persons:victim", victim_id=victim.pk)
    return render(request, "persons/victim_form.html", {"form": form})


@victim_user_required
@require_GET
def victim_detail(request: AuthedRequest, victim_id: int) -> HttpResponse:
    victim = access_victim(request.user, victim_id)
    identity = services.victim_read(actor=request.user, victim=victim)
    return render(request, "persons/victim_detail.html", {"victim": victim, "identity": identity})


@victim_user_required
@require_http_methods(["GET", "POST"])
def victim_identify(request: AuthedRequest) -> HttpResponse:
    form = IdentifyForm(request.POST or None)
    leads = None
    if request.method == "POST" and form.is_valid():
        if not ratelimit.search_allowed(request.user):
            return rate_limited(request)
        try:
            leads = services.victim_identify(actor=request.user, name=form.cleaned_data["name"])
        except ServiceError as error:
            _form_error(form, error)
    return render(request, "persons/victim_identify.html", {"form": form, "leads": leads})


@victim_user_required
@require_http_methods(["GET", "POST"])
def referral_new(request: AuthedRequest, victim_id: int) -> HttpResponse:
    victim = access_victim(request.user, victim_id, need=Need.CHANGE)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(
                actor=request.user,
                victim=victim,
                to_country=form.cleaned_data["to_country"],
                to_role=form.cleaned_data["to_role"],
                message=form.cleaned_data["message"],
                consent_confirmed=bool(form.cleaned_data["consent"]),
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Referral %(ref)s sent.") % {"ref": referral.reference})
            return redirect("persons:referral", referral_id=referral.pk)
    return render(request, "persons/referral_form.html", {"form": form, "victim": victim})


@victim_user_required
@require_GET
def referral_list(request: AuthedRequest) -> HttpResponse:
    country = str(request.user.country)
    referrals = list(selectors.referrals_for(request.user)[:200])
    return render(
        request,
        "persons/referral_list.html",
        {
            "incoming": [r for r in referrals if r.to_country == country],
            "outgoing": [r for r in referrals if r.from_country == country],
        },
    )


def _status_form(referral: Any, data: Any = None) -> ReferralStatusForm:
    labels = dict(ReferralStatus.choices)
    return ReferralStatusForm(data, statuses=[(s, str(labels[s])) for s in referral.next_statuses])


def _referral_page(
    request: AuthedRequest, referral: Any, form: Any, status: int = 200
) -> HttpResponse:
    message = services.referral_read(actor=request.user, referral=referral)
    receiving = referral.to_country == str(request.user.country)
    return render(
        request,
        "persons/referral_detail.html",
        {
            "referral": referral,
            "message": message,
            "form": form if receiving and referral.next_statuses else None,
        },
        status=status,
    )


@victim_user_required
@require_GET
def referral_detail(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = access_referral(request.user, referral_id)
    return _referral_page(request, referral, _status_form(referral))


@victim_user_required
@require_POST
def referral_status(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = access_referral(request.user, referral_id, need=Need.CHANGE)
    form = _status_form(referral, request.POST)
    if form.is_valid():
        try:
            services.referral_set_status(
                actor=request.user,
                referral=referral,
                status=form.cleaned_data["status"],
                note=form.cleaned_data.get("note", ""),
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Referral status updated."))
            return redirect("persons:referral", referral_id=referral.pk)
    return _referral_page(request, referral, form, status=400)


@person_user_required
@require_GET
def records_export(request: AuthedRequest) -> HttpResponse:
    """The country's records as FollowTheMoney JSON lines (``?format=ftm``) or CSV."""
    fmt = "csv" if request.GET.get("format") == "csv" else "ftm"
    records = list(selectors.records_for(request.user).prefetch_related("documents").order_by("pk"))
    services.person_records_export_record(actor=request.user, count=len(records), fmt=fmt)
    if fmt == "csv":
        body, content_type, ext = (
            "\ufeff" + interop.export_csv(records),
            "text/csv; charset=utf-8",
            "csv",
        )
    else:
        body, content_type, ext = interop.export_ftm(records), "application/x-ndjson", "ftm.json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(
            True, f"persons-{request.user.country}-{timezone.localdate().isoformat()}.{ext}"
        )
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@person_user_required
@require_http_methods(["GET", "POST"])
def records_import(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read(interop.MAX_IMPORT_BYTES + 1)
            fmt = interop.import_format(data, upload.name or "")
            parse = interop.parse_records_csv if fmt == "csv" else interop.parse_ftm
            people = parse(data)
            created = services.person_records_import(
                actor=request.user,
                people=people,
                category=form.cleaned_data["category"],
                legal_basis=form.cleaned_data["legal_basis"],
                source=upload.name or "",
                fmt=fmt,
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(
                request,
                ngettext(
                    "%(count)s person record imported.",
                    "%(count)s person records imported.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("persons:records")
    status = 400 if request.method == "POST" else 200
    return render(request, "persons/records_import.html", {"form": form}, status=status)
