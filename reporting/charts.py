"""Hand-built SVG charts for the managers' dashboards and the PDFs made from them.

Why not a charting library? The pages run under a strict Content-Security-Policy with no
JavaScript, and the same markup must render in WeasyPrint for the PDF reports. So each chart is
plain SVG 1.1 (svg, g, rect, line, polyline, circle, text, title, desc) coloured with
presentation attributes: no ``style`` attribute, no ``<style>`` element, no scripts, nothing
fetched from elsewhere.

Every chart is an image with an accessible name (its ``<title>``) and description (its
``<desc>``); the numbers themselves are in the table the template renders beside it. Nothing is
told by colour alone: bars carry their series name in a tooltip and keep the legend's order, and
each line has its own dash pattern as well as its own colour.

Text widths are estimated from character counts (there are no font metrics here), generously,
so labels fit. The visible heading is the template's: the chart draws no title of its own.
"""

import math
import re
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

Number = int | float

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# GOV.UK colours, each at least 3:1 against white (WCAG 2.2 AA, non-text contrast 1.4.11):
# blue 5.2, red 4.9, green 6.2, purple 10.1, pink 4.5, brown 3.2, dark grey 7.1.
# GOV.UK orange (#f47738, 2.8:1) and turquoise (#28a197, 3.2:1 but close to green) are left out.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#d53880", "#b58840", "#505a5f")
# Four dash patterns against seven colours: 28 series before a line repeats both.
DASHES = ("", "10 4", "3 4", "12 4 3 4")
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
GRID_COLOUR = "#b1b4b6"  # gridlines are a reading aid only, so a lighter grey is fine

FONT_SIZE = 14
SMALL_FONT_SIZE = 12
CHARACTER_WIDTH = 0.6  # of the font size: a little wider than Arial's average, so text fits
MOST_INTERVALS = 5  # gridlines on the value axis, at most
PAD = 8
SWATCH_WIDTH = 40  # long enough for a legend's line sample to show its whole dash pattern

ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Control characters are not allowed in XML at all, even escaped: a stray one in a label
# would make the whole chart unreadable to WeasyPrint.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Ticks and numbers ------------------------------------------------------------------------------


def nice_ticks(maximum: Number, *, whole: bool = False) -> list[Number]:
    """Tick values from 0 to a round number at or above ``maximum``: nice_ticks(394) is 0..400.

    The step is 1, 2 or 5 times a power of ten: the smallest giving no more than five intervals.
    ``whole`` keeps steps to whole numbers (counts of 1 should not be split into fifths). A
    maximum of 0 gives [0, 1], so the axis always has a length to divide by.
    """
    if not math.isfinite(maximum) or maximum < 0:
        raise ValueError(f"Ticks need a finite maximum of 0 or more, not {maximum!r}")
    if maximum == 0:
        return [0, 1]
    exponent = math.floor(math.log10(maximum / MOST_INTERVALS))
    while True:
        for multiple in (1, 2, 5):
            step = multiple * 10.0**exponent
            if whole and step < 1:
                continue
            # The allowance stops float noise (0.3 / 0.1 = 2.9999...) adding an interval.
            intervals = math.ceil(maximum / step - 1e-9)
            if intervals <= MOST_INTERVALS:
                return [_tidy(index * step) for index in range(intervals + 1)]
        exponent += 1


def _tidy(value: float) -> Number:
    """Rounds away float noise and gives whole numbers as ints (so 100.0 prints as 100)."""
    value = round(value, 10)
    return int(value) if value.is_integer() else value


