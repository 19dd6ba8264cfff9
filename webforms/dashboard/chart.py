"""A small line chart written as SVG on the server: counts over time, readable by everyone.

Why not a plotting library or a script: the page is served under a self-only Content Security
Policy (no inline script or style), must print, and must be read by a screen reader. A few dozen
lines of SVG do all three: presentation attributes instead of styles, a ``<title>`` and
``<desc>`` that say what the chart shows, a tooltip on every point, and series told apart by
colour *and* by dash pattern and marker shape (readable in black and white). Every text is
escaped here; the page shows the same figures as a table beside it.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 44, 44
# Colour, dash pattern and marker of each series, in order: dark enough on white, and still
# distinct when printed in grey.
STYLES = (("#1f3a5f", "", "circle"), ("#a4161a", "7 4", "square"), ("#8a5300", "2 3", "diamond"))


@dataclass(frozen=True)
class Point:
    day: dt.date
    values: tuple[int, ...]


@dataclass(frozen=True)
class Axis:
    """Where a day and a count land on the drawing."""

    start: dt.date
    end: dt.date
    top: int

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return LEFT + (day - self.start).days / span * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        return HEIGHT - BOTTOM - value / self.top * (HEIGHT - TOP - BOTTOM)


def nice_top(largest: int) -> tuple[int, int]:
    """The top of the count axis and its step: 1, 2 or 5 times a power of ten, at most five
    steps (a chart of zeros still has an axis up to 1)."""
    largest = max(largest, 1)
    for power in range(0, 12):
        for factor in (1, 2, 5):
            step = factor * 10 ** power
            if math.ceil(largest / step) <= 5:
                return step * math.ceil(largest / step), step
    raise ValueError("count too large for the chart")


def month_ticks(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of months to label: every month up to a year, then fewer (at most 12)."""
    months, month = [], dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    every = max(1, math.ceil(len(months) / 12))
    return months[::every]


def line_chart(points: Sequence[Point], labels: Sequence[str], start: dt.date, end: dt.date,
               title: str, description: str, tick_label: Callable[[dt.date], str],
               chart_id: str = "chart") -> Markup:
    """The SVG of one line per series (``labels``) over ``start``..``end``."""
    top, step = nice_top(max((max(point.values) for point in points), default=0))
    axis = Axis(start, end, top)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
             f'preserveAspectRatio="xMidYMid meet">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
             '<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>',
             *count_grid(axis, step), *time_axis(axis, tick_label)]
    for index, label in enumerate(labels):
        parts.extend(series(axis, points, index, label))
    parts.extend(legend(labels))
    parts.append("</svg>")
    return Markup("".join(parts))


def count_grid(axis: Axis, step: int) -> list[str]:
    lines = []
    for value in range(0, axis.top + 1, step):
        y = axis.y(value)
        lines.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#c8d0da" stroke-width="1"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                     f'fill="#1b2430">{value}</text>')
    return lines


def time_axis(axis: Axis, tick_label: Callable[[dt.date], str]) -> list[str]:
    """The time axis: each labelled month by its short name, with the year under the first
    one and under each January."""
    base = HEIGHT - BOTTOM
    ticks = [f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" '
             f'stroke="#4a5563" stroke-width="1"/>']
    for index, month in enumerate(month_ticks(axis.start, axis.end)):
        x = axis.x(month)
        year = (f'<tspan x="{x:.1f}" dy="13">{month.year}</tspan>'
                if index == 0 or month.month == 1 else "")
        ticks.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 5}" '
                     f'stroke="#4a5563" stroke-width="1"/>'
                     f'<text class="month" x="{x:.1f}" y="{base + 17}" text-anchor="middle" '
                     f'font-size="12" fill="#1b2430">{escape(tick_label(month))}{year}</text>')
    return ticks


def series(axis: Axis, points: Sequence[Point], index: int, label: str) -> list[str]:
    colour, dashes, kind = STYLES[index % len(STYLES)]
    coordinates = [(axis.x(point.day), axis.y(point.values[index]), point) for point in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coordinates)
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    drawn = [f'<g class="series"><polyline points="{path}" fill="none" stroke="{colour}" '
             f'stroke-width="2"{dash}/>']
    drawn.extend(marker(kind, x, y, colour, f"{label}, {point.day.isoformat()}: "
                                            f"{point.values[index]}")
                 for x, y, point in coordinates)
    drawn.append("</g>")
    return drawn


def marker(kind: str, x: float, y: float, colour: str, tip: str | None = None,
           size: float = 3.5) -> str:
    """A point's marker (circle, square or diamond), with its value as a tooltip."""
    if kind == "circle":
        tag, attributes = "circle", f'cx="{x:.1f}" cy="{y:.1f}" r="{size}"'
    elif kind == "square":
        tag, attributes = "rect", (f'x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size}" '
                                   f'height="{2 * size}"')
    else:
        tag, attributes = "polygon", (
            f'points="{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y:.1f} '
            f'{x:.1f},{y + size + 1:.1f} {x - size - 1:.1f},{y:.1f}"')
    if tip is None:
        return f'<{tag} {attributes} fill="{colour}"/>'
    return f'<{tag} {attributes} fill="{colour}"><title>{escape(tip)}</title></{tag}>'


def legend(labels: Sequence[str]) -> list[str]:
    items, x = ['<g class="legend">'], LEFT
    for index, label in enumerate(labels):
        colour, dashes, kind = STYLES[index % len(STYLES)]
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        items.append(f'<line x1="{x}" y1="18" x2="{x + 28}" y2="18" stroke="{colour}" '
                     f'stroke-width="2"{dash}/>{marker(kind, x + 14, 18, colour)}'
                     f'<text x="{x + 34}" y="22" font-size="13" fill="#1b2430">'
                     f'{escape(label)}</text>')
        x += 50 + 7 * len(label)
    items.append("</g>")
    return items
