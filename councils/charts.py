"""Small server-side SVG charts: no JavaScript, no charting library, no inline styles.

``line_chart`` draws years on the x axis and one line per series, with a legend, value
labels on the emphasised series and an optional dashed trend line. The SVG is written as
text with ElementTree's escaping (see ``_element``), so every text (including names a
council typed) is escaped and the output is well-formed XML. It is accessible
(``role="img"``, ``aria-labelledby`` pointing to its ``<title>`` and ``<desc>``) and uses
presentation attributes only (``fill``, ``stroke`` …), which the Content Security Policy
allows and WeasyPrint renders in PDFs. CSS classes
(``static/css/sosvet.css``) only make the chart scale with its container.

``indicator_chart`` turns an ``IndicatorSummary`` (councils.selectors) into such a chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

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


def decimal_separator() -> str:
    """The active language's decimal separator ("," in Slovenian)."""
    return formats.get_format("DECIMAL_SEPARATOR", get_language(), use_l10n=True)


#: below these a value shows as 0 (``django.utils.numberformat.format``'s cut-off)
_CUTOFFS = {places: Decimal("0." + "1".rjust(places, "0")) for places in range(4)}
_ZERO = Decimal(0)


def number(value, decimals: int = 0, separator: str | None = None) -> str:
    """A number in the active language's format ("12,5" in Slovenian), no grouping.

    Exactly what ``formats.number_format(Decimal(value), decimal_pos=decimals)`` returns
    (the decimals beyond ``decimals`` are cut off, not rounded) without looking the
    formats up on every call: a chart formats a few dozen numbers. Pass ``separator``
    (``decimal_separator()``) when formatting many.
    """
    if separator is None:
        separator = decimal_separator()
    value = value if isinstance(value, Decimal) else Decimal(value)
    cutoff = _CUTOFFS.get(decimals) or Decimal("0." + "1".rjust(decimals, "0"))
    if abs(value) < cutoff:
        value = _ZERO
    text = f"{value:f}"
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    whole, _dot, fraction = text.partition(".")
    fraction = fraction[:decimals].ljust(decimals, "0")
    return f"{sign}{whole}{separator}{fraction}" if fraction else f"{sign}{whole}"


def signed(value, decimals: int = 0, separator: str | None = None) -> str:
    """A change with its sign: "+12", "−3,5" (a real minus sign), "0"."""
    text = number(abs(Decimal(value)), decimals, separator)
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


# The SVG is written as text, element by element, exactly as ElementTree serialises it
# (attributes in the order given, empty elements as ``<tag … />``): the escaping below is
# ElementTree's own, so every text a council typed is escaped and the output stays
# well-formed XML. Building a tree and serialising it cost several times as much.


def _escape_text(text: str) -> str:
    return xml_escape(text)


# ElementTree's escaping of attribute values: quotes and the whitespace it keeps as is.
_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def _escape_attribute(text: str) -> str:
    return xml_escape(text, _ATTRIBUTE_ENTITIES)


def _element(tag: str, attributes: dict[str, str], text: str = "") -> str:
    """One element without children: ``<tag a="…" />`` or ``<tag a="…">text</tag>``."""
    rendered = "".join(f' {key}="{_escape_attribute(value)}"' for key, value in attributes.items())
    if text:
        return f"<{tag}{rendered}>{_escape_text(text)}</{tag}>"
    return f"<{tag}{rendered} />"


def _group(tag: str, attributes: dict[str, str], children: list[str]) -> str:
    """An element around ``children`` (which are already serialised)."""
    if not children:
        return _element(tag, attributes)
    rendered = "".join(f' {key}="{_escape_attribute(value)}"' for key, value in attributes.items())
    return f"<{tag}{rendered}>{''.join(children)}</{tag}>"


def _marker(out: list[str], shape: str, x: float, y: float, colour: str, size: float) -> None:
    if shape == "square":
        out.append(
            f'<rect x="{_fmt(x - size)}" y="{_fmt(y - size)}" width="{_fmt(2 * size)}"'
            f' height="{_fmt(2 * size)}" fill="{colour}" />'
        )
    elif shape == "triangle":
        points = [(x, y - size * 1.25), (x + size * 1.15, y + size), (x - size * 1.15, y + size)]
        out.append(f'<polygon points="{_points(points)}" fill="{colour}" />')
    elif shape == "diamond":
        s = size * 1.3
        points = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
        out.append(f'<polygon points="{_points(points)}" fill="{colour}" />')
    else:
        out.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(size)}" fill="{colour}" />')


