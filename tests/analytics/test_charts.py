"""Inline SVG charts: escaped, accessible, every number on the chart and in a table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from app.analytics.charts import bar_chart, horizontal_bars, line_chart, week_label

EVIL = '<script>alert("x")</script> & "quotes"'


def svg_of(markup: str) -> ET.Element:
    """The <svg> element parsed as XML: it must be well-formed to parse at all."""
    return ET.fromstring(re.search(r"<svg.*</svg>", str(markup), re.S).group(0))


def test_a_bar_chart_labels_every_bar_with_its_number():
    chart = bar_chart("c1", "Completed per week", ["7 Sep", "14 Sep", "21 Sep"], [2, 0, 5], "done")
    svg = svg_of(chart)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img" and svg.get("aria-label") == "Completed per week"
    assert svg.find(f"{ns}title").text == "Completed per week"
    assert [t.text for t in svg.iter(f"{ns}text") if "value-label" in t.get("class")] == [
        "2",
        "0",
        "5",
    ]
    heights = [float(r.get("height")) for r in svg.iter(f"{ns}rect")]
    assert heights[1] == 0 and heights[2] > heights[0] > 0
    assert '<th scope="row">21 Sep</th><td>5</td>' in chart


def test_titles_and_labels_are_escaped_everywhere():
    charts = [
        bar_chart("c1", EVIL, [EVIL], [1], EVIL),
        line_chart("c2", EVIL, [EVIL], [(EVIL, [1], "series-open")]),
        horizontal_bars("c3", EVIL, [(EVIL, 3, "s-pending")], EVIL),
    ]
    for chart in charts:
        assert "<script>" not in chart
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;" in chart
        svg_of(chart)  # still well-formed


def test_a_line_chart_draws_each_series_with_numbered_points_and_a_legend():
    chart = line_chart(
        "c2",
        "Open and overdue",
        ["7 Sep", "14 Sep"],
        [("Open", [3, 4], "a"), ("Overdue", [0, 1], "b")],
    )
    ns = "{http://www.w3.org/2000/svg}"
    svg = svg_of(chart)
    assert len(list(svg.iter(f"{ns}polyline"))) == 2
    assert len(list(svg.iter(f"{ns}circle"))) == 4
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert {"Open", "Overdue", "3", "4", "0", "1"} <= set(texts)
    assert '<th scope="row">14 Sep</th><td>4</td><td>1</td>' in chart


def test_horizontal_bars_with_all_zeros_draw_nothing_but_still_say_zero():
    chart = horizontal_bars("c3", "By status", [("Pending", 0, "s"), ("Done", 0, "s")], "tasks")
    ns = "{http://www.w3.org/2000/svg}"
    assert [float(r.get("width")) for r in svg_of(chart).iter(f"{ns}rect")] == [0, 0]
    assert [t.text for t in svg_of(chart).iter(f"{ns}text")].count("0") == 2


def test_week_labels_are_day_and_month():
    assert week_label("2026-09-07") == "7 Sep"
