"""Fetch: the one Scrapy spider — reads each source's own page, then the articles it lists.

Politeness (robots.txt, per-domain concurrency and delay, retries with backoff, timeouts, size
and redirect caps) comes from the Scrapy settings built in ``engine.py``; this module only moves
bytes between Scrapy, the parsers in ``listing.py``, the extractor and the ``CrawlStore``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from presswatch.crawlers.errors import classify_failure
from presswatch.crawlers.extract import extract
from presswatch.crawlers.listing import Link, parse_listing
from presswatch.crawlers.social import record_reading
from presswatch.crawlers.store import CrawlStore
from presswatch.crawlers.urls import canonicalize, choose_canonical
from presswatch.document import Document
from presswatch.errors import ExtractionError
from presswatch.sources import SourceConfig

log = logging.getLogger(__name__)
MAX_LISTING_PAGES = 5  # pages of one source followed per poll (paging, sitemap indexes)


class PressWatchSpider(scrapy.Spider):
    """Crawls the configured sources of one run."""

    name = "presswatch"

    def __init__(
        self,
        sources: list[SourceConfig],
        validators: dict[str, tuple[str, str]],
        store: CrawlStore,
        max_items: int,
        extract_workers: int = 1,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sources = {s.key: s for s in sources}
        self.validators = validators
        self.store = store
        self.max_items = max_items
        self.extract_workers = extract_workers
        self._pool: ProcessPoolExecutor | None = None
        self.requested: set[str] = set()  # canonical URLs asked for in this run, any source

    async def _extract(self, source: SourceConfig, link: Link, url: str, body: bytes) -> Document:
        """Extraction is CPU work: in the crawl's own thread it would stall every download."""
        if self.extract_workers <= 0:
            return article_document(source, link, url, body)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.extract_workers,
                mp_context=get_context("spawn"),
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, article_document, source, link, url, body)

    def closed(self, reason: str) -> None:
        """Stop the extraction workers when the crawl ends."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    async def start(self) -> Any:
        """One request per configured URL of each source, with conditional-GET headers."""
        for source in self.sources.values():
            for url in source.urls:
                yield self._listing_request(source, url, first=True)

    def _listing_request(
        self, source: SourceConfig, url: str, *, first: bool, page: int = 0
    ) -> scrapy.Request:
        etag, modified = self.validators.get(source.key, ("", ""))
        headers = {}
        if first and len(source.urls) == 1:  # validators are kept per source, not per URL
            headers = {
                k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v
            }
        return scrapy.Request(
            url,
            callback=self.parse_source,
            errback=self.source_failed,
            headers=headers,
            dont_filter=True,
            priority=10,
            meta={"source": source.key, "page": page, "handle_httpstatus_list": [304]},
        )

    def parse_source(self, response: Response) -> Iterator[scrapy.Request]:
        """Parse a feed, sitemap, listing or channel page and request what it lists."""
        source = self.sources[response.meta["source"]]
        state = self.store.state(source.key)
        self.store.fetched += 1
        if response.status == 304:
            state.not_modified = True
            self.store.drop("not modified", response.url, count_only=True)
            return
        if response.meta["page"] == 0:
            state.etag = (response.headers.get(b"ETag") or b"").decode("latin-1")
            state.last_modified = (response.headers.get(b"Last-Modified") or b"").decode("latin-1")
        try:
            result = parse_listing(source, response.url, response.body)
        except Exception as exc:  # a parser bug must cost one source, not the whole run
            log.exception("parser for %s failed on %s", source.kind, response.url)
            self.store.source_failed(source.key, "parser_error", repr(exc), response.url)
            return
        errors = list(result.errors)
        if errors and not (result.links or result.documents or result.next_pages):
            self.store.source_failed(source.key, *errors.pop(0), response.url)  # nothing usable
        for kind, message in errors:
            self.store.error(source.key, kind, message, response.url, transient=False)
            state.warning = state.warning or f"{kind}: {message}"
        listed_before = state.listed
        state.listed += sum(self._store_post(doc) for doc in result.documents)
        yield from self._article_requests(source, result.links)
        if (result.documents or result.links) and state.listed == listed_before:
            return  # this page held nothing new: older pages will not either
        if response.meta["page"] + 1 < int(source.options.get("max_pages", MAX_LISTING_PAGES)):
            for url in result.next_pages:
                yield self._listing_request(
                    source, url, first=False, page=response.meta["page"] + 1
                )

    def _store_post(self, doc: Document) -> bool:
        """Store a post the listing carried in full; False when it was stored before."""
        doc.canonical_url = doc.canonical_url or canonicalize(doc.url)
        if doc.key in self.store.known([doc.key]):
            self.store.drop("already stored", doc.url, count_only=True)
            record_reading(self.store.engine, doc)  # a re-read post: its engagement time series
            return False
        self.store.add(doc)
        return True

    def _article_requests(
        self, source: SourceConfig, links: list[Link]
    ) -> Iterator[scrapy.Request]:
        state = self.store.state(source.key)
        canon = {canonicalize(link.url): link for link in links}
        known = self.store.known(canon)
        for url, link in canon.items():
            if url in known or url in self.requested:
                self.store.drop("already stored", url, count_only=True)
                continue
            if state.listed >= self.max_items:
                state.complete = False
                self.store.drop("over the per-source cap (next poll)", url, count_only=True)
                continue
            self.requested.add(url)
            state.listed += 1
            yield scrapy.Request(
                link.url,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={"source": source.key, "link": link},
                dont_filter=True,  # deduplicated above; this lets the redirect cap catch loops
            )

    async def parse_article(self, response: Response) -> None:
        """Extract one article page (in a worker process) and hand the document to the store."""
        source = self.sources[response.meta["source"]]
        link: Link = response.meta["link"]
        self.store.fetched += 1
        try:
            doc = await self._extract(source, link, response.url, response.body)
        except ExtractionError as exc:
            self.store.error(source.key, "extraction", str(exc), response.url, transient=False)
            doc = Document(
                url=link.url,
                source=source.key,
                title=link.title,
                canonical_url=canonicalize(response.url),
                source_kind=source.source_kind,
                fetched_at=datetime.now(UTC),
                extra={"extraction_error": str(exc)},
            )
        self.store.add(doc)

    def source_failed(self, failure: Failure) -> None:
        """The source's own page failed: logged, counted; the source backs off."""
        request = failure.request  # type: ignore[attr-defined]
        kind, message = classify_failure(failure)
        if kind == "robots":
            self.store.drop("forbidden by robots.txt", request.url)
            return
        self.store.source_failed(request.meta["source"], kind, message, request.url)

    def article_failed(self, failure: Failure) -> None:
        """An article failed: logged and counted; it is tried again at the next poll."""
        request = failure.request  # type: ignore[attr-defined]
        kind, message = classify_failure(failure)
        if kind == "robots":
            self.store.drop("forbidden by robots.txt", request.url)
            return
        permanent = kind in ("http_404", "http_410", "oversized")
        self.store.error(
            request.meta["source"], kind, message, request.url, transient=not permanent
        )


def exit_with_parent(parent_pid: int, interval: float = 1.0) -> None:
    """In a worker: exit when the crawl process is gone (killed crawls must not leave orphans)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def article_document(source: SourceConfig, link: Link, final_url: str, body: bytes) -> Document:
    """The document for one fetched article page, metadata from the page first, then the feed."""
    extracted = extract(body, url=final_url, hints=source.extract)
    return Document(
        url=link.url,
        source=source.key,
        source_kind=source.source_kind,
        title=extracted.title or link.title,
        text=extracted.text,
        published_at=extracted.published_at or link.published_at,
        fetched_at=datetime.now(UTC),
        author=extracted.author,
        language=extracted.language,
        canonical_url=choose_canonical(final_url, extracted.canonical_url),
    )
