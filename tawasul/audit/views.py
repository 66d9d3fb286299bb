from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tawasul.audit.forms import EventFilterForm
from tawasul.audit.selectors import EventFilter, events_visible_to
from tawasul.core.decorators import role_required
from tawasul.core.roles import Role


@role_required(Role.OVERSIGHT)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The oversight page: browse and filter the log. There is nothing here to change it."""
    form = EventFilterForm(request.GET or None)
    filters = EventFilter(**form.cleaned_data) if form.is_valid() else EventFilter()
    page = Paginator(events_visible_to(request.user, filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/_event_rows.html" if request.htmx else "audit/event_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})
