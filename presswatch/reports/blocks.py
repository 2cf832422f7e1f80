"""Delivery: the report's content as plain blocks, written once and rendered as DOCX and HTML."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading: level 1 "I. ...", 2 "1. ...", 3 "a) ..." (the text carries its number)."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Para:
    """A body paragraph."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A captioned table; ``numeric`` columns are right-aligned."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = field(default_factory=frozenset)
    widths_cm: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Chart:
    """A captioned chart as PNG bytes."""

    caption: str
    png: bytes


Block = Heading | Para | Table | Chart
