"""Training data: a forgiving reader of ReINTEL-format (and vfnd-format) CSV files of posts.

ReINTEL exports are dirty the way real exports are: unquoted commas cut a post's text and push the
later columns to the right (the row keeps its column count, so trailing numbers are lost), numbers
arrive as "173.0", "1 comment" or "unknown", and a few timestamps are date strings in the wrong
column. The reader repairs what it can and records each repair so a person can check it.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import math
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from presswatch.errors import InputError

log = logging.getLogger(__name__)

REINTEL_COLUMNS = (
    "id",
    "user_name",
    "post_message",
    "timestamp_post",
    "num_like_post",
    "num_comment_post",
    "num_share_post",
    "label",
)
VFND_COLUMNS = ("text", "label")
VIETNAM_TIME = timezone(timedelta(hours=7))
_EPOCH = re.compile(r"^\s*\d{9,10}(?:\.\d+)?\s*$")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)(?:\s*[a-z]+)?\s*$", re.IGNORECASE)
_DATE = re.compile(r"^\s*([A-Z][a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4}), (\d\d:\d\d:\d\d)")


@dataclass(slots=True)
class Post:
    """One labelled post; ``group`` is an opaque hash used only to keep a poster in one CV fold."""

    id: str
    group: str
    text: str
    published_at: datetime | None = None
    likes: int | None = None  # None: the file has no engagement columns (vfnd)
    comments: int | None = None
    shares: int | None = None
    label: int | None = None


@dataclass(slots=True)
class Repair:
    """One change the reader made to a row, for a person to check."""

    line: int  # physical line in the file where the row starts
    post_id: str
    what: str


@dataclass(slots=True)
class ReadResult:
    """The posts of a file and every repair made while reading it."""

    posts: list[Post] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    skipped: list[Repair] = field(default_factory=list)


def read_reintel(path: Path | str) -> list[Post]:
    """Read a ReINTEL-format CSV into posts, repairing shifted rows (each repair is logged)."""
    result = parse_reintel(path)
    for repair in result.repairs:
        log.info("%s line %d (id %s): %s", path, repair.line, repair.post_id, repair.what)
    return result.posts


def read_vfnd(path: Path | str) -> list[Post]:
    """Read a vfnd-format CSV (columns text,label) into posts without time or engagement."""
    posts = []
    for index, (line, row) in enumerate(_rows(path, VFND_COLUMNS)):
        if len(row) < 2:
            raise InputError(f"{path} line {line}: expected text,label, got {len(row)} field(s)")
        text, label = ",".join(row[:-1]), _label(row[-1], path, line)
        posts.append(Post(id=str(index), group=f"vfnd-{index}", text=text.strip(), label=label))
    return posts


def read_posts(path: Path | str) -> list[Post]:
    """Read a ReINTEL- or vfnd-format CSV, chosen by its header."""
    return parse_posts(path).posts


def file_format(path: Path | str) -> str:
    """ "vfnd" or "reintel", from the file's header."""
    return "vfnd" if _header(path)[: len(VFND_COLUMNS)] == list(VFND_COLUMNS) else "reintel"


def parse_posts(path: Path | str) -> ReadResult:
    """Posts and repairs of a ReINTEL- or vfnd-format CSV, chosen by its header."""
    if file_format(path) == "vfnd":
        return ReadResult(read_vfnd(path))
    return parse_reintel(path)


def parse_reintel(path: Path | str) -> ReadResult:
    """Read a ReINTEL-format CSV and return its posts with the list of repairs made."""
    result = ReadResult()
    has_label = "label" in _header(path)
    for line, row in _rows(path, REINTEL_COLUMNS[:3]):
        post_id = row[0] if row else "?"
        if len(row) < 4:
            result.skipped.append(Repair(line, post_id, f"skipped: only {len(row)} field(s)"))
            continue
        notes: list[str] = []
        result.posts.append(_post(row, has_label, notes, (path, line)))
        result.repairs.extend(Repair(line, post_id, note) for note in notes)
    return result


