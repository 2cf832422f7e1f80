"""Review desk: the Jinja2 environment — autoescape always on, filters for times, links, names."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2
from fastapi.templating import Jinja2Templates

from presswatch.review import labels

TEMPLATES = Path(__file__).with_name("templates")


def make_templates(timezone: str) -> Jinja2Templates:
    """Templates with autoescaping forced on for every file and the desk's filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its extension: crawled text is hostile
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    zone = ZoneInfo(timezone)
    env.filters |= {
        "dt": lambda value, fmt="%d/%m/%Y %H:%M": format_time(value, zone, fmt),
        "ago": ago,
        "duration": duration,
        "external": external_url,
        "percent": lambda value: f"{100 * float(value or 0):.0f}%",
        "score": lambda value: f"{float(value or 0):.2f}",
        "as_json": lambda value: json.dumps(value, ensure_ascii=False, default=str),
    }
    env.globals |= {
        "L": labels,
        "label": labels.label,
        "source_line": source_line,
        "number": lambda value: f"{int(value or 0):,}".replace(",", "."),
    }
    return Jinja2Templates(env=env)


def format_time(value: datetime | None, zone: ZoneInfo, fmt: str) -> str:
    """A timestamp in the office's time zone, or a dash."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).strftime(fmt)


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in Vietnamese ("5 phút trước", "3 ngày trước")."""
    if value is None:
        return "—"
    seconds = ((now or datetime.now(UTC)) - value).total_seconds()
    if seconds < 60:
        return "vừa xong"
    return f"{duration(seconds)} trước"


def duration(seconds: float | None) -> str:
    """A length of time in Vietnamese, in its largest sensible unit."""
    if seconds is None:
        return "—"
    seconds = max(0.0, float(seconds))
    for size, unit in ((86400, "ngày"), (3600, "giờ"), (60, "phút")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds)} giây"


def external_url(url: str | None) -> str:
    """The URL when it is an http(s) link, else "" (no javascript:, data: or other schemes)."""
    if not url:
        return ""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return ""
    return url


def source_line(source_name: str, source_kind: str, platform: str, channel: str) -> str:
    """Where a document came from: a social post shows only its platform and public channel."""
    if source_kind == "social" and channel:
        return f"{platform} · {channel}" if platform else channel
    return source_name


def template_files() -> list[Path]:
    """Every template file (tests scan them for unsafe constructs)."""
    return sorted(TEMPLATES.rglob("*.html"))
