"""Directory pages. Thin: gateway → form → service → response."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.audit.services import audit_access_denied
from tawasul.core.access import Need, has_role
from tawasul.core.decorators import role_required
from tawasul.core.errors import ServiceError
from tawasul.core.http import AuthedRequest
from tawasul.core.roles import CASE_ROLES, Role
from tawasul.directory import finder, selectors, services
from tawasul.directory.access import (
    access_agency,
    access_agency_channel,
    access_country_profile,
    access_focal_point,
    access_membership,
    access_network,
)
from tawasul.directory.exports import entries_csv, entries_vcard, entry_vcard
from tawasul.directory.forms import (
    AgencyChannelForm,
    AgencyCreateForm,
    AgencyForm,
    CompareForm,
    DirectorySearchForm,
    FinderForm,
    FocalPointCreateForm,
    FocalPointForm,
    HandoverForm,
    NetworkForm,
    NetworkMemberForm,
)
from tawasul.directory.models import Agency, FocalPoint
from tawasul.directory.presentation import profile_sections

View = Callable[..., HttpResponse]


def admin_or_coordinator(view: View) -> View:
    """A page for national admins and coordinators; anybody else gets the audited 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (
            has_role(request.user, Role.COORDINATOR) or has_role(request.user, Role.NATIONAL_ADMIN)
        ):
            audit_access_denied(
                actor=request.user,
                object_type="page",
                object_id=request.path[:64],
                need="role:national_admin|coordinator",
            )
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request: AuthedRequest) -> tuple[DirectorySearchForm, selectors.DirectoryFilters]:
    form = DirectorySearchForm(request.GET or None, networks=selectors.networks_for(request.user))
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.DirectoryFilters(
            q=data["q"].strip(),
            country=data["country"],
            competence=data["competence"],
            language=data["language"],
            network=data["network"].pk if data["network"] else None,
            kind=data["kind"],
            stale=bool(data["stale"]),
        )
    else:
        filters = selectors.DirectoryFilters()
    return form, filters


def _can_change(user: Any, entry: FocalPoint) -> bool:
    return FocalPoint.objects.visible_to(user, Need.CHANGE).filter(pk=entry.pk).exists()


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    entries = selectors.focal_points_for(request.user, filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "may_create": has_role(request.user, Role.NATIONAL_ADMIN),
            "may_hand_over": has_role(request.user, Role.COORDINATOR)
            or has_role(request.user, Role.NATIONAL_ADMIN),
            "my_entries": FocalPoint.objects.filter(user=request.user),
            "received_handovers": selectors.handovers_received(request.user)[:5],
        },
    )


@login_required
@require_GET
def export_csv(request: AuthedRequest) -> HttpResponse:
    _form, filters = _filters(request)
    body = entries_csv(selectors.focal_points_for(request.user, filters))
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tawasul-directory.csv"'
    return response


