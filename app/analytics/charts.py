"""Charts as inline SVG, pure: data in, escaped markup out, with a table of the same numbers.

No script and no network: each chart is an <svg role="img"> with a <title> and aria-label,
every number written on the chart, and a <details> table for screen readers and copying."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from babel.dates import format_skeleton
from flask_babel import gettext
from markupsafe import Markup, escape

from app.core.i18n import DEFAULT_LANGUAGE, current_language, format_number, format_short_day

# Narrow enough that a phone shows the 13px text at about 11px.
WIDTH = 360
HBAR_WIDTH = 320
PLOT_TOP = 34
PLOT_BOTTOM = 170
LEFT = 4
RIGHT = 4


def week_label(iso_day: str) -> str:
    """'2026-09-07' -> '7 Sep' ('7. Sept.', '9月7日'), in the current language."""
    day, month = week_axis_label(iso_day)
    if current_language() == DEFAULT_LANGUAGE:
        return f"{day} {month}"
    return format_short_day(date.fromisoformat(iso_day))


def week_axis_label(iso_day: str) -> tuple[str, str]:
    """The day and the month of a week's start, written apart for the axis: ('7', 'Sep'),
    ('7', 'Sept.'), ('7日', '9月')."""
    day = date.fromisoformat(iso_day)
    code = current_language()
    if code == DEFAULT_LANGUAGE:
        # Tickler's English months in three letters ('Sep', where CLDR's British says 'Sept').
        return str(day.day), ENGLISH_MONTHS[day.month - 1]
    return format_skeleton("d", day, locale=code), format_skeleton("MMM", day, locale=code)


ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


# A chart's hover text for one value: (label, value) -> "bug: 3 open tasks".
ValueText = Callable[[str, int], str]


def _figure(
    chart_id: str, title: str, svg_body: str, height: int, table: str, width: int = WIDTH
) -> Markup:
    label = escape(title)
    return Markup(
        f'<figure class="chart" id="{escape(chart_id)}"><figcaption>{label}</figcaption>'
        f'<svg class="chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{label}" aria-labelledby="{escape(chart_id)}-title" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{label}</title>{svg_body}</svg>'
        f"{table}</figure>"
    )


def _table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    summary = escape(gettext("The numbers as a table"))
    return (
        f'<details class="chart-data"><summary>{summary}</summary>'
        f'<table class="table"><caption>{escape(title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def _slots(count: int) -> tuple[float, list[float]]:
    """The width of each column and the x of its centre."""
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return slot, [LEFT + slot * (i + 0.5) for i in range(count)]


def _y(value: float, top_value: float) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (value / top_value if top_value else 0)


def _axis(labels: Sequence[tuple[str, str]], centres: Sequence[float], gap: int) -> str:
    """The baseline, and each label as its day under the point with the month below it when
    the month changes ('7 Sep' -> '7' over 'Sep'), so twelve weeks fit a phone's width."""
    baseline = (
        f'<line class="axis" x1="{LEFT}" y1="{PLOT_BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{PLOT_BOTTOM}"/>'
    )
    ticks, previous = [], None
    for (day, month), x in zip(labels, centres, strict=True):
        ticks.append(
            f'<text class="axis-label" x="{x:.1f}" y="{PLOT_BOTTOM + gap}" '
            f'text-anchor="middle">{escape(day)}</text>'
        )
        if month and month != previous:
            ticks.append(
                f'<text class="axis-label month" x="{x:.1f}" y="{PLOT_BOTTOM + gap + 16}" '
                f'text-anchor="middle">{escape(month)}</text>'
            )
        previous = month
    return baseline + "".join(ticks)


def _height(gap: int) -> int:
    return PLOT_BOTTOM + gap + 22


def _split(labels: Sequence[str]) -> list[tuple[str, str]]:
    """'7 Sep' -> ('7', 'Sep'): the axis's day and month when none were given."""
    return [(day, month) for day, _, month in (label.partition(" ") for label in labels)]


