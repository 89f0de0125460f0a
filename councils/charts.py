"""Small server-side SVG charts: no JavaScript, no charting library, no inline styles.

``line_chart`` draws years on the x axis and one line per series, with a legend, value
labels on the emphasised series and an optional dashed trend line. The SVG is built with
ElementTree, so every text (including names a council typed) is escaped and the output is
well-formed XML. It is accessible (``role="img"``, ``aria-labelledby`` pointing to its
``<title>`` and ``<desc>``) and uses presentation attributes only (``fill``, ``stroke`` …),
which the Content Security Policy allows and WeasyPrint renders in PDFs. CSS classes
(``static/css/sosvet.css``) only make the chart scale with its container.

``indicator_chart`` turns an ``IndicatorSummary`` (councils.selectors) into such a chart.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

if TYPE_CHECKING:
    from .selectors import IndicatorSummary

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

WIDTH = 560
PLOT_HEIGHT = 210
MARGIN_LEFT = 60
MARGIN_RIGHT = 20
MARGIN_TOP = 30
AXIS_LABELS = 34  # below the plot: the years
LEGEND_ROW = 22
FONT_SIZE = 15
SMALL_FONT_SIZE = 13

# Colours with at least 3:1 contrast on white (WCAG 1.4.11); the total is the site's blue.
TOTAL_COLOUR = "#12355b"
COLOURS = ["#b35806", "#1b7837", "#762a83", "#c51b7d", "#8c510a", "#01665e"]
TREND_COLOUR = "#5c636a"
GRID_COLOUR = "#dee2e6"
AXIS_COLOUR = "#6c757d"
TEXT_COLOUR = "#212529"
# Shapes distinguish the lines without relying on colour.
MARKERS = ["circle", "square", "triangle", "diamond"]


@dataclass(frozen=True)
class ChartLine:
    label: str
    values: Sequence[Decimal | float | int | None]
    emphasis: bool = False  # drawn thicker, in the site's blue, with value labels


@dataclass(frozen=True)
class TrendLine:
    label: str
    start: Decimal | float  # the line's value at the first x position
    end: Decimal | float  # … and at the last


def number(value, decimals: int = 0) -> str:
    """A number in the active language's format ("12,5" in Slovenian), no grouping."""
    return formats.number_format(Decimal(value), decimal_pos=decimals, use_l10n=True)


def signed(value, decimals: int = 0) -> str:
    """A change with its sign: "+12", "−3,5" (a real minus sign), "0"."""
    text = number(abs(Decimal(value)), decimals)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\u2212{text}"
    return text