def _format(value: Number) -> str:
    """1234 as "1,234"; fractions to at most two places."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _coordinate(value: Number) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text_width(texts: Sequence[str], font_size: int = FONT_SIZE) -> float:
    return max((len(text) for text in texts), default=0) * font_size * CHARACTER_WIDTH


def _all_whole(values: Sequence[Number | None]) -> bool:
    return all(float(value).is_integer() for value in values if value is not None)


# Checking the caller's data ---------------------------------------------------------------------


def _check_values(name: str, values: Sequence[Number | None], expected: int) -> None:
    """Charts start at 0, so a negative value (or a NaN) has nowhere to go: refuse it."""
    if len(values) != expected:
        raise ValueError(f"{name!r} has {len(values)} values for {expected} labels")
    for value in values:
        if value is not None and (not math.isfinite(value) or value < 0):
            raise ValueError(f"{name!r} has {value!r}: charts show finite values of 0 or more")


def _check_prefix(id_prefix: str) -> str:
    # The ids go into aria-labelledby, a space-separated list: a prefix with spaces would break it.
    if not ID_PREFIX.match(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _: {id_prefix!r}")
    return id_prefix


# SVG markup -------------------------------------------------------------------------------------


def _element(tag: str, content: str = "", **attributes: object) -> str:
    """One element; ``content`` is markup already escaped. font_size is written font-size."""
    written = "".join(
        f" {name.replace('_', '-')}={quoteattr(_attribute(value))}"
        for name, value in attributes.items()
        if value is not None and value != ""
    )
    if content:
        return f"<{tag}{written}>{content}</{tag}>"
    return f"<{tag}{written}/>"


def _attribute(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _coordinate(value)
    return str(value)


def _escape(text: str) -> str:
    return escape(NOT_XML.sub("", text))


def _text(x: float, y: float, content: str, **attributes: object) -> str:
    return _element("text", _escape(content), x=x, y=y, fill=TEXT_COLOUR, **attributes)


def _tooltip(content: str) -> str:
    return _element("title", _escape(content))


def _baseline(middle: float, font_size: int = FONT_SIZE) -> float:
    """The y for text centred on ``middle`` (dominant-baseline is not dependable in WeasyPrint)."""
    return middle + font_size * 0.35


def _svg(
    *, title: str, desc: str, id_prefix: str, width: float, height: float, body: list[str]
) -> SafeString:
    prefix = _check_prefix(id_prefix)
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    content = (
        _element("title", _escape(title), id=title_id)
        + _element("desc", _escape(desc), id=desc_id)
        + "".join(body)
    )
    svg = _element(
        "svg",
        content,
        xmlns=SVG_NAMESPACE,
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        viewBox=f"0 0 {_coordinate(width)} {_coordinate(height)}",
        width="100%",
        preserveAspectRatio="xMinYMin meet",
        font_size=FONT_SIZE,
    )
    # Safe: every label and value went through _escape(), every attribute through quoteattr(),
    # and the ids are checked against ID_PREFIX.
    return mark_safe(svg)  # noqa: S308


def _value_gridlines(
    ticks: list[Number], *, left: float, right: float, top: float, height: float
) -> list[str]:
    """Horizontal gridlines with their values on the left, for columns and lines."""
    parts = []
    for tick in ticks:
        y = top + height - tick / ticks[-1] * height
        colour = AXIS_COLOUR if tick == 0 else GRID_COLOUR
        parts.append(_element("line", x1=left, y1=y, x2=right, y2=y, stroke=colour))
        parts.append(
            _text(
                left - PAD,
                _baseline(y, SMALL_FONT_SIZE),
                _format(tick),
                text_anchor="end",
                font_size=SMALL_FONT_SIZE,
            )
        )
    return parts


def _legend(
    names: list[str],
    swatch: Callable[[int, float, float], str],
    *,
    left: float,
    top: float,
    width: float,
) -> tuple[list[str], float]:
    """Swatches and names flowing left to right, wrapping at ``width``; returns their height."""
    row_height = FONT_SIZE + PAD * 2
    parts, x, y = [], left, top
    for index, name in enumerate(names):
        entry_width = _legend_width([name])
        if x > left and x + entry_width > width:
            x, y = left, y + row_height
        middle = y + row_height / 2
        parts.append(swatch(index, x, middle))
        parts.append(_text(x + SWATCH_WIDTH + PAD, _baseline(middle), name))
        x += entry_width
    return parts, (y - top + row_height if names else 0)


def _legend_width(names: list[str]) -> float:
    """Room for the widest legend entry (swatch, gap, name, gap before the next)."""
    return SWATCH_WIDTH + _text_width(names) + PAD * 3 if names else 0


# Charts -----------------------------------------------------------------------------------------

# Charts scale to the width of their container, text and all, so each is drawn about as wide
# as the others: then text is about the same size in every chart on the page.
CHART_WIDTH = 640
MIN_BAR_PLOT_WIDTH = 320  # at least; more when the labels leave room
BAR_ROW_HEIGHT = 32
BAR_THICKNESS = 20
COLUMN_WIDTH = 18
COLUMN_GAP = 2  # white between neighbouring columns, so each needs contrast with white only
PLOT_HEIGHT = 240
AXIS_LABEL_HEIGHT = 28


def bar_chart(
    *, title: str, labels: list[str], values: list[Number], id_prefix: str, unit: str = ""
) -> SafeString:
    """Horizontal bars, one per label, with its value (and ``unit``, as given) at the end."""
    _check_values("values", values, len(labels))
    ticks = nice_ticks(max(values, default=0), whole=_all_whole(values))
    value_texts = [f"{_format(value)}{unit}" for value in values]
    # The label column is as wide as the longest label, so "Initial/Pre-birth initial" fits.
    left = _text_width(labels) + PAD * 2
    # Tick values are centred on their gridlines, so the last one overhangs the plot a little.
    value_room = max(_text_width(value_texts), _text_width([_format(ticks[-1])])) + PAD * 2
    plot_width = max(MIN_BAR_PLOT_WIDTH, CHART_WIDTH - left - value_room)
    width = left + plot_width + value_room
    top = PAD
    plot_height = len(labels) * BAR_ROW_HEIGHT
    body = _bar_gridlines(ticks, left=left, top=top, width=plot_width, height=plot_height)
    rows = zip(labels, values, value_texts, strict=True)
    for index, (label, value, value_text) in enumerate(rows):
        middle = top + index * BAR_ROW_HEIGHT + BAR_ROW_HEIGHT / 2
        length = value / ticks[-1] * plot_width
        body.append(_text(left - PAD, _baseline(middle), label, text_anchor="end"))
        bar = _element(
            "rect",
            _tooltip(f"{label}: {value_text}"),
            x=left,
            y=middle - BAR_THICKNESS / 2,
            width=length,
            height=BAR_THICKNESS,
            fill=PALETTE[0],
        )
        body.append(bar)
        body.append(_text(left + length + PAD / 2, _baseline(middle), value_text))
    return _svg(
        title=title,
        desc="Bar chart; the data are in the table beside it.",
        id_prefix=id_prefix,
        width=width,
        height=top + plot_height + AXIS_LABEL_HEIGHT,
        body=body,
    )


def _bar_gridlines(
    ticks: list[Number], *, left: float, top: float, width: float, height: float
) -> list[str]:
    """Vertical gridlines with their values underneath, for horizontal bars."""
    parts = []
    for tick in ticks:
        x = left + tick / ticks[-1] * width
        colour = AXIS_COLOUR if tick == 0 else GRID_COLOUR
        parts.append(_element("line", x1=x, y1=top, x2=x, y2=top + height, stroke=colour))
        y = top + height + AXIS_LABEL_HEIGHT / 2
        parts.append(
            _text(
                x,
                _baseline(y, SMALL_FONT_SIZE),
                _format(tick),
                text_anchor="middle",
                font_size=SMALL_FONT_SIZE,
            )
        )
    return parts


def grouped_bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[Number]]],
    id_prefix: str,
) -> SafeString:
    """Vertical columns grouped by category, one per series, in the legend's order."""
    for name, values in series:
        _check_values(name, values, len(categories))
    all_values = [value for _, values in series for value in values]
    ticks = nice_ticks(max(all_values, default=0), whole=_all_whole(all_values))
    names = [name for name, _ in series]
    group_width = len(series) * (COLUMN_WIDTH + COLUMN_GAP) + PAD * 2
    left = _text_width([_format(tick) for tick in ticks], SMALL_FONT_SIZE) + PAD * 2
    slot = max(group_width, _text_width(categories) + PAD, _share(CHART_WIDTH - left, categories))
    right = left + slot * len(categories)
    top = PAD * 2  # room for the top tick value, centred on its gridline
    width = max(right, left + _legend_width(names)) + PAD * 2
    body = _value_gridlines(ticks, left=left, right=right, top=top, height=PLOT_HEIGHT)
    columns_width = len(series) * (COLUMN_WIDTH + COLUMN_GAP) - COLUMN_GAP
    for index, category in enumerate(categories):
        middle = left + index * slot + slot / 2
        start = middle - columns_width / 2
        for position, (name, values) in enumerate(series):
            height = values[index] / ticks[-1] * PLOT_HEIGHT
            column = _element(
                "rect",
                _tooltip(f"{name}, {category}: {_format(values[index])}"),
                x=start + position * (COLUMN_WIDTH + COLUMN_GAP),
                y=top + PLOT_HEIGHT - height,
                width=COLUMN_WIDTH,
                height=height,
                fill=_colour(position),
            )
            body.append(column)
        label_y = _baseline(top + PLOT_HEIGHT + AXIS_LABEL_HEIGHT / 2)
        body.append(_text(middle, label_y, category, text_anchor="middle"))

    def swatch(position: int, x: float, middle: float) -> str:
        colour = _colour(position)
        return _element("rect", x=x, y=middle - 8, width=SWATCH_WIDTH, height=16, fill=colour)

    legend, legend_height = _legend(
        names, swatch, left=left, top=top + PLOT_HEIGHT + AXIS_LABEL_HEIGHT, width=width - PAD
    )
    return _svg(
        title=title,
        desc="Grouped bar chart; the data are in the table beside it.",
        id_prefix=id_prefix,
        width=width,
        height=top + PLOT_HEIGHT + AXIS_LABEL_HEIGHT + legend_height + PAD,
        body=body + legend,
    )


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[Number | None]]],
    id_prefix: str,
) -> SafeString:
    """One line per series across ``labels`` (years, say); None is a gap, not a zero."""
    for name, values in series:
        _check_values(name, values, len(labels))
    all_values = [value for _, values in series for value in values if value is not None]
    ticks = nice_ticks(max(all_values, default=0), whole=_all_whole(all_values))
    names = [name for name, _ in series]
    left = _text_width([_format(tick) for tick in ticks], SMALL_FONT_SIZE) + PAD * 2
    slot = max(_text_width(labels) + PAD * 2, _share(CHART_WIDTH - left, labels))
    right = left + slot * len(labels)
    top = PAD * 2
    width = max(right, left + _legend_width(names)) + PAD * 2

    def x_of(index: int) -> float:
        return left + index * slot + slot / 2

    def y_of(value: Number) -> float:
        return top + PLOT_HEIGHT - value / ticks[-1] * PLOT_HEIGHT

    body = _value_gridlines(ticks, left=left, right=right, top=top, height=PLOT_HEIGHT)
    for index, label in enumerate(labels):
        label_y = _baseline(top + PLOT_HEIGHT + AXIS_LABEL_HEIGHT / 2)
        body.append(_text(x_of(index), label_y, label, text_anchor="middle"))
    for position, (name, values) in enumerate(series):
        for run in _runs(values):
            # A run of one point has no line, only its marker.
            if len(run) > 1:
                body.append(_line([(x_of(index), y_of(values[index])) for index in run], position))
        for index, value in enumerate(values):
            if value is not None:
                tooltip = f"{name}, {labels[index]}: {_format(value)}"
                body.append(_marker(x_of(index), y_of(value), position, tooltip))

    def swatch(position: int, x: float, middle: float) -> str:
        sample = _line([(x, middle), (x + SWATCH_WIDTH, middle)], position)
        return sample + _marker(x + SWATCH_WIDTH / 2, middle, position)

    legend, legend_height = _legend(
        names, swatch, left=left, top=top + PLOT_HEIGHT + AXIS_LABEL_HEIGHT, width=width - PAD
    )
    return _svg(
        title=title,
        desc="Line chart; the data are in the table beside it.",
        id_prefix=id_prefix,
        width=width,
        height=top + PLOT_HEIGHT + AXIS_LABEL_HEIGHT + legend_height + PAD,
        body=body + legend,
    )


def _share(width: float, slots: Sequence[str]) -> float:
    """Each slot's share of the chart's width (after the axis and right margin)."""
    return (width - PAD * 2) / max(len(slots), 1)


def _runs(values: Sequence[Number | None]) -> list[list[int]]:
    """Indexes of the unbroken stretches of values: a line is not drawn across a None."""
    runs: list[list[int]] = []
    previous_missing = True
    for index, value in enumerate(values):
        if value is None:
            previous_missing = True
            continue
        if previous_missing:
            runs.append([])
        runs[-1].append(index)
        previous_missing = False
    return runs


def _colour(position: int) -> str:
    return PALETTE[position % len(PALETTE)]


def _line(points: list[tuple[float, float]], position: int) -> str:
    return _element(
        "polyline",
        points=" ".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y in points),
        fill="none",  # a polyline is filled black unless told otherwise
        stroke=_colour(position),
        stroke_width=3,
        stroke_dasharray=DASHES[position % len(DASHES)],
        stroke_linejoin="round",
    )


def _marker(x: float, y: float, position: int, tooltip: str = "") -> str:
    content = _tooltip(tooltip) if tooltip else ""
    return _element("circle", content, cx=x, cy=y, r=4, fill=_colour(position))
