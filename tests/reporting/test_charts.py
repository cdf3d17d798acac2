"""The dashboards' SVG charts: well-formed, accessible, escaped, and drawn to scale."""

import math
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from reporting.charts import PALETTE, bar_chart, grouped_bar_chart, line_chart, nice_ticks

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Tom & Jerry <script>alert("x")</script>'


def _parse(svg: str) -> ET.Element:
    # Our own output, parsed to prove it is well-formed XML; no untrusted document is read.
    return ET.fromstring(svg)  # noqa: S314


def _bars(root: ET.Element) -> list[ET.Element]:
    """The data rectangles: the ones with a tooltip (legend swatches have none)."""
    return [rect for rect in root.iter(f"{NS}rect") if rect.find(f"{NS}title") is not None]


def _number(element: ET.Element, attribute: str) -> float:
    return float(element.get(attribute))


def _data_points(root: ET.Element) -> list[ET.Element]:
    """The line chart's markers for data: the ones with a tooltip (legend markers have none)."""
    return [circle for circle in root.iter(f"{NS}circle") if circle.find(f"{NS}title") is not None]


def _texts(root: ET.Element) -> list[str]:
    return [text.text for text in root.iter(f"{NS}text")]


SAMPLE_CHARTS = {
    "bar": lambda: bar_chart(
        title="Conferences by type",
        labels=["Initial/Pre-birth initial", "Review", HOSTILE],
        values=[10, 20, 0],
        id_prefix="by-type",
    ),
    "grouped": lambda: grouped_bar_chart(
        title="Categories by quarter",
        categories=["Q1", "Q2", "Q3", "Q4"],
        series=[("Neglect", [4, 8, 2, 0]), (HOSTILE, [1, 2, 3, 4])],
        id_prefix="by-quarter",
    ),
    "line": lambda: line_chart(
        title="Plans over five years",
        labels=["2020-21", "2021-22", "2022-23", HOSTILE],
        series=[("Neglect", [40, None, 55, 60]), (HOSTILE, [None, None, 3, None])],
        id_prefix="trend",
    ),
}
every_chart = pytest.mark.parametrize("make", SAMPLE_CHARTS.values(), ids=SAMPLE_CHARTS.keys())


# Every chart -----------------------------------------------------------------------------------


@every_chart
def test_a_chart_is_well_formed_svg_and_safe_to_print_into_a_template(make):
    svg = make()
    assert isinstance(svg, SafeString)
    root = _parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("width") == "100%"
    assert root.get("preserveAspectRatio")


@every_chart
def test_a_chart_is_an_image_named_and_described_by_its_title_and_desc(make):
    svg = make()
    root = _parse(svg)

    title_id, desc_id = root.get("aria-labelledby").split()

    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text
    assert "table beside it" in desc.text


@every_chart
def test_a_chart_needs_no_inline_styles_scripts_or_outside_resources(make):
    svg = make()
    root = _parse(svg)

    elements = list(root.iter())

    allowed = {"svg", "g", "rect", "line", "polyline", "circle", "text", "title", "desc"}
    assert {element.tag.removeprefix(NS) for element in elements} <= allowed
    for element in elements:
        assert "style" not in element.attrib
        assert not any("href" in name for name in element.attrib)
    assert "<script" not in svg
    assert "<style" not in svg


@every_chart
def test_labels_are_escaped_and_appear_as_text(make):
    svg = make()
    root = _parse(svg)

    words = _texts(root) + [title.text for title in root.iter(f"{NS}title")]

    assert any(HOSTILE in word for word in words)
    assert "&amp;" in svg
    assert "&lt;script&gt;" in svg


def test_control_characters_in_labels_are_dropped_so_the_xml_stays_well_formed():
    root = _parse(bar_chart(title="A\x00", labels=["Re\x1bview"], values=[1], id_prefix="a"))

    assert "Review" in _texts(root)


def test_ids_come_from_the_prefix_so_two_charts_on_a_page_do_not_clash():
    first = _parse(bar_chart(title="A", labels=["x"], values=[1], id_prefix="first"))
    second = _parse(bar_chart(title="B", labels=["x"], values=[1], id_prefix="second"))

    assert first.get("aria-labelledby") == "first-title first-desc"
    assert second.get("aria-labelledby") == "second-title second-desc"


