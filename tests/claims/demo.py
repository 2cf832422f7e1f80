"""The demo's fixture pages as documents, and its claim base, for the claim and flag tests."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from presswatch.claims.base import parse_claims
from presswatch.claims.records import ClaimEntry
from presswatch.crawlers.extract import extract
from presswatch.demo.server import SITES, render
from presswatch.document import Document
from presswatch.errors import ExtractionError
from presswatch.pipeline.normalize import clean_text
from presswatch.sources import SourceConfig, load_sources

BASE = "http://127.0.0.1:8765"
NOW = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
CLAIMS_FILE = SITES.parent / "claims.json"


def manifest() -> list[dict[str, object]]:
    """The demo's page list with what each page is there to show."""
    data: list[dict[str, object]] = json.loads((SITES / "manifest.json").read_text("utf-8"))
    return data


def demo_sources_text() -> str:
    """The demo's sources.toml with the placeholder base URL filled in."""
    return (SITES / "sources.toml").read_text("utf-8").replace("{{BASE}}", BASE)


@lru_cache(maxsize=1)
def demo_sources() -> dict[str, SourceConfig]:
    """The demo's sources, by key."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sources.toml"
        path.write_text(demo_sources_text(), "utf-8")
        return {s.key: s for s in load_sources(path)}


def demo_claims() -> list[ClaimEntry]:
    """The demo claim base, numbered from 1 in file order as if stored."""
    entries = parse_claims(CLAIMS_FILE.read_text("utf-8"), "json", base_url=BASE, now=NOW)
    return [ClaimEntry(**{**_fields(e), "id": i}) for i, e in enumerate(entries, 1)]


def _fields(entry: ClaimEntry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in entry.__dataclass_fields__}


@lru_cache(maxsize=1)
def demo_documents() -> dict[str, Document]:
    """Each collectable demo page, extracted and normalised as the pipeline would."""
    sources = demo_sources()
    docs: dict[str, Document] = {}
    for page in manifest():
        via = list(page["via"]) or [page["outlet"]]  # type: ignore[call-overload]
        if not page.get("collect") or str(via[0]) not in sources:
            continue
        source = sources[str(via[0])]
        url = BASE + str(page["path"])
        html = render((SITES / str(page["path"]).lstrip("/")).read_text("utf-8"), BASE, NOW)
        try:
            found = extract(html, url=url, hints=source.extract)
        except ExtractionError:
            continue
        docs[str(page["id"])] = Document(
            url=url, source=source.key, source_kind=source.source_kind,
            title=clean_text(found.title), text=clean_text(found.text),
            published_at=found.published_at, canonical_url=url,
        )  # fmt: skip
    return docs
