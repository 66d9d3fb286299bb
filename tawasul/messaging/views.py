"""Pages of secure messaging. Thin: gateway → form → service → response."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.audit.services import audit_access_denied
from tawasul.core.access import Need, can_read_case_content
from tawasul.core.errors import ServiceError
from tawasul.core.handling import H1_NOTICE
from tawasul.core.http import AuthedRequest
from tawasul.messaging import references, selectors, services
from tawasul.messaging.access import (
    access_attachment,
    access_forward_permission,
    access_message,
    access_thread,
)
from tawasul.messaging.forms import (
    ForwardForm,
    MessageForm,
    ParticipantForm,
    PermissionRequestForm,
    PreferenceForm,
    SearchForm,
    ThreadForm,
)
from tawasul.messaging.models import Message, Participant, Thread

View = Callable[..., HttpResponse]


def case_user_required(view: View) -> View:
    """Messaging is case content: a signed-in user who may not read it (coordinator,
    national administrator, oversight) gets the same audited 404 as a missing page."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_read_case_content(request.user):
            audit_access_denied(
                actor=request.user,
                object_type="page",
                object_id=request.path[:64],
                need="case_content",
            )
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _form_error(form: Any, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _message_rows(
    thread: Thread, participants: list[Participant], msgs: list[Message], user: Any
) -> list[dict[str, Any]]:
    """Each message with its delivery and read counts among the other participants."""
    rows = []
    for message in msgs:
        others = [p for p in participants if p.user_id != message.sender_id]
        rows.append(
            {
                "message": message,
                "mine": message.sender_id == user.pk,
                "recipients": len(others),
                "delivered": sum(
                    1
                    for p in others
                    if max(p.last_delivered_message_id, p.last_read_message_id) >= message.pk
                ),
                "read": sum(1 for p in others if p.last_read_message_id >= message.pk),
            }
        )
    return rows


@case_user_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    threads = selectors.threads_for(request.user, archived=archived)
    page = Paginator(threads, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/inbox.html",
        {
            "page": page,
            "rows": selectors.with_countries(page.object_list),
            "archived": archived,
            "to_decide": selectors.permissions_to_decide(request.user),
            "my_requests": selectors.permissions_requested_by(request.user),
            "search_form": SearchForm(),
        },
    )


@case_user_required
@require_http_methods(["GET", "POST"])
def thread_new(request: AuthedRequest) -> HttpResponse:
    eligible = selectors.eligible_users(request.user)
    meetings = references.meeting_choices(request.user)
    initial = {
        "meeting": request.GET.get("meeting", ""),
        "cooperation_request": request.GET.get("request", ""),
    }
    form = ThreadForm(
        request.POST or None,
        request.FILES or None,
        eligible=eligible,
        meetings=meetings,
        requests=references.request_choices(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                actor=request.user,
                subject=form.cleaned_data["subject"],
                participants=list(form.cleaned_data["participants"]),
                **form.message_fields(),
                **form.reference(),
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Thread opened; your counterparts have been notified."))
            return redirect("messaging:thread", thread_id=thread.pk)
    return render(request, "messaging/thread_new.html", {"form": form})


def _thread_context(
    request: AuthedRequest, thread: Thread, reply_form: MessageForm
) -> dict[str, Any]:
    participants = list(selectors.participants_of(thread))
    msgs = list(selectors.messages_of(thread))
    mine = next((p for p in participants if p.user_id == request.user.pk), None)
    last_id = msgs[-1].pk if msgs else 0
    return {
        "thread": thread,
        "participants": participants,
        "rows": _message_rows(thread, participants, msgs, request.user),
        "last_id": last_id,
        "unread": bool(mine and mine.last_read_message_id < last_id),
        "form": reply_form,
        "restrictions": selectors.restrictions_of(thread),
        "has_h1": any(m.is_h1 for m in msgs),
        "h1_notice": H1_NOTICE,
        "about": selectors.reference_of(thread, request.user),
    }


@case_user_required
@require_GET
def thread_detail(request: AuthedRequest, thread_id: int) -> HttpResponse:
    thread = access_thread(request.user, thread_id)
    context = _thread_context(request, thread, MessageForm())
    return render(request, "messaging/thread.html", context)


@case_user_required
@require_POST
def thread_reply(request: AuthedRequest, thread_id: int) -> HttpResponse:
    thread = access_thread(request.user, thread_id, need=Need.CHANGE)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_post(actor=request.user, thread=thread, **form.message_fields())
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Message sent."))
            return redirect(reverse("messaging:thread", args=[thread.pk]) + "#latest")
    context = _thread_context(request, thread, form)
    return render(request, "messaging/thread.html", context, status=400)


@case_user_required
@require_GET
def thread_poll(request: AuthedRequest, thread_id: int) -> HttpResponse:
    """The messages newer than ``after``, for the live thread (htmx every 10 s). Nothing new:
    204 and an empty body, so a poor connection carries almost nothing."""
    thread = access_thread(request.user, thread_id)
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    msgs = list(selectors.messages_of(thread, after=after))
    if not msgs:
        return HttpResponse(status=204)
    participants = list(selectors.participants_of(thread))
    return render(
        request,
        "messaging/_poll.html",
        {
            "thread": thread,
            "rows": _message_rows(thread, participants, msgs, request.user),
            "last_id": msgs[-1].pk,
            "h1_notice": H1_NOTICE,
        },
    )


@case_user_required
@require_POST
def thread_read(request: AuthedRequest, thread_id: int) -> HttpResponse:
    thread = access_thread(request.user, thread_id)
    try:
        up_to = int(request.POST.get("up_to", "0"))
    except ValueError:
        up_to = 0
    try:
        services.thread_mark_read(actor=request.user, thread=thread, up_to=up_to)
    except ServiceError as error:
        flash.error(request, error.message)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(status=204)
    return redirect("messaging:thread", thread_id=thread.pk)


@case_user_required
@require_http_methods(["GET", "POST"])
def participant_add(request: AuthedRequest, thread_id: int) -> HttpResponse:
    thread = access_thread(request.user, thread_id, need=Need.CHANGE)
    eligible = selectors.eligible_users(request.user, exclude_thread=thread)
    form = ParticipantForm(request.POST or None, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_add(
                actor=request.user, thread=thread, user=form.cleaned_data["user"]
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Participant added."))
            return redirect("messaging:thread", thread_id=thread.pk)
    return render(request, "messaging/participant_add.html", {"form": form, "thread": thread})


@case_user_required
@require_http_methods(["GET", "POST"])
def message_forward(request: AuthedRequest, message_id: int) -> HttpResponse:
    message = access_message(request.user, message_id)
    form = ForwardForm(
        request.POST or None, targets=selectors.forward_targets(request.user, message)
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.message_forward(
                actor=request.user, message=message, target=form.cleaned_data["target"]
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Message forwarded with its codes and attachments."))
            return redirect("messaging:thread", thread_id=copy.thread_id)
    return render(
        request,
        "messaging/forward.html",
        {"form": form, "message": message, "h1_notice": H1_NOTICE},
    )


@case_user_required
@require_http_methods(["GET", "POST"])
def permission_request(request: AuthedRequest, message_id: int) -> HttpResponse:
    message = access_message(request.user, message_id)
    form = PermissionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.forward_permission_request(
                actor=request.user,
                message=message,
                country=form.cleaned_data["country"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Your request has been sent to the originator."))
            return redirect("messaging:thread", thread_id=message.thread_id)
    return render(
        request,
        "messaging/permission_request.html",
        {"form": form, "message": message, "h1_notice": H1_NOTICE},
    )


@case_user_required
@require_POST
def permission_decide(request: AuthedRequest, permission_id: int) -> HttpResponse:
    permission = access_forward_permission(request.user, permission_id, need=Need.CHANGE)
    grant = request.POST.get("decision") == "grant"
    try:
        services.forward_permission_decide(actor=request.user, permission=permission, grant=grant)
    except ServiceError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("Permission granted.") if grant else _("Permission refused."))
    return redirect("messaging:inbox")


@case_user_required
@require_GET
def attachment_download(request: AuthedRequest, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(request.user, attachment_id)
    try:
        data = services.attachment_open(actor=request.user, attachment=attachment)
    except ServiceError as error:
        flash.error(request, error.message)
        return redirect("messaging:thread", thread_id=attachment.message.thread_id)
    return file_response(data, attachment.content_type, attachment.filename)


def file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@case_user_required
@require_GET
def thread_export(request: AuthedRequest, thread_id: int) -> HttpResponse:
    thread = access_thread(request.user, thread_id)
    services.thread_export_record(actor=request.user, thread=thread)
    text = selectors.thread_export_text(thread)
    return file_response(
        text.encode("utf-8"), "text/plain; charset=utf-8", f"tawasul-thread-{thread.pk}.txt"
    )


@case_user_required
@require_GET
def search(request: AuthedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.search_messages(request.user, query)
    page = Paginator(results, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/search.html",
        {"form": form, "page": page, "q": query, "h1_notice": H1_NOTICE},
    )


@case_user_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    initial = {"email_mode": services.email_mode_of(request.user)}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(actor=request.user, email_mode=form.cleaned_data["email_mode"])
        except ServiceError as error:
            _form_error(form, error)
        else:
            flash.success(request, _("Notification settings saved."))
            return redirect("messaging:inbox")
    return render(request, "messaging/preferences.html", {"form": form})