@pytest.mark.parametrize("id_prefix", ["two words", "", '"quoted"', "1st"])
def test_an_id_prefix_that_cannot_be_an_id_is_refused(id_prefix):
    with pytest.raises(ValueError, match="id_prefix"):
        bar_chart(title="A", labels=["x"], values=[1], id_prefix=id_prefix)


# Bar chart --------------------------------------------------------------------------------------


def test_bar_lengths_are_proportional_to_values():
    root = _parse(
        bar_chart(
            title="Conferences by type",
            labels=["Initial/Pre-birth initial", "Review", "Transfer in"],
            values=[394, 197, 0],
            id_prefix="by-type",
        )
    )

    initial, review, transfer = (_number(bar, "width") for bar in _bars(root))

    assert initial == pytest.approx(2 * review, abs=0.02)
    assert transfer == 0
    # Every bar starts from the same axis.
    assert len({bar.get("x") for bar in _bars(root)}) == 1


def test_bars_print_their_value_with_the_unit_and_name_it_in_a_tooltip():
    root = _parse(
        bar_chart(
            title="Timeliness", labels=["Within 15 days"], values=[87.5], id_prefix="t", unit="%"
        )
    )

    assert "87.5%" in _texts(root)
    assert _bars(root)[0].find(f"{NS}title").text == "Within 15 days: 87.5%"


def test_the_label_column_is_wide_enough_for_the_longest_label():
    short = _parse(bar_chart(title="A", labels=["Review"], values=[1], id_prefix="a"))
    long = _parse(
        bar_chart(title="A", labels=["Initial/Pre-birth initial"], values=[1], id_prefix="a")
    )

    # Labels end just left of the bars, anchored at their end, so a longer label needs the bars
    # to start further right.
    assert _number(_bars(long)[0], "x") > _number(_bars(short)[0], "x") + 100


def test_all_zero_data_draws_zero_length_bars_without_error():
    root = _parse(bar_chart(title="None yet", labels=["a", "b"], values=[0, 0], id_prefix="z"))

    assert [_number(bar, "width") for bar in _bars(root)] == [0, 0]


def test_no_data_at_all_is_an_empty_chart():
    root = _parse(bar_chart(title="None yet", labels=[], values=[], id_prefix="empty"))

    assert _bars(root) == []


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf])
def test_bar_chart_refuses_negative_or_non_finite_values(bad):
    with pytest.raises(ValueError, match="0 or more"):
        bar_chart(title="A", labels=["a", "b"], values=[3, bad], id_prefix="a")


def test_bar_chart_refuses_values_that_do_not_match_the_labels():
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        bar_chart(title="A", labels=["a", "b", "c"], values=[1, 2], id_prefix="a")


# Grouped bar chart ------------------------------------------------------------------------------


def _quarters(series):
    return _parse(
        grouped_bar_chart(
            title="Categories by quarter",
            categories=["Q1", "Q2", "Q3", "Q4"],
            series=series,
            id_prefix="by-quarter",
        )
    )


def test_grouped_column_heights_are_proportional_and_stand_on_one_baseline():
    root = _quarters([("Neglect", [10, 20, 5, 0]), ("Emotional abuse", [40, 1, 2, 3])])

    columns = _bars(root)
    heights = [_number(column, "height") for column in columns]
    bottoms = {round(_number(column, "y") + _number(column, "height"), 2) for column in columns}

    # Columns run category by category, series by series within each.
    neglect_q1, abuse_q1, neglect_q2 = heights[0], heights[1], heights[2]
    assert neglect_q2 == pytest.approx(2 * neglect_q1, abs=0.02)
    assert abuse_q1 == pytest.approx(4 * neglect_q1, abs=0.02)
    assert heights[6] == 0  # Neglect, Q4
    assert len(bottoms) == 1


def test_each_column_names_its_series_and_category_so_colour_is_not_the_only_cue():
    root = _quarters([("Neglect", [10, 20, 5, 0]), ("Emotional abuse", [40, 1, 2, 3])])

    tooltips = [column.find(f"{NS}title").text for column in _bars(root)]

    assert tooltips[:2] == ["Neglect, Q1: 10", "Emotional abuse, Q1: 40"]


def test_the_legend_names_every_series_beside_a_swatch_of_its_colour():
    root = _quarters([("Neglect", [1, 2, 3, 4]), ("Emotional abuse", [4, 3, 2, 1])])

    swatches = [rect for rect in root.iter(f"{NS}rect") if rect not in _bars(root)]

    assert {"Neglect", "Emotional abuse"} <= set(_texts(root))
    assert [swatch.get("fill") for swatch in swatches] == list(PALETTE[:2])


