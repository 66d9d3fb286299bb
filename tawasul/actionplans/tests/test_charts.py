import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tawasul.actionplans import charts
from tawasul.actionplans.tests.factories import ActionFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def _actions():
    return [
        ActionFactory(country="MA", status="done", completed_on=datetime.date(2026, 3, 2)),
        ActionFactory(country="MA", status="planned"),
        ActionFactory(country="TN", status="blocked"),
    ]


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_svg_uses_presentation_attributes_only(language):
    svg = charts.status_by_country(_actions(), language).svg()
    assert "style=" not in svg
    assert svg.startswith("<svg") and 'role="img"' in svg


def test_arabic_chart_is_mirrored_and_right_to_left():
    actions = _actions()
    en = charts.status_by_country(actions, "en").scene
    ar = charts.status_by_country(actions, "ar").scene
    svg = charts.status_by_country(actions, "ar").svg()
    assert 'direction="rtl"' in svg
    assert "المغرب" in svg  # Morocco, in Arabic
    assert "الإجراءات" in svg or "إجراءات" in svg  # translated title
    # The country labels move from the left edge to the right edge.
    en_label = next(t for t in en.items if isinstance(t, charts.Text) and t.text == "Morocco")
    with translation.override("ar"):
        from django_countries import countries

        morocco_ar = str(countries.name("MA"))
    ar_label = next(t for t in ar.items if isinstance(t, charts.Text) and t.text == morocco_ar)
    assert en_label.x < en.width / 2 < ar_label.x
    assert en_label.align == "right" and ar_label.align == "left"
    # The bars grow from right to left: every bar ends where the labels' column begins.
    ar_bars = [r for r in ar.items if isinstance(r, charts.Rect) and r.title]
    assert all(r.x + r.w <= ar_label.x + 1 for r in ar_bars)


def test_svg_text_anchor_is_logical_in_rtl():
    svg = charts.status_by_country(_actions(), "ar").svg()
    # Country labels hug the bars, which are now on their left: their left edge is fixed,
    # which for a right-to-left run is its "end". The title starts at the right edge: "start".
    morocco = re.search(r"<text [^>]*>المغرب</text>", svg).group(0)
    assert 'text-anchor="end"' in morocco
    title = re.search(
        r'<text [^>]*font-weight="bold"[^>]*>[^<]*إجراءات المتابعة[^<]*</text>', svg
    ).group(0)
    assert 'text-anchor="start"' in title and 'x="630"' in title


def test_png_is_a_png():
    png = charts.participation([ParticipationFactory()], "ar").png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_timeline_counts_due_and_done_by_month():
    chart = charts.timeline(
        [
            ActionFactory(
                due_date=datetime.date(2026, 1, 10),
                status="done",
                completed_on=datetime.date(2026, 2, 1),
            ),
            ActionFactory(due_date=datetime.date(2026, 1, 20)),
        ],
        "en",
    )
    assert chart.rows == [["Jan 2026", "2", "0"], ["Feb 2026", "0", "1"]]


def test_participation_chart_counts_women():
    rows = [
        ParticipationFactory(country="BF", women=3, men=5),
        ParticipationFactory(country="ML", women=5, men=12),
    ]
    chart = charts.participation(rows, "fr")
    assert "25" in chart.scene.description and "8" in chart.scene.description


def test_chart_is_inline_in_the_page_and_downloadable(focal_point_ma, signed_in):
    action = ActionFactory()
    programme = action.recommendation.meeting.programme
    client = signed_in(focal_point_ma)
    page = client.get(reverse("actionplans:programme_detail", args=[programme.pk])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    response = client.get(reverse("actionplans:programme_chart", args=[programme.pk, "timeline"]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    assert (
        client.get(reverse("actionplans:programme_chart", args=[programme.pk, "nope"])).status_code
        == 404
    )
