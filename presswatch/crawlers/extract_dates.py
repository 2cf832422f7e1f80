"""Extraction, dates: ISO and Vietnamese date strings to aware datetimes (+07:00 by default)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import lxml.html

#: Vietnamese pages without a zone mean Asia/Ho_Chi_Minh, which has no daylight saving time.
VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?"
)
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?!\d)")
_HM = re.compile(r"(?<![\d/])(\d{1,2})\s*[:hg]\s*(\d{2})(?!\d)(?:\s*(sáng|chiều|tối|am|pm))?", re.I)
_GMT = re.compile(r"(?:GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?", re.I)
_DATE_MARK = re.compile(r"date|time|ngay|publish|thoigian|dateline", re.I)
_EVENING = {"chiều", "tối", "pm"}


def parse_date(raw: str) -> datetime | None:
    """Parse an ISO 8601 or Vietnamese day/month/year string; None when no valid date is found."""
    raw = raw.strip()[:200]
    iso = _ISO.search(raw)
    if iso:
        return _from_iso(iso)
    return _from_dmy(raw)


def _from_iso(match: re.Match[str]) -> datetime | None:
    year, month, day, hour, minute, second, zone = match.groups()
    return _build(year, month, day, hour, minute, second, _zone(zone))


def _from_dmy(raw: str) -> datetime | None:
    day_month_year = _DMY.search(raw)
    if not day_month_year:
        return None
    day, month, year = day_month_year.groups()
    year = f"20{year}" if len(year) == 2 else year
    rest = raw[: day_month_year.start()] + " " + raw[day_month_year.end() :]
    hour, minute = _clock(rest)
    gmt = _GMT.search(rest)
    zone = _zone(f"{gmt.group(1)}:{gmt.group(2) or '00'}") if gmt else VIETNAM
    return _build(year, month, day, hour, minute, None, zone)


def _clock(text: str) -> tuple[str | None, str | None]:
    """Hour and minute of the first clock time in the text, with 'tối'/'chiều'/pm read as p.m."""
    found = _HM.search(text)
    if not found:
        return None, None
    hour, minute, period = found.groups()
    if period and period.lower() in _EVENING and int(hour) < 12:
        hour = str(int(hour) + 12)
    return hour, minute


def _zone(text: str | None) -> timezone:
    """A fixed offset from 'Z', '+07:00', '+0700', '+07' or '+7:00'; Vietnam time when absent."""
    if not text:
        return VIETNAM
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
    try:
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    except ValueError:
        return VIETNAM


def _build(
    year: str,
    month: str,
    day: str,
    hour: str | None,
    minute: str | None,
    second: str | None,
    zone: timezone,
) -> datetime | None:
    try:
        when = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            tzinfo=zone,
        )  # fmt: skip
    except ValueError:
        return None
    return when if 1990 <= when.year <= 2100 else None


def visible_date(tree: lxml.html.HtmlElement) -> datetime | None:
    """The first date shown in an element marked as a date/time that is not part of a link list."""
    for el in tree.iter("span", "div", "p", "time", "small", "em", "li", "td", "font"):
        marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"
        if not _DATE_MARK.search(marks) or _in_link(el):
            continue
        text = " ".join(el.text_content().split())
        if len(text) <= 80:
            when = _from_dmy(text)
            if when is not None:
                return when
    return None


def _in_link(el: lxml.html.HtmlElement) -> bool:
    """True when the element sits inside a link or a list item (teasers of other articles)."""
    return any(parent.tag in ("a", "li") for parent in el.iterancestors())
