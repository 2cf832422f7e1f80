"""Import: social-listening exports and platform downloads (CSV, JSON, JSONL) as documents.

A mapping (``config/imports.toml``; ``generic`` is built in) names the columns that hold the
text, URL, channel, publish time, counts and platform. Rows are read as a stream and stored in
batches through ``repository.add_documents``, so each post is stored once: its key is the
canonical URL, or a stable hash of platform, channel, text and time when a row has no URL. A
second import of the same file adds no document (and no engagement reading that did not change).
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine

from presswatch.crawlers.social_common import (
    ENGAGEMENT_KEYS,
    POSTER_CHANNEL,
    parse_count,
    post_document,
)
from presswatch.document import Document
from presswatch.errors import ConfigError
from presswatch.imports_readers import CountingReader, Row, file_format, read_rows
from presswatch.sources import SourceConfig

FIELDS = (
    "text", "title", "url", "channel", "published_at", "platform", "language", "reply_to_url",
    *ENGAGEMENT_KEYS,
)  # fmt: skip
GENERIC_COLUMNS = (
    "platform",
    "channel",
    "url",
    "published_at",
    "text",
    "likes",
    "comments",
    "shares",
)
BATCH_ROWS = 2000
BAD_ROWS_KEPT = 1000  # the first bad rows are listed; all are counted
_EPOCH = re.compile(r"^\d{9,11}(?:\.\d+)?$")
_URL = re.compile(r"^https?://[^\s/]+")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_COUNT_UNIT = re.compile(
    r"\s*(?:likes?|comments?|shares?|views?|reactions?|lượt(?: thích| xem| chia sẻ)?"
    r"|bình luận|chia sẻ)$",
    re.IGNORECASE,
)
_NO_COUNT = frozenset({"", "-", "n/a", "na", "none", "null", "unknown", "không rõ"})
_MAPPING_KEYS = {
    "columns", "platform", "time_format", "timezone", "format", "delimiter", "encoding",
    "organisation_pages", "source_name", "description",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mapping:
    """How one export's columns become a post: field → column(s), and how to read them."""

    name: str
    columns: dict[str, tuple[str, ...]]
    platform: str = ""  # used when the row has no platform column (or it is empty)
    time_format: str = ""  # strptime format; "" = ISO 8601 or Unix seconds
    timezone: str = "Asia/Ho_Chi_Minh"  # for times written without an offset
    format: str = ""  # csv | jsonl | json; "" = by the file's suffix
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    organisation_pages: frozenset[str] = frozenset()  # channels that are public organisation pages
    source_name: str = ""

    @property
    def source_key(self) -> str:
        """Key of the source the imported posts belong to."""
        return f"import-{self.name}"

    def source(self) -> SourceConfig:
        """The import source (kind ``import``) named after the mapping."""
        name = self.source_name or f"Dữ liệu nhập: {self.name}"
        options = {"platform": self.platform or "import"}
        return SourceConfig(
            key=self.source_key, name=name, kind="import", urls=(), source_kind="social",
            options=options,
        )  # fmt: skip


GENERIC = Mapping(name="generic", columns={c: (c,) for c in GENERIC_COLUMNS})


def load_mappings(path: Path | None) -> dict[str, Mapping]:
    """The built-in ``generic`` mapping and those of an imports.toml (which may override it)."""
    mappings = {"generic": GENERIC}
    if path is None or not path.exists():
        return mappings
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    for name, raw in data.get("mapping", {}).items():
        mappings[name] = mapping_from_config(name, raw, path)
    return mappings


def mapping_from_config(name: str, raw: dict[str, Any], path: Path) -> Mapping:
    """A mapping from its TOML table; ConfigError names the file, mapping and key."""
    unknown = set(raw) - _MAPPING_KEYS
    if unknown:
        raise ConfigError(f"{path}: mapping {name!r}: unknown key {sorted(unknown)[0]!r}; "
                          f"known: {', '.join(sorted(_MAPPING_KEYS))}")  # fmt: skip
    columns: dict[str, tuple[str, ...]] = {}
    for key, value in dict(raw.get("columns", {})).items():
        if key not in FIELDS:
            raise ConfigError(f"{path}: mapping {name!r}: column for {key!r}, which is not one "
                              f"of {', '.join(FIELDS)}")  # fmt: skip
        columns[key] = (value,) if isinstance(value, str) else tuple(str(v) for v in value)
    if "text" not in columns:
        raise ConfigError(f"{path}: mapping {name!r} needs columns.text (the post's text)")
    mapping = Mapping(
        name=name, columns=columns, platform=str(raw.get("platform", "")),
        time_format=str(raw.get("time_format", "")),
        timezone=str(raw.get("timezone", "Asia/Ho_Chi_Minh")),
        format=str(raw.get("format", "")), delimiter=str(raw.get("delimiter", ",")),
        encoding=str(raw.get("encoding", "utf-8-sig")),
        organisation_pages=frozenset(raw.get("organisation_pages", ())),
        source_name=str(raw.get("source_name", "")),
    )  # fmt: skip
    _zone(mapping)
    return mapping


def _zone(mapping: Mapping) -> ZoneInfo:
    try:
        return ZoneInfo(mapping.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"mapping {mapping.name!r}: unknown timezone {mapping.timezone!r}; "
                          "for example Asia/Ho_Chi_Minh or UTC") from None  # fmt: skip