def group_key(user_name: str) -> str:
    """An opaque key for cross-validation groups; never shown or stored as a person attribute."""
    return hashlib.sha256(f"presswatch-cv-group:{user_name}".encode()).hexdigest()[:16]


def _post(row: list[str], has_label: bool, notes: list[str], where: tuple[Path | str, int]) -> Post:
    label = _label(row[-1], *where) if has_label else None
    body = row[:-1] if has_label else row
    ts_index = _timestamp_index(body)
    if ts_index > 3:
        notes.append(f"re-joined text cut by {ts_index - 3} unquoted comma(s)")
    text = ",".join(body[2:ts_index]).strip()
    published = _epoch(body[ts_index]) if ts_index < len(body) else None
    counts, published = _engagement(body[ts_index + 1 :], published, notes)
    if ts_index > 3 and len(body) - ts_index - 1 < 3:
        notes.append(f"{3 - (len(body) - ts_index - 1)} engagement count(s) lost to the shift: 0")
    if not text:
        notes.append("empty post_message")
    return Post(row[0].strip(), group_key(row[1]), text, published, *counts, label=label)


def _timestamp_index(body: list[str]) -> int:
    """Index of the timestamp field: the first epoch-looking field from column 4 on."""
    for index in range(3, len(body)):
        if _EPOCH.match(body[index]):
            return index
    return min(3, len(body))


def _engagement(
    fields: list[str], published: datetime | None, notes: list[str]
) -> tuple[tuple[int, int, int], datetime | None]:
    """Likes, comments and shares from the fields after the timestamp, right-aligned."""
    values = [0, 0, 0]
    fields = fields[-3:]
    for slot, raw in zip(range(3 - len(fields), 3), fields, strict=True):
        number, date = _count(raw)
        if date is not None:
            notes.append(f"date string {raw.strip()!r} in a count column: used as the time")
            published = published or date
        elif number is None:
            notes.append(f"{REINTEL_COLUMNS[4 + slot]}={raw.strip()!r} unreadable: 0")
        else:
            values[slot] = number
    return (values[0], values[1], values[2]), published


def _count(raw: str) -> tuple[int | None, datetime | None]:
    """A count from '173', '173.0', '1 comment'; empty is 0; a date string is returned as such."""
    if not raw.strip():
        return 0, None
    match = _NUMBER.match(raw)
    if match:
        return int(float(match.group(1))), None
    return None, _date_string(raw)


def _epoch(raw: str) -> datetime | None:
    """A UTC datetime from an epoch in seconds ('1585945439' or '1585945439.0')."""
    try:
        value = float(raw)
    except ValueError:
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def _date_string(raw: str) -> datetime | None:
    """A datetime from 'June 11th 2020, 19:03:45.000' (taken as Vietnam time)."""
    match = _DATE.match(raw)
    if not match:
        return None
    month, day, year, clock = match.groups()
    try:
        parsed = datetime.strptime(f"{month} {day} {year} {clock}", "%B %d %Y %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=VIETNAM_TIME)


def _label(raw: str, path: Path | str, line: int) -> int:
    value = raw.strip()
    if value.endswith(".0"):
        value = value[:-2]
    if value not in ("0", "1"):
        raise InputError(f"{path} line {line}: label must be 0 or 1, got {raw.strip()!r}")
    return int(value)


def _header(path: Path | str) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [name.strip() for name in next(csv.reader(handle), [])]
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text: {exc}") from exc


def _rows(path: Path | str, expected: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """Data rows with the line each starts on, after checking the header's first columns."""
    header = _header(path)
    if header[: len(expected)] != list(expected):
        raise InputError(
            f"{path}: header {','.join(header[:8])!r} is not "
            f"ReINTEL ({','.join(REINTEL_COLUMNS)}) or vfnd ({','.join(VFND_COLUMNS)})"
        )
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                yield line, row
            line = reader.line_num + 1
