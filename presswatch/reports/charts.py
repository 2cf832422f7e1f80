"""Delivery: the quarterly report's charts as PNG bytes (matplotlib, Agg, Vietnamese labels).

DejaVu Sans ships with matplotlib and has every Vietnamese letter, so the charts render the same
on any machine; PNG metadata is left out so the same numbers give the same bytes. Figures are
built without pyplot (no global figure state), so scheduler threads can draw at the same time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

FONT = "DejaVu Sans"
COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5")
TONE_COLOURS = {"Tích cực": "#548235", "Trung lập": "#a5a5a5", "Tiêu cực": "#c00000"}
SIZE = (6.4, 3.3)
DPI = 150


@contextmanager
def _figure() -> Iterator[tuple[Figure, Axes]]:
    with rc_context({"font.family": FONT, "font.size": 9}):
        fig = Figure(figsize=SIZE, dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        ax.spines[["top", "right"]].set_visible(False)
        yield fig, ax


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _label_bars(ax: Axes, bars: Any, horizontal: bool = False) -> None:
    ax.bar_label(bars, fmt="%d", padding=2, fontsize=8)
    (ax.set_xmargin if horizontal else ax.set_ymargin)(0.15)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int], ylabel: str) -> bytes:
    """Vertical bars with their values on top."""
    with _figure() as (fig, ax):
        bars = ax.bar(list(labels), list(values), color=COLOURS[0])
        _label_bars(ax, bars)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        return _png(fig)


def barh_chart(title: str, labels: Sequence[str], values: Sequence[int], xlabel: str) -> bytes:
    """Horizontal bars, largest on top (long Vietnamese labels stay readable)."""
    with _figure() as (fig, ax):
        fig.set_size_inches(SIZE[0], max(SIZE[1], 0.42 * len(labels) + 1.0))
        wrapped = [_wrap(label, 34) for label in labels]
        bars = ax.barh(wrapped[::-1], list(values)[::-1], color=COLOURS[5])
        _label_bars(ax, bars, horizontal=True)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _png(fig)


def grouped_bars(
    title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]], ylabel: str
) -> bytes:
    """Bars side by side per label, one colour per series (e.g. this and last quarter)."""
    with _figure() as (fig, ax):
        width = 0.8 / max(len(series), 1)
        for i, (name, values) in enumerate(series.items()):
            xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
            bars = ax.bar(xs, list(values), width, label=name, color=COLOURS[i % len(COLOURS)])
            ax.bar_label(bars, labels=[f"{v:.1f}".replace(".", ",") for v in values],
                         padding=2, fontsize=7)  # fmt: skip
        ax.set_xticks(range(len(labels)), list(labels))
        ax.set_ymargin(0.15)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False, fontsize=8)
        return _png(fig)


def pie_chart(title: str, labels: Sequence[str], values: Sequence[int]) -> bytes:
    """Shares of a whole; empty slices are left out."""
    with _figure() as (fig, ax):
        pairs = [(label, v) for label, v in zip(labels, values, strict=True) if v > 0]
        if pairs:
            names = [n for n, _ in pairs]
            colours = [TONE_COLOURS.get(n, COLOURS[i % len(COLOURS)]) for i, n in enumerate(names)]
            ax.pie([v for _, v in pairs], labels=names, autopct="%1.1f%%", startangle=90,
                   colors=colours, textprops={"fontsize": 8},
                   wedgeprops={"linewidth": 1, "edgecolor": "white"})  # fmt: skip
            ax.axis("equal")
        else:
            ax.text(0.5, 0.5, "Không có dữ liệu", ha="center", va="center")
            ax.set_axis_off()
        ax.set_title(title)
        return _png(fig)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
