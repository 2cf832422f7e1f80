"""Import: streaming readers of export files — CSV, JSON Lines and JSON arrays — row by row.

No reader holds the file in memory: a 100,000-row export is read in constant memory, and each
row comes with its line (CSV, JSONL) or item number (JSON) so that a bad row can be named.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from presswatch.errors import InputError

CSV_FIELD_LIMIT = 1_000_000  # one post's text; the csv module's default (128 KiB) is too small
_CHUNK = 1 << 16

Row = dict[str, Any]


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it (for progress)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def file_format(path: Path, declared: str = "") -> str:
    """csv, jsonl or json: as declared, else by the file's suffix."""
    if declared:
        return declared
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    return "csv"


def read_rows(
    stream: BinaryIO, fmt: str, *, encoding: str = "utf-8-sig", delimiter: str = ","
) -> Iterator[tuple[int, Row | None, str]]:
    """(line or item number, row, problem) for each row; a row that cannot be read is None."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    try:
        if fmt == "csv":
            yield from _csv_rows(text, delimiter)
        elif fmt == "jsonl":
            yield from _jsonl_rows(text)
        elif fmt == "json":
            yield from _json_rows(text)
        else:
            raise InputError(f"unknown file format {fmt!r}; use csv, jsonl or json")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the file is not {encoding}: {exc}; set `encoding` in the mapping"
        ) from None
    finally:
        text.detach()


def _csv_rows(text: io.TextIOWrapper, delimiter: str) -> Iterator[tuple[int, Row | None, str]]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(f"line 1: unreadable CSV header: {exc}") from None
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, None, f"unreadable CSV: {exc}"
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield start, None, f"{len(values)} columns where the header has {len(header)}"
            continue
        yield start, dict(zip(header, values, strict=True)), ""


def _jsonl_rows(text: io.TextIOWrapper) -> Iterator[tuple[int, Row | None, str]]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not JSON: {exc.msg}"
            continue
        if isinstance(value, dict):
            yield number, value, ""
        else:
            yield number, None, "not a JSON object"


def _json_rows(text: io.TextIOWrapper) -> Iterator[tuple[int, Row | None, str]]:
    """Items of a top-level JSON array, decoded one at a time from a sliding buffer."""
    decoder = json.JSONDecoder()
    buffer, pos, number = text.read(_CHUNK), 0, 0
    pos = _skip(buffer, pos)
    if buffer[pos : pos + 1] != "[":
        raise InputError("a JSON export must be one array of objects (or use JSON Lines)")
    pos += 1
    while True:
        pos = _skip(buffer, pos, ",")
        while pos >= len(buffer) or buffer[pos] in " \t\r\n,":
            more = text.read(_CHUNK)
            if not more:
                raise InputError(f"item {number + 1}: the JSON array is not closed")
            buffer, pos = buffer[pos:] + more, 0
            pos = _skip(buffer, pos, ",")
        if buffer[pos] == "]":
            return
        number += 1
        value, pos, buffer = _decode_next(decoder, text, buffer, pos, number)
        if isinstance(value, dict):
            yield number, value, ""
        else:
            yield number, None, "not a JSON object"


def _decode_next(
    decoder: json.JSONDecoder, text: io.TextIOWrapper, buffer: str, pos: int, number: int
) -> tuple[Any, int, str]:
    """Decode one value at ``pos``, reading more of the file until it is complete."""
    while True:
        try:
            value, end = decoder.raw_decode(buffer, pos)
        except json.JSONDecodeError as exc:
            more = text.read(_CHUNK)
            if not more:
                raise InputError(f"item {number}: not JSON: {exc.msg}") from None
            buffer, pos = buffer[pos:] + more, 0
            continue
        if end == len(buffer):  # a number may continue in the next chunk
            more = text.read(_CHUNK)
            if more:
                buffer, pos = buffer[pos:] + more, 0
                continue
        return value, end, buffer


def _skip(buffer: str, pos: int, extra: str = "") -> int:
    while pos < len(buffer) and (buffer[pos].isspace() or buffer[pos] in extra):
        pos += 1
    return pos
