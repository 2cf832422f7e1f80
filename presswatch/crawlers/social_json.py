"""Fetch: a public JSON list of posts (kind ``json``), its fields mapped like an import.

``options`` of the source give the mapping inline: ``columns`` (field → key, as in
``config/imports.toml``; default: the ``generic`` columns), ``items`` (the dotted path of the
list in the response, "" when the response is the list), ``platform``, ``time_format``,
``timezone`` and ``organisation_pages``. No paging: the list is read as served.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from presswatch.crawlers.listing import ListingResult, register
from presswatch.crawlers.social_common import ParseProblem, guarded, json_body
from presswatch.errors import ConfigError
from presswatch.sources import SourceConfig


@register("json")
@guarded("json")
def parse_json_posts(source: SourceConfig, url: str, body: bytes) -> ListingResult:
    """Posts of a JSON list, each mapped by the source's column mapping."""
    from presswatch.imports import RowError, row_document

    mapping = source_mapping(source)
    items = _items(json_body(body, url), str(source.options.get("items", "")), url)
    result = ListingResult()
    read_at = datetime.now(UTC)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            result.errors.append(("malformed_post", f"{url}: item {number} is not an object"))
            continue
        try:
            result.documents.append(row_document(item, mapping, source, read_at))
        except RowError as exc:
            result.errors.append(("malformed_post", f"{url}: item {number}: {exc}"))
    return result


def source_mapping(source: SourceConfig) -> Any:
    """The import mapping described by a json source's options."""
    from presswatch.imports import GENERIC, mapping_from_config

    keys = ("columns", "platform", "time_format", "timezone", "organisation_pages")
    raw = {k: source.options[k] for k in keys if k in source.options}
    if "columns" not in raw:
        raw["columns"] = {field: cols[0] for field, cols in GENERIC.columns.items()}
    try:
        return mapping_from_config(source.key, raw, Path("sources.toml"))
    except ConfigError as exc:
        raise ParseProblem("config", str(exc)) from None


def _items(data: Any, path: str, url: str) -> list[Any]:
    for key in [p for p in path.split(".") if p]:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        where = f"at {path!r}" if path else "at the top level"
        raise ParseProblem("malformed_json", f"{url}: no list of posts {where}")
    return data