def test_grouped_bar_chart_handles_all_zero_data():
    root = _quarters([("Neglect", [0, 0, 0, 0])])

    assert {_number(column, "height") for column in _bars(root)} == {0}


def test_grouped_bar_chart_refuses_negative_values_and_short_series():
    with pytest.raises(ValueError, match="0 or more"):
        _quarters([("Neglect", [1, 2, -3, 4])])
    with pytest.raises(ValueError, match="3 values for 4 labels"):
        _quarters([("Neglect", [1, 2, 3])])


# Line chart -------------------------------------------------------------------------------------


def _trend(series):
    return _parse(
        line_chart(
            title="Plans over five years",
            labels=["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"],
            series=series,
            id_prefix="trend",
        )
    )


def test_each_point_is_marked_with_a_circle_and_none_is_skipped():
    root = _trend([("Neglect", [10, None, 30, 40, None])])

    tooltips = [point.find(f"{NS}title").text for point in _data_points(root)]

    assert tooltips == [
        "Neglect, 2019-20: 10",
        "Neglect, 2021-22: 30",
        "Neglect, 2022-23: 40",
    ]


def test_a_line_is_broken_at_a_gap_rather_than_drawn_across_it():
    root = _trend([("Neglect", [10, None, 30, 40, None])])

    first, third, fourth = (f"{c.get('cx')},{c.get('cy')}" for c in _data_points(root))
    lines = [line.get("points").split() for line in root.iter(f"{NS}polyline")]

    assert [third, fourth] in lines
    assert not any(first in line for line in lines)  # 2019-20 stands alone: a marker, no line


def test_point_heights_are_proportional_to_values():
    root = _trend([("Neglect", [10, 20, 40, 0, None])])

    points = _data_points(root)
    baseline = _number(points[3], "cy")  # the value 0
    rises = [baseline - _number(point, "cy") for point in points]

    assert rises[1] == pytest.approx(2 * rises[0], abs=0.02)
    assert rises[2] == pytest.approx(4 * rises[0], abs=0.02)


def test_lines_differ_by_dash_pattern_as_well_as_colour():
    root = _trend([("Neglect", [1, 2, 3, 4, 5]), ("Emotional abuse", [5, 4, 3, 2, 1])])

    data_lines = [
        line for line in root.iter(f"{NS}polyline") if len(line.get("points").split()) == 5
    ]
    styles = {(line.get("stroke"), line.get("stroke-dasharray")) for line in data_lines}

    assert len({stroke for stroke, _ in styles}) == 2
    assert len({dashes for _, dashes in styles}) == 2
    assert all(line.get("fill") == "none" for line in root.iter(f"{NS}polyline"))


def test_a_line_chart_with_no_data_points_is_drawn_empty():
    root = _trend([("Neglect", [None, None, None, None, None])])

    assert _data_points(root) == []


def test_line_chart_refuses_negative_values():
    with pytest.raises(ValueError, match="0 or more"):
        _trend([("Neglect", [1, None, -2, 3, 4])])


# Colours and ticks ------------------------------------------------------------------------------


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", PALETTE)
def test_every_series_colour_has_3_to_1_contrast_with_white(colour):
    assert 1.05 / (_relative_luminance(colour) + 0.05) >= 3


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (394, [0, 100, 200, 300, 400]),
        (400, [0, 100, 200, 300, 400]),
        (20, [0, 5, 10, 15, 20]),
        (7, [0, 2, 4, 6, 8]),
        (3, [0, 1, 2, 3]),
        (1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (12_345, [0, 5000, 10_000, 15_000]),
        (0, [0, 1]),
    ],
)
def test_nice_ticks_run_from_zero_to_a_round_number_at_or_above_the_maximum(maximum, ticks):
    assert nice_ticks(maximum) == pytest.approx(ticks)


def test_nice_ticks_for_counts_are_whole_numbers():
    assert nice_ticks(1, whole=True) == [0, 1]
    assert nice_ticks(2, whole=True) == [0, 1, 2]


def test_nice_ticks_are_ints_when_whole_so_they_print_without_a_decimal_point():
    assert all(type(tick) is int for tick in nice_ticks(394))


def test_nice_ticks_refuses_a_negative_maximum():
    with pytest.raises(ValueError, match="0 or more"):
        nice_ticks(-5)