def _text(out: list[str], x: float, y: float, text: str, **attrs: str) -> None:
    out.append(_element("text", {"x": _fmt(x), "y": _fmt(y), **attrs}, text))


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
    separator = decimal_separator()
    format_value = format_value or (lambda v: number(v, decimals, separator))
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

    parts = [
        _element("title", {"id": f"{chart_id}-title"}, title),
        _element("desc", {"id": f"{chart_id}-desc"}, description),
    ]

    grid: list[str] = []
    x_from, x_to = _fmt(MARGIN_LEFT), _fmt(WIDTH - MARGIN_RIGHT)
    tick_decimals = 0 if float(step).is_integer() else (1 if (step * 10).is_integer() else 2)
    tick = bottom
    while tick <= top + 1e-9:
        y = _fmt(y_at(tick))
        stroke = AXIS_COLOUR if tick == bottom else GRID_COLOUR
        grid.append(
            f'<line x1="{x_from}" x2="{x_to}" y1="{y}" y2="{y}" stroke="{stroke}"'
            ' stroke-width="1" />'
        )
        label = number(Decimal(str(round(tick, 2))), tick_decimals, separator)
        _text(
            grid,
            MARGIN_LEFT - 8,
            y_at(tick) + 4,
            label,
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
    parts.append(_group("g", {"class": "chart-grid"}, grid))

    if trend is not None and len(x_labels) > 1:
        parts.append(
            f'<line class="chart-trend" x1="{_fmt(x_at(0))}" y1="{_fmt(y_at(trend.start))}"'
            f' x2="{_fmt(x_at(len(x_labels) - 1))}" y2="{_fmt(y_at(trend.end))}"'
            f' stroke="{TREND_COLOUR}" stroke-width="2" stroke-dasharray="6 5" />'
        )

    # Municipalities first, the emphasised total last (on top).
    order = sorted(range(len(lines)), key=lambda i: lines[i].emphasis)
    for index in order:
        line = lines[index]
        colour, shape = _style(index, line.emphasis)
        group: list[str] = []
        segments: list[list[tuple[float, float]]] = [[]]
        for position, value in enumerate(line.values):
            if value is None:
                segments.append([])
            else:
                segments[-1].append((x_at(position), y_at(value)))
        width = "3.5" if line.emphasis else "2.5"
        for segment in segments:
            if len(segment) > 1:
                group.append(
                    f'<polyline points="{_points(segment)}" fill="none" stroke="{colour}"'
                    f' stroke-width="{width}" stroke-linejoin="round" stroke-linecap="round" />'
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
        parts.append(_group("g", {"class": "chart-series"}, group))

    legend: list[str] = []
    legend_top = MARGIN_TOP + PLOT_HEIGHT + AXIS_LABELS + 6
    for row_index, row in enumerate(legend_rows):
        y = legend_top + row_index * LEGEND_ROW
        for label, index, emphasis, offset in row:
            x = MARGIN_LEFT + offset
            if index == -1:
                legend.append(
                    f'<line x1="{_fmt(x)}" x2="{_fmt(x + 26)}" y1="{_fmt(y)}" y2="{_fmt(y)}"'
                    f' stroke="{TREND_COLOUR}" stroke-width="2" stroke-dasharray="6 5" />'
                )
            else:
                colour, shape = _style(index, emphasis)
                legend.append(
                    f'<line x1="{_fmt(x)}" x2="{_fmt(x + 26)}" y1="{_fmt(y)}" y2="{_fmt(y)}"'
                    f' stroke="{colour}" stroke-width="{"3.5" if emphasis else "2.5"}" />'
                )
                _marker(legend, shape, x + 13, y, colour, 4.5)
            _text(legend, x + 34, y + 4.5, label)
    parts.append(_group("g", {"class": "chart-legend"}, legend))

    svg = _group(
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
        parts,
    )
    return mark_safe(svg)  # every text and attribute above is escaped


def _style(index: int, emphasis: bool) -> tuple[str, str]:
    if emphasis:
        return TOTAL_COLOUR, "circle"
    return COLOURS[index % len(COLOURS)], MARKERS[(index + 1) % len(MARKERS)]


def _series_sentence(
    label: str, years: Sequence[int], values, decimals: int, separator: str, no_data: str
) -> str:
    figures = "; ".join(
        f"{year}: {number(value, decimals, separator) if value is not None else no_data}"
        for year, value in zip(years, values, strict=True)
    )
    return f"{label}: {figures}."


def indicator_chart(summary: IndicatorSummary, *, id_prefix: str = "chart") -> SafeString:
    """The five-year chart of one indicator: each municipality, the total, the trend."""
    years = summary.years
    span = f"{years[0]}–{years[-1]}" if years else ""
    unit = f" ({summary.unit})" if summary.unit else ""
    separator, no_data = decimal_separator(), gettext("no data")
    sentences = [f"{summary.name}{unit}, {span}."]
    sentences += [
        _series_sentence(s.label, years, s.values, summary.decimals, separator, no_data)
        for s in summary.series
    ]
    trend = summary.headline.trend
    trend_line = None
    if trend is not None:
        slope = signed(trend.slope, max(summary.decimals, 1), separator)
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


# --- The data table beside each chart ------------------------------------------------------

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(4)}
TREND_ARROWS = {"rising": "↗", "falling": "↘"}


def rounded(value, decimals: int = 0, separator: str | None = None) -> str:
    """``value`` rounded half up to ``decimals`` places in the active language's format:
    exactly what the template filter ``floatformat:<decimals>`` shows ("1032", "57,3")."""
    if separator is None:
        separator = decimal_separator()
    value = Decimal(str(value))
    quantum = _QUANTA.get(decimals) or Decimal(1).scaleb(-decimals)
    value = value.quantize(quantum, ROUND_HALF_UP)
    if not value:
        value = abs(value)  # never "-0"
    text = f"{value:f}"
    return text.replace(".", separator) if decimals else text


def _plus(value) -> str:
    return "+" if value > 0 else ""


@dataclass(frozen=True)
class ChangeCell:
    """The change against the previous year in the table's footer."""

    absolute: str  # "+12", "-3", "0": rounded to the indicator's decimals, a rise with "+"
    percent: str | None  # "+3,5" (one decimal), None when the previous year was 0


@dataclass(frozen=True)
class TrendCell:
    """The five-year trend in the table's footer."""

    direction: str  # rising, falling, stable
    arrow: str
    label: str  # "rising" in the active language
    per_year: SafeString  # "+1,5 a year"


@dataclass(frozen=True)
class IndicatorTable:
    """What the data table beside an indicator's chart shows, formatted once in the active
    language (``councils/includes/indicator_charts.html`` prints it as it is): the same
    figures the template's ``floatformat`` filters showed, without a filter per cell."""

    caption: SafeString  # "Criminal offences, total, 2021–2025"
    rows: list[tuple[int, list[str | None]]]  # (year, a figure per series; None: no data)
    changes: list[ChangeCell | None]  # per series; None: no change (a year missing)
    trends: list[TrendCell | None]  # per series; None: fewer than 3 years
    share: str | None  # the share in the last year, one decimal (None: not defined)


def indicator_table(summary: IndicatorSummary) -> IndicatorTable:
    """The data table of one indicator (see ``IndicatorTable``)."""
    separator, decimals = decimal_separator(), summary.decimals
    years = summary.years
    columns = [
        [rounded(v, decimals, separator) if v is not None else None for v in s.values]
        for s in summary.series
    ]
    changes: list[ChangeCell | None] = []
    trends: list[TrendCell | None] = []
    for line in summary.series:
        change, trend = line.change, line.trend
        changes.append(
            ChangeCell(
                absolute=_plus(change.absolute) + rounded(change.absolute, decimals, separator),
                percent=None
                if change.percent is None
                else _plus(change.percent) + rounded(change.percent, 1, separator),
            )
            if change
            else None
        )
        if trend:
            slope = conditional_escape(rounded(trend.slope, 1, separator))
            per_year = _plus(trend.slope) + gettext("%(slope)s a year") % {"slope": slope}
            trends.append(
                TrendCell(
                    direction=trend.direction,
                    arrow=TREND_ARROWS.get(trend.direction, "→"),
                    label=trend.label,
                    per_year=mark_safe(per_year),  # the figure is escaped
                )
            )
        else:
            trends.append(None)
    caption = gettext("%(name)s, %(first)s–%(last)s") % {
        "name": conditional_escape(summary.name),
        "first": conditional_escape(years[0] if years else ""),
        "last": conditional_escape(years[-1] if years else ""),
    }
    return IndicatorTable(
        caption=mark_safe(caption),  # the values are escaped
        rows=[(year, [column[index] for column in columns]) for index, year in enumerate(years)],
        changes=changes,
        trends=trends,
        share=None if summary.share is None else rounded(summary.share, 1, separator),
    )