def _default_text(value_name: str) -> ValueText:
    return lambda label, value: f"{label}: {format_number(value)} {value_name}"


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    value_name: str,
    value_text: ValueText | None = None,
    axis: Sequence[tuple[str, str]] | None = None,
) -> Markup:
    """Vertical bars, one per label, each with its number on top; `value_name` heads the
    table's column, `value_text` says a bar's value in its tooltip, `axis` gives each label's
    (day, month) under the bars."""
    value_text = value_text or _default_text(value_name)
    slot, centres = _slots(len(values))
    top = max(values, default=0)
    bar_width = slot * 0.62
    bars = []
    for label, value, x in zip(labels, values, centres, strict=True):
        y = _y(value, top)
        bars.append(
            f'<rect class="bar" x="{x - bar_width / 2:.1f}" y="{y:.1f}" '
            f'width="{bar_width:.1f}" height="{PLOT_BOTTOM - y:.1f}">'
            f"<title>{escape(value_text(label, value))}</title></rect>"
            f'<text class="value-label" x="{x:.1f}" y="{y - 5:.1f}" '
            f'text-anchor="middle">{format_number(value)}</text>'
        )
    body = "".join(bars) + _axis(axis or _split(labels), centres, gap=18)
    rows = [(label, format_number(value)) for label, value in zip(labels, values, strict=True)]
    table = _table(title, [gettext("Week"), value_name], rows)
    return _figure(chart_id, title, body, _height(18), table)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
    axis: Sequence[tuple[str, str]] | None = None,
) -> Markup:
    """Lines over the same labels, (name, values, css class) each, with every point numbered
    (the first series' numbers above its points, the others' below) and a legend."""
    _, centres = _slots(len(labels))
    top = max((max(values, default=0) for _, values, _ in series), default=0)
    parts = []
    for position, (name, values, css_class) in enumerate(series):
        points = [(x, _y(v, top)) for x, v in zip(centres, values, strict=True)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline class="line {escape(css_class)}" points="{path}" fill="none"/>')
        offset = -8 if position == 0 else 16
        for (x, y), value, label in zip(points, values, labels, strict=True):
            parts.append(
                f'<circle class="dot {escape(css_class)}" cx="{x:.1f}" cy="{y:.1f}" r="3.5">'
                f"<title>{escape(name)}, {escape(label)}: {format_number(value)}</title></circle>"
                f'<text class="value-label {escape(css_class)}" x="{x:.1f}" '
                f'y="{y + offset:.1f}" text-anchor="middle">{format_number(value)}</text>'
            )
        legend_x = LEFT + position * 110
        parts.append(
            f'<rect class="legend-key {escape(css_class)}" x="{legend_x}" y="4" '
            f'width="12" height="12"/><text class="legend" x="{legend_x + 18}" y="14">'
            f"{escape(name)}</text>"
        )
    # Room under the baseline for the lower series' numbers before the axis labels.
    body = "".join(parts) + _axis(axis or _split(labels), centres, gap=34)
    rows = [
        (label, *(format_number(values[i]) for _, values, _ in series))
        for i, label in enumerate(labels)
    ]
    headers = [gettext("Week"), *(name for name, _, _ in series)]
    return _figure(chart_id, title, body, _height(34), _table(title, headers, rows))


def horizontal_bars(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, int, str]],
    value_name: str,
    margin_text: Callable[[str], str] = str,
    value_text: ValueText | None = None,
) -> Markup:
    """One labelled bar per (label, value, css class), its number at its end; `margin_text`
    shortens a label for the margin (its tooltip and the table keep it whole); `value_text`
    says a bar's value in its tooltip."""
    value_text = value_text or _default_text(value_name)
    row_height, label_width, number_room = 30, 92, 36
    height = row_height * len(items) + 8
    top = max((value for _, value, _ in items), default=0)
    room = HBAR_WIDTH - label_width - number_room
    parts = []
    for index, (label, value, css_class) in enumerate(items):
        y = 4 + index * row_height
        length = room * value / top if top else 0
        parts.append(
            f'<text class="axis-label" x="{label_width - 8}" y="{y + 18}" '
            f'text-anchor="end">{escape(margin_text(label))}</text>'
            f'<rect class="hbar {escape(css_class)}" x="{label_width}" y="{y + 4}" '
            f'width="{length:.1f}" height="{row_height - 10}">'
            f"<title>{escape(value_text(label, value))}</title></rect>"
            f'<text class="value-label" x="{label_width + length + 6:.1f}" y="{y + 18}">'
            f"{format_number(value)}</text>"
        )
    rows = [(label, format_number(value)) for label, value, _ in items]
    table = _table(title, ["", value_name], rows)
    return _figure(chart_id, title, "".join(parts), height, table, HBAR_WIDTH)
