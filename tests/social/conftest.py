"""Social tests: the platforms' fixture responses on 127.0.0.1, with paging by query parameter."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from presswatch.demo.server import FixtureServer, RequestRecord, Resource

DATA = Path(__file__).resolve().parents[1] / "data" / "social"
SITE = DATA / "site"


class PagedFixtureServer(FixtureServer):
    """A fixture server that answers ``/dir/name.ext?key=value`` from ``/dir/name@key=value.ext``.

    The platforms page by query parameter (Telegram ``before``, Mastodon ``max_id``, Bluesky
    ``cursor``, Reddit ``after``); the plain server ignores queries. A request without a matching
    variant file gets the plain file, as before.
    """

    _local = threading.local()

    def record(self, record: RequestRecord) -> None:
        super().record(record)
        self._local.query = urlsplit(record.path).query  # the handler thread asks next

    def resource(self, route: str) -> Resource | None:
        query = getattr(self._local, "query", "")
        for name, value in parse_qsl(query):
            found = super().resource(variant(route, name, value))
            if found is not None:
                return found
        return super().resource(route)


def variant(route: str, name: str, value: str) -> str:
    """The route of the file that holds one query's answer."""
    folder, _, file = route.rpartition("/")
    stem, dot, suffix = (file or "index.html").rpartition(".")
    return f"{folder}/{stem}@{name}={value}.{suffix}" if dot else route


@pytest.fixture
def social_site() -> Iterator[PagedFixtureServer]:
    """The platforms' fixture responses, served on a free port."""
    with PagedFixtureServer(SITE) as server:
        yield server


def sources_text(*keys: str) -> str:
    """The social test sources (all of them, or those named), with {{BASE}} still to fill."""
    text = (DATA / "sources.toml").read_text(encoding="utf-8")
    if not keys:
        return text
    blocks = text.split("\n[source.")
    return "\n".join("[source." + b for b in blocks[1:] if b.split("]", 1)[0] in keys)
