"""The cooperation requests dashboard: a case worker's own figures, or a coordinator's
aggregates (``figures.dashboard_audience``); anyone else gets the audited 404. Charts are drawn
on the server as SVG (``tawasul.actionplans.charts``): no JavaScript, a few kilobytes each, and
mirrored for Arabic."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone, translation
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_countries import countries

from tawasul.actionplans import charts
from tawasul.audit.services import audit_access_denied
from tawasul.cooperation import figures, services
from tawasul.cooperation.lifecycle import RequestType, Status
from tawasul.core.http import AuthedRequest
from tawasul.directory.models import Agency

ROWS_PER_PAGE = 50
OUTGOING_COLOUR = "#0d6efd"
INCOMING_COLOUR = "#fd7e14"
ACK_COLOUR = "#6610f2"
EXEC_COLOUR = "#198754"


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Transmitted in"),
        required=False,
        choices=[
            ("3", gettext_lazy("the last 3 months")),
            ("12", gettext_lazy("the last 12 months")),
            ("36", gettext_lazy("the last 36 months")),
            ("all", gettext_lazy("any time")),
        ],
    )
    request_type = forms.ChoiceField(label=gettext_lazy("Type of request"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        required=False,
        choices=[
            ("", gettext_lazy("Both")),
            ("outgoing", gettext_lazy("Outgoing")),
            ("incoming", gettext_lazy("Incoming")),
        ],
    )

    def __init__(self, *args: Any, audience: figures.Audience, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["request_type"]).choices = [
            ("", _("All")),
            *RequestType.choices,
        ]
        # The countries Tawasul knows (those with an authority in the directory): a short list.
        codes = set(Agency.objects.exclude(country="").values_list("country", flat=True).distinct())
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", _("All")),
            *sorted(((c, str(countries.name(c))) for c in codes), key=lambda c: c[1]),
        ]
        if audience == figures.Audience.COORDINATOR:
            self.fields["country"].label = _("Country (either side)")
            self.fields["direction"].help_text = _(
                "With a country: requests it sent (outgoing) or received (incoming)."
            )
        else:
            self.fields["country"].label = _("Other country")


def _audience_or_404(request: AuthedRequest) -> figures.Audience:
    audience = figures.dashboard_audience(request.user)
    if audience is None:
        audit_access_denied(
            actor=request.user,
            object_type="page",
            object_id=request.path[:64],
            need="cooperation_dashboard",
        )
        raise Http404
    return audience


def _inline(chart: charts.Chart) -> dict[str, Any]:
    # render_svg escapes every text and attribute it writes; nothing user-typed passes raw.
    return {"chart": chart, "svg": mark_safe(chart.svg())}  # noqa: S308


def _status_chart(data: figures.Figures) -> charts.Chart:
    statuses = [s for s in Status.values if any(s in side for side in data.by_direction.values())]
    series = [
        charts.SeriesDef("outgoing", _("Outgoing"), OUTGOING_COLOUR),
        charts.SeriesDef("incoming", _("Incoming"), INCOMING_COLOUR),
    ]
    categories = [str(Status(s).label) for s in statuses]
    values = [
        [data.by_direction[direction].get(s, 0) for direction in figures.DIRECTIONS]
        for s in statuses
    ]
    title = _("Your requests by status")
    scene = charts.horizontal_stacked_bars(
        title=title,
        description=_("One bar per status: the outgoing and incoming requests you may open."),
        categories=categories,
        series=series,
        values=values,
        rtl=translation.get_language_bidi(),
    )
    headers = [_("Status"), _("Outgoing"), _("Incoming"), _("Total")]
    rows = [
        [category, *map(str, row), str(sum(row))]
        for category, row in zip(categories, values, strict=True)
    ]
    return charts.Chart("requests-by-status", scene, headers, rows)


def _month_chart(data: figures.Figures) -> charts.Chart:
    def days(median: figures.Median) -> int:
        shown = data.median(median)
        return round(float(shown)) if shown else 0

    labels = [formats.date_format(m.month, "M Y") for m in data.months]
    values = [[days(m.acknowledgement), days(m.execution)] for m in data.months]
    series = [
        charts.SeriesDef("ack", _("To acknowledgement"), ACK_COLOUR),
        charts.SeriesDef("exec", _("To execution"), EXEC_COLOUR),
    ]
    title = _("Median days from transmission, by month of transmission")
    description = _(
        "For the requests transmitted each month: the median number of days until the "
        "requested side acknowledged them and until it executed them."
    )
    # Recent months lean short: only the requests already answered have a time yet.
    description += " " + _("Recent months count only the requests already answered.")
    if data.suppressed:
        description += " " + _("Months with fewer than 5 requests are left out.")
    scene = charts.grouped_columns(
        title=title,
        description=description,
        categories=labels,
        series=series,
        values=values,
        rtl=translation.get_language_bidi(),
    )
    headers = [
        _("Month"),
        _("Median days to acknowledgement"),
        _("Requests acknowledged"),
        _("Median days to execution"),
        _("Requests executed"),
    ]
    rows = [
        [
            label,
            data.median(m.acknowledgement) or "—",
            data.count(m.acknowledgement.count),
            data.median(m.execution) or "—",
            data.count(m.execution.count),
        ]
        for label, m in zip(labels, data.months, strict=True)
    ]
    return charts.Chart("median-days-by-month", scene, headers, rows)


def _table(data: figures.Figures, rows: list[figures.GroupRow]) -> list[dict[str, Any]]:
    """The lines of the pair × type table, every cell already a string (suppressed for
    coordinators) so the template only prints."""
    names: dict[str, str] = {}

    def name(code: str) -> str:
        if code not in names:
            names[code] = str(countries.name(code))
        return names[code]

    type_labels = dict(RequestType.choices)
    return [
        {
            "requesting": name(row.requesting),
            "requested": name(row.requested),
            "type": type_labels[row.request_type],
            "cells": [data.count(row.counts.get(s, 0)) for s in data.statuses],
            "ack": data.median(row.acknowledgement) or "—",
            "ack_n": data.count(row.acknowledgement.count),
            "exec": data.median(row.execution) or "—",
            "exec_n": data.count(row.execution.count),
        }
        for row in rows
    ]


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    audience = _audience_or_404(request)
    filters = figures.parse_filters(request.GET)
    # Unbound, showing the filters as understood (an unknown value shows as "all").
    form = DashboardFilterForm(
        initial={
            "period": filters.period,
            "request_type": filters.request_type,
            "country": filters.country,
            "direction": filters.direction,
        },
        audience=audience,
    )
    today = timezone.localdate()
    data = figures.dashboard_figures(request.user, audience, filters, today=today)
    page = Paginator(data.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(filters.as_params())
    context: dict[str, Any] = {
        "audience": str(audience),
        "data": data,
        "form": form,
        "query": query,
        "page": page,
        "table": _table(data, list(page.object_list)),
        "status_labels": figures.status_labels(data.statuses),
        "months": _inline(_month_chart(data)),
        "small_cell": figures.SMALL_CELL,
        "today": today,
    }
    if audience == figures.Audience.CASE_WORKER:
        context["by_status"] = _inline(_status_chart(data))
        context["overdue"] = [
            {
                "request": r,
                "other": str(
                    countries.name(
                        r.requested_country
                        if str(r.requesting_country) == str(request.user.country)
                        else r.requesting_country
                    )
                ),
                "outgoing": str(r.requesting_country) == str(request.user.country),
                "days_late": (today - r.due_on).days if r.due_on else 0,
            }
            for r in data.overdue
        ]
    return render(request, "cooperation/dashboard.html", context)


@login_required
@require_GET
def dashboard_export(request: AuthedRequest) -> HttpResponse:
    audience = _audience_or_404(request)
    filters = figures.parse_filters(request.GET)
    data = figures.dashboard_figures(request.user, audience, filters, with_overdue=False)
    services.request_figures_export_record(
        actor=request.user, audience=audience, filters=filters, rows=len(data.rows)
    )
    response = HttpResponse("\ufeff" + figures.to_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"request-figures-{timezone.localdate().isoformat()}.csv")
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