class RowError(ValueError):
    """One row that cannot become a post (the import names its line and goes on)."""


def row_document(row: Row, mapping: Mapping, source: SourceConfig, read_at: datetime) -> Document:
    """The post of one export row; RowError says why a row is unusable."""
    cols = mapping.columns
    text = _get(row, cols.get("text", ()))
    if not text:
        raise RowError("no text")
    platform = (_get(row, cols.get("platform", ())) or mapping.platform or "import").lower()[:40]
    channel = _get(row, cols.get("channel", ()))
    published = parse_row_time(_get(row, cols.get("published_at", ())), mapping)
    url = _get(row, cols.get("url", ()))
    if url and not _URL.match(url):
        raise RowError(f"url {url[:80]!r} is not an http(s) address")
    key = "" if url else post_key(platform, channel, text, published)
    doc = post_document(
        source, platform=platform, url=url or key, text=text, channel=channel,
        channel_role=POSTER_CHANNEL, title=_get(row, cols.get("title", ())),
        published_at=published, engagement={k: _count(row, cols, k) for k in ENGAGEMENT_KEYS},
        language=_get(row, cols.get("language", ())), now=read_at,
        reply_to_url=_get(row, cols.get("reply_to_url", ())),
        extra={"organisation_page": True} if channel in mapping.organisation_pages else {},
    )  # fmt: skip
    if key:
        doc.url, doc.canonical_url = "", key
    return doc


def post_key(platform: str, channel: str, text: str, published: datetime | None) -> str:
    """The stable key of a post without a URL: a hash of platform, channel, text and time."""
    when = published.isoformat() if published else ""
    body = "\x1f".join((platform, channel, " ".join(text.split()), when))
    return "urn:presswatch:post:" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:40]


def parse_row_time(value: str, mapping: Mapping) -> datetime | None:
    """A row's publish time by the mapping's format; RowError when it cannot be read."""
    if not value:
        return None
    try:
        if mapping.time_format:
            moment = datetime.strptime(value, mapping.time_format)
        elif _EPOCH.match(value):
            return datetime.fromtimestamp(float(value), UTC)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        hint = mapping.time_format or "ISO 8601 or Unix seconds"
        raise RowError(f"time {value[:40]!r} does not match {hint}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(mapping.timezone))
    return moment.astimezone(UTC)


def _get(row: Row, columns: tuple[str, ...]) -> str:
    """The stripped value of a field's column (several columns: joined by blank lines)."""
    if not columns:
        return ""
    if len(columns) == 1:
        value = row.get(columns[0])
        return value.strip() if isinstance(value, str) else ("" if value is None else str(value))
    parts = (_get(row, (c,)) for c in columns)
    return "\n\n".join(p for p in parts if p)


def _count(row: Row, columns: dict[str, tuple[str, ...]], key: str) -> int | None:
    raw = _get(row, columns.get(key, ()))
    if raw.isdigit():
        return int(raw)
    if raw.lower() in _NO_COUNT:
        return None
    raw = _COUNT_UNIT.sub("", raw)  # "1 comment", "12 shares", "3 lượt thích"
    if _THOUSANDS.fullmatch(raw):  # "1.234" / "12,345": thousands
        return int(raw.replace(".", "").replace(",", ""))
    count = parse_count(raw)
    if count is None:
        raise RowError(f"{key} {raw[:20]!r} is not a number")
    return count


@dataclass(slots=True)
class ImportSummary:
    """What one import did."""

    run_id: int = 0
    rows: int = 0
    added: int = 0
    already: int = 0
    readings: int = 0
    bad: int = 0
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (line or item, reason)


Progress = Callable[[int, int], None]  # (bytes read, rows read)


def import_file(
    engine: Engine,
    path: Path,
    mapping: Mapping,
    *,
    source: SourceConfig | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one export file; bad rows are counted, listed with their line, and skipped."""
    from presswatch.imports_store import ImportWriter

    source = source or mapping.source()
    read_at = datetime.now(UTC)
    with ImportWriter(engine, source, batch_rows) as writer, Path(path).open("rb") as raw:
        counter = CountingReader(raw)
        for number, row, problem in _rows(counter, path, mapping):
            writer.summary.rows += 1
            try:
                if row is None:
                    raise RowError(problem)
                writer.add(row_document(row, mapping, source, read_at))
            except RowError as exc:
                writer.bad(number, str(exc))
            if progress is not None and writer.summary.rows % 1000 == 0:
                progress(counter.count, writer.summary.rows)
        writer.flush()
        if progress is not None:
            progress(counter.count, writer.summary.rows)
    return writer.summary


def _rows(
    counter: CountingReader, path: Path, mapping: Mapping
) -> Iterator[tuple[int, Row | None, str]]:
    import io

    stream = io.BufferedReader(counter, buffer_size=1 << 16)
    fmt = file_format(Path(path), mapping.format)
    yield from read_rows(stream, fmt, encoding=mapping.encoding, delimiter=mapping.delimiter)


def file_size(path: Path) -> int:
    """Size of a file in bytes (for the progress bar)."""
    return os.stat(path).st_size
