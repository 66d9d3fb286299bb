"""Charts drawn on the server, without JavaScript: one layout, two outputs.

A chart is laid out once, left to right, as a ``Scene`` of rectangles, lines and texts; for
Arabic the scene is mirrored (categories' labels and the value axis move to the right, the time
axis runs right to left, alignments swap) and every text carries ``direction="rtl"``. The scene
is then written as SVG (inline in pages, or as a file) or painted as a PNG with Pillow (for the
DOCX and PDF reports; Pillow shapes Arabic with its bundled HarfBuzz/FriBiDi, libraqm).

No ``style=""`` anywhere (the Content-Security-Policy forbids it): presentation attributes only.
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_countries import countries

from tawasul.actionplans.models import ActionStatus, FollowUpAction, Participation

Align = Literal["left", "middle", "right"]
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
TEXT_COLOUR = "#212529"
GRID_COLOUR = "#dee2e6"

STATUS_COLOURS = {
    ActionStatus.DONE: "#198754",
    ActionStatus.IN_PROGRESS: "#0d6efd",
    ActionStatus.PLANNED: "#6c757d",
    ActionStatus.BLOCKED: "#dc3545",
    ActionStatus.DROPPED: "#c9cdd1",
}
STATUS_ORDER = [
    ActionStatus.DONE,
    ActionStatus.IN_PROGRESS,
    ActionStatus.PLANNED,
    ActionStatus.BLOCKED,
    ActionStatus.DROPPED,
]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID_COLOUR
    width: float = 1


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    align: Align = "left"
    size: float = 12
    bold: bool = False
    fill: str = TEXT_COLOUR


Item = Rect | Line | Text


@dataclass
class Scene:
    width: float
    height: float
    title: str
    description: str
    rtl: bool = False
    items: list[Item] = field(default_factory=list)


@dataclass
class Chart:
    """A chart and the same numbers as a table (for screen readers and for the reports)."""

    slug: str
    scene: Scene
    headers: list[str]
    rows: list[list[str]]

    @property
    def title(self) -> str:
        return self.scene.title

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def svg(self, element_id: str = "") -> str:
        return render_svg(self.scene, element_id or f"chart-{self.slug}")

    def png(self, scale: float = 2.0) -> bytes:
        return render_png(self.scene, scale=scale)


_SWAP: dict[Align, Align] = {"left": "right", "right": "left", "middle": "middle"}


def mirror(scene: Scene) -> Scene:
    """The same chart for a right-to-left reader: every x reflected, alignments swapped."""
    width = scene.width
    items: list[Item] = []
    for item in scene.items:
        if isinstance(item, Rect):
            items.append(replace(item, x=width - item.x - item.w))
        elif isinstance(item, Line):
            items.append(replace(item, x1=width - item.x1, x2=width - item.x2))
        else:
            items.append(replace(item, x=width - item.x, align=_SWAP[item.align]))
    return replace(scene, rtl=True, items=items)


def _text_width(text: str, size: float) -> float:
    """A rough width, enough to space legend entries (DejaVu Sans averages ~0.6 em)."""
    return len(text) * size * 0.6


# ---------------------------------------------------------------- SVG


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def render_svg(scene: Scene, element_id: str) -> str:
    """Inline-able SVG: a titled image (role="img"), presentation attributes only."""
    tid, did = f"{element_id}-title", f"{element_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(element_id)} class="ap-chart" '
        f'viewBox="0 0 {_n(scene.width)} {_n(scene.height)}" role="img" '
        f'aria-labelledby="{tid} {did}" font-family="DejaVu Sans, Arial, sans-serif"'
        f"{' direction=' + quoteattr('rtl') if scene.rtl else ''}>",
        f"<title id={quoteattr(tid)}>{escape(scene.title)}</title>",
        f"<desc id={quoteattr(did)}>{escape(scene.description)}</desc>",
        f'<rect x="0" y="0" width="{_n(scene.width)}" height="{_n(scene.height)}" fill="#ffffff"/>',
    ]
    for item in scene.items:
        if isinstance(item, Rect):
            tip = f"<title>{escape(item.title)}</title>" if item.title else ""
            out.append(
                f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" '
                f'height="{_n(item.h)}" fill={quoteattr(item.fill)}>{tip}</rect>'
            )
        elif isinstance(item, Line):
            out.append(
                f'<line x1="{_n(item.x1)}" y1="{_n(item.y1)}" x2="{_n(item.x2)}" '
                f'y2="{_n(item.y2)}" stroke={quoteattr(item.stroke)} '
                f'stroke-width="{_n(item.width)}"/>'
            )
        else:
            out.append(_svg_text(item, scene.rtl))
    out.append("</svg>")
    return "\n".join(out)


def _svg_text(item: Text, rtl: bool) -> str:
    # text-anchor is logical: "start" is the right edge of right-to-left text.
    if item.align == "middle":
        anchor = "middle"
    elif (item.align == "left") != rtl:
        anchor = "start"
    else:
        anchor = "end"
    attrs = [
        f'x="{_n(item.x)}"',
        f'y="{_n(item.y)}"',
        f'font-size="{_n(item.size)}"',
        f"fill={quoteattr(item.fill)}",
        f'text-anchor="{anchor}"',
    ]
    if item.bold:
        attrs.append('font-weight="bold"')
    if rtl:
        attrs.append('direction="rtl"')
    return f"<text {' '.join(attrs)}>{escape(item.text)}</text>"


# ---------------------------------------------------------------- PNG


def render_png(scene: Scene, *, scale: float = 2.0) -> bytes:
    from PIL import Image, ImageDraw, ImageFont, features

    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    image = Image.new(
        "RGB", (math.ceil(scene.width * scale), math.ceil(scene.height * scale)), "#ffffff"
    )
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}

    def font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
        key = (size, bold)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(
                str(FONT_BOLD if bold else FONT_REGULAR), round(size * scale), layout_engine=engine
            )
        return fonts[key]

    for item in scene.items:
        if isinstance(item, Rect):
            if item.w <= 0 or item.h <= 0:
                continue
            draw.rectangle(
                [
                    item.x * scale,
                    item.y * scale,
                    (item.x + item.w) * scale - 1,
                    (item.y + item.h) * scale - 1,
                ],
                fill=item.fill,
            )
        elif isinstance(item, Line):
            draw.line(
                [item.x1 * scale, item.y1 * scale, item.x2 * scale, item.y2 * scale],
                fill=item.stroke,
                width=max(1, round(item.width * scale)),
            )
        else:
            anchor = {"left": "ls", "middle": "ms", "right": "rs"}[item.align]
            text = item.text
            direction: str | None = None
            if engine == ImageFont.Layout.RAQM and scene.rtl:
                direction = "rtl"
            elif scene.rtl:
                text = visual_order(text)
            draw.text(
                (item.x * scale, item.y * scale),
                text,
                font=font(item.size, item.bold),
                fill=item.fill,
                anchor=anchor,
                direction=direction,
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def visual_order(text: str) -> str:
    """Arabic letters joined and laid out left to right, for renderers that cannot shape."""
    import arabic_reshaper  # type: ignore[import-untyped, unused-ignore]
    from bidi.algorithm import get_display  # type: ignore[import-untyped, unused-ignore]

    return str(get_display(arabic_reshaper.reshape(text), base_dir="R"))


# ---------------------------------------------------------------- layouts


@dataclass(frozen=True)
class SeriesDef:
    key: str
    label: str
    colour: str


def _nice_max(value: int) -> tuple[int, int]:
    """An axis maximum and tick step with round numbers."""
    if value <= 5:
        return max(value, 1), 1
    step = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value / (step * factor) <= 6:
            step = step * factor
            break
    return math.ceil(value / step) * step, step


def _legend(items: list[Item], series: Sequence[SeriesDef], x: float, y: float) -> None:
    for s in series:
        items.append(Rect(x, y - 10, 12, 12, s.colour))
        items.append(Text(x + 17, y, s.label, size=11))
        x += 17 + _text_width(s.label, 11) + 18


def horizontal_stacked_bars(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[SeriesDef],
    values: Sequence[Sequence[int]],
    rtl: bool,
    width: float = 640,
) -> Scene:
    """One bar per category, split by series; category labels before the bar, total after."""
    label_w, row_h, top = 170.0, 28.0, 62.0
    bar_x0, bar_x1 = label_w + 10, width - 50
    totals = [sum(v) for v in values]
    axis_max, step = _nice_max(max(totals, default=0))
    height = top + row_h * max(len(categories), 1) + 34
    items: list[Item] = [Text(10, 22, title, size=15, bold=True)]
    _legend(items, series, 10, 46)
    scale = (bar_x1 - bar_x0) / axis_max
    bottom = top + row_h * max(len(categories), 1)
    for tick in range(0, axis_max + 1, step):
        x = bar_x0 + tick * scale
        items.append(Line(x, top - 4, x, bottom))
        items.append(Text(x, bottom + 16, str(tick), align="middle", size=10))
    for i, (category, row) in enumerate(zip(categories, values, strict=True)):
        y = top + i * row_h
        items.append(Text(label_w, y + row_h / 2 + 4, category, align="right", size=11))
        x = bar_x0
        for s, value in zip(series, row, strict=True):
            if value:
                items.append(
                    Rect(
                        x,
                        y + 5,
                        value * scale,
                        row_h - 10,
                        s.colour,
                        f"{category} — {s.label}: {value}",
                    )
                )
                x += value * scale
        items.append(Text(x + 6, y + row_h / 2 + 4, str(totals[i]), size=11, bold=True))
    if not categories:
        items.append(Text(width / 2, top + 18, _("No data yet."), align="middle", size=12))
    scene = Scene(width, height, title, description, items=items)
    return mirror(scene) if rtl else scene


def grouped_columns(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[SeriesDef],
    values: Sequence[Sequence[int]],
    rtl: bool,
    width: float = 640,
) -> Scene:
    """Columns side by side per category (e.g. per month: due, done); time runs with reading."""
    left, right, top, plot_h = 44.0, 14.0, 62.0, 170.0
    bottom = top + plot_h
    height = bottom + 48
    axis_max, step = _nice_max(max((max(v, default=0) for v in values), default=0))
    items: list[Item] = [Text(10, 22, title, size=15, bold=True)]
    _legend(items, series, 10, 46)
    for tick in range(0, axis_max + 1, step):
        y = bottom - tick / axis_max * plot_h
        items.append(Line(left, y, width - right, y))
        items.append(Text(left - 6, y + 4, str(tick), align="right", size=10))
    n = max(len(categories), 1)
    slot = (width - left - right) / n
    bar_w = min(22.0, slot * 0.8 / max(len(series), 1))
    label_every = max(1, math.ceil(n / 12))
    for i, (category, row) in enumerate(zip(categories, values, strict=True)):
        x0 = left + i * slot + (slot - bar_w * len(series)) / 2
        for j, (s, value) in enumerate(zip(series, row, strict=True)):
            h = value / axis_max * plot_h
            items.append(
                Rect(
                    x0 + j * bar_w,
                    bottom - h,
                    bar_w - 1,
                    h,
                    s.colour,
                    f"{category} — {s.label}: {value}",
                )
            )
        if i % label_every == 0:
            items.append(
                Text(left + (i + 0.5) * slot, bottom + 16, category, align="middle", size=10)
            )
    items.append(Line(left, bottom, width - right, bottom, stroke="#6c757d"))
    if not categories:
        items.append(Text(width / 2, top + 60, _("No data yet."), align="middle", size=12))
    scene = Scene(width, height, title, description, items=items)
    return mirror(scene) if rtl else scene


# ---------------------------------------------------------------- the three charts


def _owner_name(code: str) -> str:
    return str(countries.name(code)) if code else _("The network")


def status_by_country(actions: Iterable[FollowUpAction], language: str) -> Chart:
    with translation.override(language):
        counts: dict[str, dict[str, int]] = {}
        for action in actions:
            row = counts.setdefault(str(action.country or ""), dict.fromkeys(STATUS_ORDER, 0))
            row[action.status] = row.get(action.status, 0) + 1
        codes = sorted(counts, key=lambda c: (c == "", _owner_name(c)))
        series = [SeriesDef(s, str(s.label), STATUS_COLOURS[s]) for s in STATUS_ORDER]
        values = [[counts[c][s] for s in STATUS_ORDER] for c in codes]
        names = [_owner_name(c) for c in codes]
        title = _("Follow-up actions by status and owner")
        scene = horizontal_stacked_bars(
            title=title,
            description=_("One bar per owning country; each bar is split by the actions' status."),
            categories=names,
            series=series,
            values=values,
            rtl=translation.get_language_bidi(),
        )
        headers = [_("Owner"), *(s.label for s in series), _("Total")]
        rows = [[n, *map(str, v), str(sum(v))] for n, v in zip(names, values, strict=True)]
        return Chart("status-by-country", scene, headers, rows)


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "M Y")


def timeline(actions: Iterable[FollowUpAction], language: str) -> Chart:
    with translation.override(language):
        due: dict[datetime.date, int] = {}
        done: dict[datetime.date, int] = {}
        for action in actions:
            if action.status == ActionStatus.DROPPED:
                continue
            month = action.due_date.replace(day=1)
            due[month] = due.get(month, 0) + 1
            if action.status == ActionStatus.DONE and action.completed_on:
                finished = action.completed_on.replace(day=1)
                done[finished] = done.get(finished, 0) + 1
        months: list[datetime.date] = []
        if due or done:
            first, last = min([*due, *done]), max([*due, *done])
            month = first
            while month <= last:
                months.append(month)
                month = (month + datetime.timedelta(days=32)).replace(day=1)
        series = [
            SeriesDef("due", _("Due"), "#fd7e14"),
            SeriesDef("done", _("Done"), STATUS_COLOURS[ActionStatus.DONE]),
        ]
        values = [[due.get(m, 0), done.get(m, 0)] for m in months]
        labels = [_month_label(m) for m in months]
        title = _("Actions due and actions done, by month")
        scene = grouped_columns(
            title=title,
            description=_("For each month: how many actions fell due and how many were done."),
            categories=labels,
            series=series,
            values=values,
            rtl=translation.get_language_bidi(),
        )
        headers = [_("Month"), _("Due"), _("Done")]
        rows = [[label, str(v[0]), str(v[1])] for label, v in zip(labels, values, strict=True)]
        return Chart("timeline", scene, headers, rows)


def participation(rows_in: Iterable[Participation], language: str) -> Chart:
    with translation.override(language):
        counts: dict[str, list[int]] = {}
        for p in rows_in:
            key = str(p.country) if p.country else f"~{p.agency}"
            row = counts.setdefault(key, [0, 0, 0])
            row[0] += p.women
            row[1] += p.men
            row[2] += p.unspecified

        def name(key: str) -> str:
            return key[1:] if key.startswith("~") else str(countries.name(key))

        keys = sorted(counts, key=lambda k: (k.startswith("~"), name(k)))
        series = [
            SeriesDef("women", _("Women"), "#6f42c1"),
            SeriesDef("men", _("Men"), "#20c997"),
            SeriesDef("unspecified", _("Not stated"), "#adb5bd"),
        ]
        values = [counts[k] for k in keys]
        names = [name(k) for k in keys]
        total_women = sum(v[0] for v in values)
        total = sum(sum(v) for v in values)
        title = _("Participants by country and gender")
        scene = horizontal_stacked_bars(
            title=title,
            description=_("%(total)s participants, %(women)s of them women.")
            % {"total": total, "women": total_women},
            categories=names,
            series=series,
            values=values,
            rtl=translation.get_language_bidi(),
        )
        headers = [_("Country or organisation"), *(s.label for s in series), _("Total")]
        rows = [[n, *map(str, v), str(sum(v))] for n, v in zip(names, values, strict=True)]
        return Chart("participation", scene, headers, rows)