def nice_scale(
    minimum: float, maximum: float, *, whole: bool, fixed_max: float | None = None
) -> tuple[float, float, float]:
    """(bottom, top, step) of the value axis, in steps of 1, 2, 2.5 or 5 × 10ⁿ.

    A line chart shows change, so the axis starts near the data when the values are far
    from zero (947 … 1032 → 800 … 1050); it starts at zero when they come close to it.
    ``fixed_max`` caps the axis (100 for percentages).
    """
    if maximum <= 0:
        return (0.0, 4.0, 1.0) if whole else (0.0, 1.0, 0.25)
    pad = max((maximum - minimum) * 0.5, maximum * 0.1)
    low = minimum - pad
    if low < maximum * 0.4:
        low = 0.0
    raw = (maximum - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    bottom = step * math.floor(low / step + 1e-9)
    top = step * math.ceil(maximum / step - 1e-9)
    if top == bottom:
        top = bottom + step
    if fixed_max is not None:
        top = min(top, fixed_max)
    return bottom, top, step


def _fmt(value: float) -> str:
    """Coordinates with at most one decimal place, without trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _points(points) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)


def _marker(parent: ET.Element, shape: str, x: float, y: float, colour: str, size: float):
    if shape == "square":
        ET.SubElement(
            parent,
            "rect",
            x=_fmt(x - size),
            y=_fmt(y - size),
            width=_fmt(2 * size),
            height=_fmt(2 * size),
            fill=colour,
        )
    elif shape == "triangle":
        points = [(x, y - size * 1.25), (x + size * 1.15, y + size), (x - size * 1.15, y + size)]
        ET.SubElement(parent, "polygon", points=_points(points), fill=colour)
    elif shape == "diamond":
        s = size * 1.3
        points = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
        ET.SubElement(parent, "polygon", points=_points(points), fill=colour)
    else:
        ET.SubElement(parent, "circle", cx=_fmt(x), cy=_fmt(y), r=_fmt(size), fill=colour)


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, "text", x=_fmt(x), y=_fmt(y), **attrs)
    element.text = text
    return element


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    lines: Sequence[ChartLine],
    trend: TrendLine | None = None,
    decimals: int = 0,
    fixed_max: float | None = None,
    unit: str = "",
    format_value: Callable[[Decimal], str] | None = None,
) -> SafeString:
    """An accessible SVG line chart (see the module docstring)."""
    format_value = format_value or (lambda v: number(v, decimals))
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slots = max(len(x_labels), 1)
    slot = plot_width / slots

    numbers = [float(v) for line in lines for v in line.values if v is not None]
    bottom, top, step = nice_scale(
        min(numbers, default=0.0),
        max(numbers, default=0.0),
        whole=decimals == 0,
        fixed_max=fixed_max,
    )

    def x_at(index: int) -> float:
        return MARGIN_LEFT + slot * (index + 0.5)

    def y_at(value) -> float:
        clamped = min(max(float(value), bottom), top)
        return MARGIN_TOP + PLOT_HEIGHT * (1 - (clamped - bottom) / (top - bottom))

    legend_items = [(line.label, index, line.emphasis) for index, line in enumerate(lines)]
    if trend is not None:
        legend_items.append((trend.label, -1, False))
    # The legend flows into rows; the width of a label is estimated from its length.
    legend_rows: list[list[tuple[str, int, bool, float]]] = [[]]
    used = 0.0
    for label, index, emphasis in legend_items:
        item_width = 34 + len(label) * FONT_SIZE * 0.6 + 18
        if legend_rows[-1] and used + item_width > plot_width:
            legend_rows.append([])
            used = 0.0
        legend_rows[-1].append((label, index, emphasis, used))
        used += item_width
    height = MARGIN_TOP + PLOT_HEIGHT + AXIS_LABELS + LEGEND_ROW * len(legend_rows) + 6

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": str(WIDTH),
            "height": str(height),
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "chart",
            "id": chart_id,
            "font-family": FONT,
            "font-size": str(FONT_SIZE),
            "fill": TEXT_COLOUR,
        },
    )
    ET.SubElement(svg, "title", id=f"{chart_id}-title").text = title
    ET.SubElement(svg, "desc", id=f"{chart_id}-desc").text = description

    grid = ET.SubElement(svg, "g", {"class": "chart-grid"})
    tick = bottom
    while tick <= top + 1e-9:
        y = y_at(tick)
        ET.SubElement(
            grid,
            "line",
            x1=_fmt(MARGIN_LEFT),
            x2=_fmt(WIDTH - MARGIN_RIGHT),
            y1=_fmt(y),
            y2=_fmt(y),
            stroke=AXIS_COLOUR if tick == bottom else GRID_COLOUR,
            **{"stroke-width": "1"},
        )
        tick_decimals = 0 if float(step).is_integer() else (1 if (step * 10).is_integer() else 2)
        _text(
            grid,
            MARGIN_LEFT - 8,
            y + 4,
            number(Decimal(str(round(tick, 2))), tick_decimals),
            **{"text-anchor": "end", "class": "chart-axis-label"},
        )
        tick += step
    if unit:
        _text(grid, MARGIN_LEFT - 8, MARGIN_TOP - 14, unit, **{"text-anchor": "end"})
    for index, label in enumerate(x_labels):
        _text(
            grid,
            x_at(index),
            MARGIN_TOP + PLOT_HEIGHT + 20,
            label,
            **{"text-anchor": "middle", "class": "chart-axis-label"},
        )

    if trend is not None and len(x_labels) > 1:
        ET.SubElement(
            svg,
            "line",
            {
                "class": "chart-trend",
                "x1": _fmt(x_at(0)),
                "y1": _fmt(y_at(trend.start)),
                "x2": _fmt(x_at(len(x_labels) - 1)),
                "y2": _fmt(y_at(trend.end)),
                "stroke": TREND_COLOUR,
                "stroke-width": "2",
                "stroke-dasharray": "6 5",
            },
        )

    # Municipalities first, the emphasised total last (on top).
    order = sorted(range(len(lines)), key=lambda i: lines[i].emphasis)
    for index in order:
        line = lines[index]
        colour, shape = _style(index, line.emphasis)
        group = ET.SubElement(svg, "g", {"class": "chart-series"})
        segments: list[list[tuple[float, float]]] = [[]]
        for position, value in enumerate(line.values):
            if value is None:
                segments.append([])
            else:
                segments[-1].append((x_at(position), y_at(value)))
        for segment in segments:
            if len(segment) > 1:
                ET.SubElement(
                    group,
                    "polyline",
                    points=_points(segment),
                    fill="none",
                    stroke=colour,
                    **{
                        "stroke-width": "3.5" if line.emphasis else "2.5",
                        "stroke-linejoin": "round",
                        "stroke-linecap": "round",
                    },
                )
        for position, value in enumerate(line.values):
            if value is None:
                continue
            x, y = x_at(position), y_at(value)
            _marker(group, shape, x, y, colour, 5 if line.emphasis else 4.5)
            if line.emphasis:
                label = format_value(Decimal(value))
                common = {
                    "text-anchor": "middle",
                    "font-size": str(SMALL_FONT_SIZE),
                    "font-weight": "bold",
                }
                # A white halo underneath keeps the label legible over the trend line.
                _text(
                    group,
                    x,
                    y - 11,
                    label,
                    fill="#fff",
                    stroke="#fff",
                    **{"stroke-width": "4", "stroke-linejoin": "round"},
                    **common,
                )
                common["class"] = "chart-value"
                _text(group, x, y - 11, label, fill=TOTAL_COLOUR, **common)

    legend = ET.SubElement(svg, "g", {"class": "chart-legend"})
    legend_top = MARGIN_TOP + PLOT_HEIGHT + AXIS_LABELS + 6
    for row_index, row in enumerate(legend_rows):
        y = legend_top + row_index * LEGEND_ROW
        for label, index, emphasis, offset in row:
            x = MARGIN_LEFT + offset
            if index == -1:
                ET.SubElement(
                    legend,
                    "line",
                    x1=_fmt(x),
                    x2=_fmt(x + 26),
                    y1=_fmt(y),
                    y2=_fmt(y),
                    stroke=TREND_COLOUR,
                    **{"stroke-width": "2", "stroke-dasharray": "6 5"},
                )
            else:
                colour, shape = _style(index, emphasis)
                ET.SubElement(
                    legend,
                    "line",
                    x1=_fmt(x),
                    x2=_fmt(x + 26),
                    y1=_fmt(y),
                    y2=_fmt(y),
                    stroke=colour,
                    **{"stroke-width": "3.5" if emphasis else "2.5"},
                )
                _marker(legend, shape, x + 13, y, colour, 4.5)
            _text(legend, x + 34, y + 4.5, label)

    return mark_safe(ET.tostring(svg, encoding="unicode", short_empty_elements=True))


def _style(index: int, emphasis: bool) -> tuple[str, str]:
    if emphasis:
        return TOTAL_COLOUR, "circle"
    return COLOURS[index % len(COLOURS)], MARKERS[(index + 1) % len(MARKERS)]


def _series_sentence(label: str, years: Sequence[int], values, decimals: int) -> str:
    figures = "; ".join(
        f"{year}: {number(value, decimals) if value is not None else gettext('no data')}"
        for year, value in zip(years, values, strict=True)
    )
    return f"{label}: {figures}."


def indicator_chart(summary: IndicatorSummary, *, id_prefix: str = "chart") -> SafeString:
    """The five-year chart of one indicator: each municipality, the total, the trend."""
    years = summary.years
    span = f"{years[0]}–{years[-1]}" if years else ""
    unit = f" ({summary.unit})" if summary.unit else ""
    sentences = [f"{summary.name}{unit}, {span}."]
    sentences += [
        _series_sentence(s.label, years, s.values, summary.decimals) for s in summary.series
    ]
    trend = summary.headline.trend
    trend_line = None
    if trend is not None:
        slope = signed(trend.slope, max(summary.decimals, 1))
        sentences.append(
            gettext("Five-year trend: %(direction)s, %(slope)s a year.")
            % {"direction": trend.label, "slope": slope}
        )
        trend_line = TrendLine(
            label=gettext("Trend (least squares)"),
            start=trend.value_at(years[0]),
            end=trend.value_at(years[-1]),
        )
    lines = [
        ChartLine(label=s.label, values=s.values, emphasis=s.is_total or len(summary.series) == 1)
        for s in summary.series
    ]
    return line_chart(
        chart_id=f"{id_prefix}-{summary.code}",
        title=f"{summary.name}{unit}, {span}",
        description=" ".join(sentences),
        x_labels=[str(y) for y in years],
        lines=lines,
        trend=trend_line,
        decimals=summary.decimals,
        fixed_max=100.0 if summary.is_percentage else None,
        unit=summary.unit,
    )