@login_required
@require_GET
def export_vcard(request: AuthedRequest) -> HttpResponse:
    _form, filters = _filters(request)
    body = entries_vcard(selectors.focal_points_for(request.user, filters))
    response = HttpResponse(body, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tawasul-directory.vcf"'
    return response


@login_required
@require_GET
def focal_point_detail(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = access_focal_point(request.user, entry_id)
    return render(
        request,
        "directory/focal_point_detail.html",
        {
            "entry": entry,
            "can_change": _can_change(request.user, entry),
            "networks": [m.network for m in entry.memberships.select_related("network")],
            "substitute_for": entry.substitute_for.select_related("user", "agency"),
            "channels": entry.agency.channels.all(),
        },
    )


@login_required
@require_GET
def focal_point_vcard(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = access_focal_point(request.user, entry_id)
    response = HttpResponse(entry_vcard(entry), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="focal-point-{entry.pk}.vcf"'
    return response


def _entry_form_kwargs(country: str, entry: FocalPoint | None = None) -> dict[str, Any]:
    substitutes = FocalPoint.objects.filter(agency__country=country).select_related(
        "user", "agency"
    )
    if entry is not None:
        substitutes = substitutes.exclude(pk=entry.pk)
    return {"agencies": Agency.objects.filter(country=country), "substitutes": substitutes}


@login_required
@require_http_methods(["GET", "POST"])
def focal_point_edit(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = access_focal_point(request.user, entry_id, need=Need.CHANGE)
    initial = {
        "agency": entry.agency,
        "position": entry.position,
        "competences": entry.competence_list,
        "languages": entry.language_list,
        "phone": entry.phone,
        "mobile": entry.mobile,
        "email": entry.email,
        "reachable_24_7": entry.reachable_24_7,
        "substitute": entry.substitute,
        "term_start": entry.term_start,
        "term_end": entry.term_end,
    }
    form = FocalPointForm(
        request.POST or None, initial=initial, **_entry_form_kwargs(entry.country, entry)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.focal_point_update(actor=request.user, entry=entry, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The entry has been saved and marked as verified today."))
            return redirect("directory:focal_point_detail", entry.pk)
    return render(request, "directory/focal_point_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def focal_point_verify(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = access_focal_point(request.user, entry_id, need=Need.CHANGE)
    try:
        services.focal_point_verify(actor=request.user, entry=entry)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: the entry is confirmed as accurate."))
    return redirect("directory:focal_point_detail", entry.pk)


@role_required(Role.NATIONAL_ADMIN)
@require_http_methods(["GET", "POST"])
def focal_point_create(request: AuthedRequest) -> HttpResponse:
    """A national admin adds an entry for one of their country's users. (Coordinators change
    any entry but see no user list — design.md — so they do not create entries here.)"""
    from tawasul.accounts.models import User

    actor = request.user
    users = (
        User.objects.filter(is_active=True, country=actor.country, roles__role__in=list(CASE_ROLES))
        .exclude(roles__role__in=[Role.COORDINATOR, Role.NATIONAL_ADMIN, Role.OVERSIGHT])
        .distinct()
        .order_by("username")
    )
    form = FocalPointCreateForm(
        request.POST or None,
        users=users,
        agencies=Agency.objects.filter(country=actor.country),
        substitutes=FocalPoint.objects.filter(agency__country=actor.country).select_related(
            "user", "agency"
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.focal_point_create(actor=actor, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The entry has been added to the directory."))
            return redirect("directory:focal_point_detail", entry.pk)
    return render(request, "directory/focal_point_form.html", {"form": form, "entry": None})


@login_required
@require_GET
def agency_detail(request: AuthedRequest, agency_id: int) -> HttpResponse:
    agency = access_agency(request.user, agency_id)
    return render(
        request,
        "directory/agency_detail.html",
        {
            "agency": agency,
            "channels": agency.channels.all(),
            "can_change": Agency.objects.visible_to(request.user, Need.CHANGE)
            .filter(pk=agency.pk)
            .exists(),
            "entries": selectors.focal_points_for(
                request.user, selectors.DirectoryFilters()
            ).filter(agency=agency),
        },
    )


@admin_or_coordinator
@require_http_methods(["GET", "POST"])
def agency_create(request: AuthedRequest) -> HttpResponse:
    """A national admin adds an agency of their country; a coordinator of any country."""
    actor = request.user
    own_country = "" if has_role(actor, Role.COORDINATOR) else str(actor.country or "")
    form = AgencyCreateForm(request.POST or None, country=own_country)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=actor, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The agency has been saved."))
            return redirect("directory:agency_detail", agency.pk)
    return render(request, "directory/agency_form.html", {"agency": None, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: AuthedRequest, agency_id: int) -> HttpResponse:
    agency = access_agency(request.user, agency_id, need=Need.CHANGE)
    form = AgencyForm(
        request.POST or None,
        initial={
            "name_en": agency.name_en,
            "name_fr": agency.name_fr,
            "name_ar": agency.name_ar,
            "address": agency.address,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The agency has been saved."))
            return redirect("directory:agency_detail", agency.pk)
    return render(
        request,
        "directory/agency_form.html",
        {
            "agency": agency,
            "form": form,
            "channel_form": AgencyChannelForm(),
            "channels": agency.channels.all(),
        },
    )


@login_required
@require_POST
def agency_channel_add(request: AuthedRequest, agency_id: int) -> HttpResponse:
    agency = access_agency(request.user, agency_id, need=Need.CHANGE)
    form = AgencyChannelForm(request.POST)
    if form.is_valid():
        try:
            services.agency_channel_add(actor=request.user, agency=agency, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The channel has been added."))
    else:
        messages.error(request, _("Choose a channel and give the address or number."))
    return redirect("directory:agency_edit", agency.pk)


@login_required
@require_POST
def agency_channel_remove(request: AuthedRequest, agency_id: int, channel_id: int) -> HttpResponse:
    agency = access_agency(request.user, agency_id, need=Need.CHANGE)
    channel = access_agency_channel(request.user, agency, channel_id)
    try:
        services.agency_channel_remove(actor=request.user, channel=channel)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The channel has been removed."))
    return redirect("directory:agency_edit", agency.pk)


@login_required
@require_GET
def network_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "directory/network_list.html",
        {
            "networks": selectors.networks_for(request.user),
            "may_create": has_role(request.user, Role.COORDINATOR),
        },
    )


@login_required
@require_GET
def network_detail(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = access_network(request.user, network_id)
    addable = selectors.entries_user_may_add_to_network(request.user, network)
    return render(
        request,
        "directory/network_detail.html",
        {
            "network": network,
            "members": selectors.members_of(request.user, network),
            "member_form": NetworkMemberForm(entries=addable) if addable.exists() else None,
            "may_manage": has_role(request.user, Role.COORDINATOR)
            or has_role(request.user, Role.NATIONAL_ADMIN),
            "user_country": str(request.user.country or ""),
            "is_coordinator": has_role(request.user, Role.COORDINATOR),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_create(request: AuthedRequest) -> HttpResponse:
    if not has_role(request.user, Role.COORDINATOR):
        audit_access_denied(
            actor=request.user,
            object_type="page",
            object_id=request.path[:64],
            need="role:coordinator",
        )
        raise Http404
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.network_create(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The network has been created."))
            return redirect("directory:network_detail", network.pk)
    return render(request, "directory/network_form.html", {"form": form})


@login_required
@require_POST
def network_member_add(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = access_network(request.user, network_id, need=Need.CHANGE)
    form = NetworkMemberForm(
        request.POST, entries=selectors.entries_user_may_add_to_network(request.user, network)
    )
    if form.is_valid():
        try:
            services.network_member_add(
                actor=request.user, network=network, entry=form.cleaned_data["focal_point"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The focal point has been added to the network."))
    else:
        messages.error(request, _("Choose a focal point you may add."))
    return redirect("directory:network_detail", network.pk)


@login_required
@require_POST
def network_member_remove(
    request: AuthedRequest, network_id: int, membership_id: int
) -> HttpResponse:
    network = access_network(request.user, network_id, need=Need.CHANGE)
    membership = access_membership(request.user, network, membership_id)
    try:
        services.network_member_remove(actor=request.user, membership=membership)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The focal point has been removed from the network."))
    return redirect("directory:network_detail", network.pk)


@admin_or_coordinator
@require_http_methods(["GET", "POST"])
def handover(request: AuthedRequest) -> HttpResponse:
    form = HandoverForm(request.POST or None, users=selectors.handover_candidates(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.focal_point_handover(
                actor=request.user,
                predecessor=data["predecessor"],
                successor=data["successor"],
                note=data["note"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            entries = int(record.counts.get("focal_point_entries", 0))
            messages.success(
                request,
                ngettext(
                    "Handover recorded: %(entries)d directory entry passed to the successor.",
                    "Handover recorded: %(entries)d directory entries passed to the successor.",
                    entries,
                )
                % {"entries": entries},
            )
            return redirect("directory:handover")
    return render(
        request,
        "directory/handover.html",
        {"form": form, "handovers": selectors.handovers_for(request.user)[:20]},
    )


@login_required
@require_GET
def profile_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "directory/profile_list.html",
        {"profiles": selectors.current_profiles(request.user)},
    )


@login_required
@require_GET
def profile_detail(request: AuthedRequest, country: str) -> HttpResponse:
    profile = access_country_profile(request.user, country)
    return render(
        request,
        "directory/profile_detail.html",
        {
            "profile": profile,
            "sections": profile_sections(profile.content),
            "versions": selectors.profile_versions(request.user, profile.country)[:10],
        },
    )


@login_required
@require_GET
def finder_view(request: AuthedRequest) -> HttpResponse:
    form = FinderForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        result = finder.find(
            requesting=data["requesting"],
            requested=data["requested"],
            request_type=data["request_type"],
            measure=data["measure"],
            offence=data["offence"],
            urgent=data["urgent"],
        )
    return render(
        request,
        "directory/finder.html",
        {
            "form": form,
            "result": result,
            "labels": _labels(),
        },
    )


@login_required
@require_GET
def compare_view(request: AuthedRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    columns = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        columns = finder.compare(
            countries=[data["first"], data["second"]],
            measure=data["measure"],
            request_type=data["request_type"],
        )
    return render(
        request, "directory/compare.html", {"form": form, "columns": columns, "labels": _labels()}
    )


def _labels() -> dict[str, Any]:
    from tawasul.directory.presentation import labels

    return labels()
