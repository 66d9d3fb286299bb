"""Action-plan pages. Thin: gateway → form → service → response; no GET changes data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.actionplans import charts, reports, selectors, services
from tawasul.actionplans import evidence as evidence_files
from tawasul.actionplans.access import (
    access_action,
    access_meeting,
    access_meeting_document,
    access_programme,
    access_progress_update,
    access_recommendation,
)
from tawasul.actionplans.forms import (
    LANGUAGE_CHOICES,
    ActionForm,
    MeetingDocumentForm,
    MeetingForm,
    ParticipationForm,
    ProgrammeForm,
    ProgressForm,
    RecommendationForm,
    ReportForm,
)
from tawasul.actionplans.models import ActionStatus, FollowUpAction
from tawasul.core.access import Need, has_role
from tawasul.core.decorators import role_required
from tawasul.core.errors import ServiceError
from tawasul.core.http import AuthedRequest
from tawasul.core.roles import Role
from tawasul.directory.models import Agency

CHARTS = ("status", "timeline", "participation")


def _form_error(form: Any, error: ServiceError) -> None:
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)


def _inline(chart: charts.Chart) -> dict[str, Any]:
    # render_svg escapes every text and attribute it writes; nothing user-typed passes raw.
    return {"chart": chart, "svg": mark_safe(chart.svg())}  # noqa: S308


def _status_summary(actions: list[FollowUpAction]) -> list[dict[str, Any]]:
    return [
        {"status": s, "label": s.label, "count": sum(1 for a in actions if a.status == s)}
        for s in charts.STATUS_ORDER
    ]


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    owed = list(selectors.actions_owed_by(user))
    today = timezone.localdate()
    return render(
        request,
        "actionplans/index.html",
        {
            "programmes": selectors.programmes_visible_to(user),
            "meetings": selectors.meetings_visible_to(user)[:10],
            "owed_open": sum(1 for a in owed if a.is_open),
            "owed_overdue": sum(1 for a in owed if a.is_overdue(today)),
            "is_coordinator": has_role(user, Role.COORDINATOR),
        },
    )


@login_required
@require_GET
def my_actions(request: AuthedRequest) -> HttpResponse:
    """What our side owes: our country's actions (or, for an organisation, the network's)."""
    user = request.user
    today = timezone.localdate()
    owed = list(selectors.by_priority(selectors.actions_owed_by(user)))
    language = get_language() or "en"
    return render(
        request,
        "actionplans/my_actions.html",
        {
            "overdue": [a for a in owed if a.is_overdue(today)],
            "open": [a for a in owed if a.is_open and not a.is_overdue(today)],
            "closed": [a for a in owed if not a.is_open],
            "summary": _status_summary(owed),
            "timeline": _inline(charts.timeline(owed, language)),
            "today": today,
        },
    )


@login_required
@require_GET
def programme_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = access_programme(request.user, pk)
    language = get_language() or "en"
    actions = list(selectors.actions_visible_to(request.user, programme=programme))
    participations = list(selectors.participation_of(request.user, programme=programme))
    meetings = list(selectors.meetings_visible_to(request.user, programme=programme))
    today = timezone.localdate()
    years = sorted(
        {m.start_date.year for m in meetings} | {a.due_date.year for a in actions} | {today.year},
        reverse=True,
    )
    overdue = [a for a in actions if a.is_overdue(today)]
    return render(
        request,
        "actionplans/programme_detail.html",
        {
            "programme": programme,
            "meetings": meetings,
            "status_chart": _inline(charts.status_by_country(actions, language)),
            "timeline": _inline(charts.timeline(actions, language)),
            "participation": _inline(charts.participation(participations, language)),
            "overdue": overdue,
            "years": years,
            "languages": LANGUAGE_CHOICES,
        },
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def programme_create(request: AuthedRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Programme created."))
            return redirect("actionplans:programme_detail", pk=programme.pk)
    return render(
        request,
        "actionplans/form_page.html",
        {"form": form, "title": _("New programme"), "back": "actionplans:index"},
    )


@login_required
@require_GET
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    language = get_language() or "en"
    recommendations = list(selectors.recommendations_visible_to(request.user, meeting=meeting))
    actions = list(selectors.actions_visible_to(request.user, meeting=meeting))
    by_recommendation: dict[int, list[FollowUpAction]] = {}
    for action in actions:
        by_recommendation.setdefault(action.recommendation_id, []).append(action)
    participations = list(selectors.participation_of(request.user, meeting=meeting))
    return render(
        request,
        "actionplans/meeting_detail.html",
        {
            "meeting": meeting,
            "recommendations": [
                {
                    "rec": r,
                    "text": r.localized_text(language),
                    "actions": by_recommendation.get(r.pk, []),
                }
                for r in recommendations
            ],
            "participations": participations,
            "documents": meeting.documents.all(),
            "women": sum(p.women for p in participations),
            "total": sum(p.total for p in participations),
            "participation": _inline(charts.participation(participations, language)),
            "status_chart": _inline(charts.status_by_country(actions, language)),
            "is_coordinator": has_role(request.user, Role.COORDINATOR),
            "languages": LANGUAGE_CHOICES,
            "today": timezone.localdate(),
        },
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthedRequest) -> HttpResponse:
    programmes = selectors.programmes_visible_to(request.user)
    initial = {}
    if request.GET.get("programme", "").isdigit():
        initial["programme"] = request.GET["programme"]
    form = MeetingForm(request.POST or None, programmes=programmes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Meeting created."))
            return redirect("actionplans:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "actionplans/form_page.html",
        {"form": form, "title": _("New meeting"), "back": "actionplans:index"},
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def participation_record(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, need=Need.CHANGE)
    form = ParticipationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Participation recorded."))
            return redirect("actionplans:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "actionplans/form_page.html",
        {
            "form": form,
            "title": _("Record participation"),
            "subject": meeting,
            "back_pk": meeting.pk,
            "back": "actionplans:meeting_detail",
        },
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def meeting_document_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, need=Need.CHANGE)
    form = MeetingDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_document_add(
                actor=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Document added."))
            return redirect("actionplans:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "actionplans/form_page.html",
        {
            "form": form,
            "title": _("Add a document"),
            "subject": meeting,
            "back_pk": meeting.pk,
            "back": "actionplans:meeting_detail",
        },
    )


@login_required
@require_GET
def meeting_document_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    document = access_meeting_document(request.user, pk)
    return _stored_file(document.file_path, document.file_name, document.file_type)


def _stored_file(path: str, name: str, content_type: str) -> HttpResponseBase:
    try:
        handle = evidence_files.open_stored(path)
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def recommendation_create(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, need=Need.CHANGE)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_create(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Recommendation added."))
            return redirect("actionplans:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "actionplans/form_page.html",
        {
            "form": form,
            "title": _("New recommendation"),
            "subject": meeting,
            "back_pk": meeting.pk,
            "back": "actionplans:meeting_detail",
        },
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def action_create(request: AuthedRequest, pk: int) -> HttpResponse:
    recommendation = access_recommendation(request.user, pk, need=Need.CHANGE)
    agencies = Agency.objects.visible_to(request.user).exclude(country="")
    form = ActionForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                actor=request.user, recommendation=recommendation, **form.cleaned_data
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Follow-up action created."))
            return redirect("actionplans:action_detail", pk=action.pk)
    return render(
        request,
        "actionplans/form_page.html",
        {
            "form": form,
            "title": _("New follow-up action"),
            "subject": recommendation,
            "back_pk": recommendation.meeting_id,
            "back": "actionplans:meeting_detail",
        },
    )


def _action_page(
    request: AuthedRequest, action: FollowUpAction, form: ProgressForm | None
) -> HttpResponse:
    may_update = services.may_update_action(request.user, action)
    if may_update and form is None:
        form = ProgressForm(initial={"status": action.status})
    return render(
        request,
        "actionplans/action_detail.html",
        {
            "action": action,
            "recommendation_text": action.recommendation.localized_text(get_language()),
            "updates": action.updates.select_related("author"),
            "form": form if may_update else None,
            "overdue": action.is_overdue(),
            "statuses": ActionStatus,
        },
    )


@login_required
@require_GET
def action_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action_page(request, access_action(request.user, pk), None)


@login_required
@require_POST
def action_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    action = access_action(request.user, pk, need=Need.CHANGE)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.action_report_progress(actor=request.user, action=action, **form.cleaned_data)
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("actionplans:action_detail", pk=action.pk)
    return _action_page(request, action, form)


def _chart_for(request: AuthedRequest, chart: str, **scope: Any) -> charts.Chart:
    language = get_language() or "en"
    if chart == "status":
        return charts.status_by_country(
            selectors.actions_visible_to(request.user, **scope), language
        )
    if chart == "timeline":
        return charts.timeline(selectors.actions_visible_to(request.user, **scope), language)
    if chart == "participation":
        return charts.participation(selectors.participation_of(request.user, **scope), language)
    raise Http404


def _svg_file(chart: charts.Chart, filename: str) -> HttpResponse:
    response = HttpResponse(chart.svg(), content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.svg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def programme_chart(request: AuthedRequest, pk: int, chart: str) -> HttpResponse:
    programme = access_programme(request.user, pk)
    return _svg_file(_chart_for(request, chart, programme=programme), f"{programme.code}-{chart}")


@login_required
@require_GET
def meeting_chart(request: AuthedRequest, pk: int, chart: str) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    return _svg_file(_chart_for(request, chart, meeting=meeting), f"meeting-{meeting.pk}-{chart}")


def _language(request: AuthedRequest) -> str:
    form = ReportForm(request.GET)
    if form.is_valid() and form.cleaned_data["lang"]:
        return str(form.cleaned_data["lang"])
    return (get_language() or "en")[:2]


def _document(report: reports.Report, fmt: str) -> HttpResponse:
    if fmt not in reports.FORMATS:
        raise Http404
    response = HttpResponse(reports.render(report, fmt), content_type=reports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def meeting_report(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    if fmt not in reports.FORMATS:
        raise Http404
    return _document(reports.meeting_report(request.user, meeting, _language(request)), fmt)


@login_required
@require_GET
def programme_report(request: AuthedRequest, pk: int, year: int, fmt: str) -> HttpResponse:
    programme = access_programme(request.user, pk)
    if fmt not in reports.FORMATS or not 2000 <= year <= 2100:
        raise Http404
    return _document(
        reports.programme_report(request.user, programme, year, _language(request)), fmt
    )


@login_required
@require_GET
def evidence_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """An evidence file, after the gateway, as an attachment that the browser will not sniff."""
    update = access_progress_update(request.user, pk)
    if not update.evidence_file_path:
        raise Http404
    return _stored_file(
        update.evidence_file_path, update.evidence_file_name, update.evidence_file_type
    )
