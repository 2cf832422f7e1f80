"""Review desk: overview charts as inline SVG built on the server (no script, no CDN).

Colours come from CSS classes (``series-0`` …), so the strict style-src policy holds; every label is
escaped before it is placed in the markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 46
MAX_SERIES_CLASSES = 8


@dataclass(frozen=True, slots=True)
class Series:
    """One stacked series: a name and one value per bucket."""

    name: str
    values: Sequence[int]


def nice_max(value: int) -> int:
    """A round upper bound for the y axis (1, 2, 5 × 10^k)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def stacked_bars(
    buckets: Sequence[str], series: Sequence[Series], title: str, palette: str = "topics"
) -> Markup:
    """A stacked bar chart with y ticks, sparse x labels, per-bar tooltips and a legend."""
    totals = [sum(s.values[i] for s in series) for i in range(len(buckets))]
    top = nice_max(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(buckets), 1)
    parts = [
        f'<svg class="chart palette-{escape(palette)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + 24 * _legend_rows(series)}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    parts += _y_axis(top, plot_h)
    for i, bucket in enumerate(buckets):
        x = LEFT + i * slot + slot * 0.1
        y = float(TOP + plot_h)
        for k, s in enumerate(series):
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top
            y -= h
            parts.append(
                f'<rect class="bar series-{k % MAX_SERIES_CLASSES}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{slot * 0.8:.1f}" height="{h:.1f}"><title>{escape(bucket)} · '
                f"{escape(s.name)}: {value}</title></rect>"
            )
    parts += _x_labels(buckets, slot, plot_h)
    parts += _legend(series)
    parts.append("</svg>")
    return Markup("".join(parts))


def _y_axis(top: int, plot_h: int) -> list[str]:
    out = []
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        label = f"{value:g}" if value == int(value) else f"{value:.1f}"
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>'
        )
    return out


def _x_labels(buckets: Sequence[str], slot: float, plot_h: int) -> list[str]:
    every = max(1, len(buckets) // 10 + (1 if len(buckets) % 10 else 0))
    out = []
    for i, bucket in enumerate(buckets):
        if i % every:
            continue
        x = LEFT + i * slot + slot / 2
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{TOP + plot_h + 16}" '
            f'text-anchor="middle">{escape(bucket)}</text>'
        )
    return out


def _legend_rows(series: Sequence[Series]) -> int:
    return (len(series) + 3) // 4


def _legend(series: Sequence[Series]) -> list[str]:
    out = []
    for k, s in enumerate(series):
        x = LEFT + (k % 4) * 180
        y = HEIGHT - 8 + (k // 4) * 24
        out.append(
            f'<rect class="series-{k % MAX_SERIES_CLASSES}" x="{x}" y="{y - 10}" width="12" '
            f'height="12"/><text class="legend" x="{x + 18}" y="{y}">{escape(s.name)}</text>'
        )
    return out
