"""Fetch: the crawl's side of the hand-off — documents, errors and source state to the database.

Documents are written in small transactions as they arrive, so a crawl killed at any moment
keeps what it stored; a source's validators (ETag, Last-Modified) are written only once every
article it listed was stored or failed for good, so a rerun never skips an unfetched article.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from presswatch.document import Document
from presswatch.sources import SourceConfig
from presswatch.storage import engagement, repository, runs
from presswatch.storage.db import transaction

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass(slots=True)
class SourceState:
    """What one source did in this crawl."""

    listed: int = 0
    transient_failures: int = 0
    failed: str = ""  # why the source's own page failed, if it did
    warning: str = ""  # a problem in the source's page that still left something usable
    complete: bool = True  # False when a cap left links for the next poll
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


@dataclass
class CrawlStore:
    """Buffers documents and counts for one crawl run and writes them to the database."""

    engine: Engine
    run_id: int
    source_ids: dict[str, int]
    backoff_minutes: int = 30
    flush_every: int = 10
    flush_seconds: float = 2.0
    progress: Progress | None = None
    fetched: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    states: dict[str, SourceState] = field(default_factory=dict)
    _buffer: list[Document] = field(default_factory=list)
    _last_flush: float = field(default_factory=time.monotonic)

    def state(self, key: str) -> SourceState:
        """The per-source state of this run."""
        return self.states.setdefault(key, SourceState())

    def known(self, urls: Iterable[str]) -> set[str]:
        """Which canonical URLs are already stored or waiting in the buffer."""
        urls = list(urls)
        buffered = {doc.key for doc in self._buffer}
        with transaction(self.engine) as session:
            return repository.known_urls(session, urls) | (buffered & set(urls))

    def add(self, doc: Document) -> None:
        """Queue one extracted document for storing."""
        self._buffer.append(doc)
        if (
            len(self._buffer) >= self.flush_every
            or time.monotonic() - self._last_flush > self.flush_seconds
        ):
            self.flush()

    def drop(self, reason: str, url: str = "", *, count_only: bool = False) -> None:
        """Count a link or page left out, with its reason."""
        self.dropped[reason] += 1
        if not count_only:
            log.info("dropped %s: %s", url, reason)

    def error(
        self, source: str, kind: str, message: str, url: str = "", *, transient: bool = True
    ) -> None:
        """Log, count and keep one fetch or parse error; the run goes on."""
        self.errors[kind] += 1
        if transient:
            self.state(source).transient_failures += 1
        log.warning("source %s: %s: %s", source, kind, message)
        with transaction(self.engine) as session:
            runs.record_error(session, self.run_id, self.source_ids.get(source), url, kind, message)

    def source_failed(self, source: str, kind: str, message: str, url: str) -> None:
        """The source's own page (feed, sitemap, listing) could not be read."""
        self.state(source).failed = f"{kind}: {message}"
        self.error(source, kind, message, url)

    def flush(self) -> None:
        """Write buffered documents in one transaction."""
        self._last_flush = time.monotonic()
        if not self._buffer:
            return
        docs, self._buffer = self._buffer, []
        with transaction(self.engine) as session:
            inserted = repository.add_documents(session, docs, self.source_ids, self.run_id)
            engagement.record_post_engagements(session, docs)  # the first reading of each post
        self.kept += inserted
        if inserted < len(docs):
            self.dropped["already stored"] += len(docs) - inserted
        self._say(f"  stored {self.kept} documents so far")

    def close(self, configs: dict[str, SourceConfig]) -> None:
        """Flush, record each source's outcome and the run's counts."""
        self.flush()
        with transaction(self.engine) as session:
            for key in configs:
                self._record_source(session, key, self.state(key))
            runs.finish_run(
                session,
                self.run_id,
                fetched=self.fetched,
                kept=self.kept,
                dropped=self.dropped,
                errors=self.errors,
            )

    def _record_source(self, session: Session, key: str, st: SourceState) -> None:
        source_id = self.source_ids[key]
        if st.failed:
            runs.record_source_result(
                session,
                source_id,
                ok=False,
                status="error",
                error=st.failed,
                backoff_minutes=self.backoff_minutes,
            )
            return
        if st.not_modified:  # keep the validators that earned the 304
            runs.record_source_result(session, source_id, ok=True, status="not modified")
            return
        complete = st.complete and st.transient_failures == 0
        runs.record_source_result(
            session,
            source_id,
            ok=True,
            error=st.warning,
            status=f"partly read, {st.listed} listed" if st.warning else f"ok, {st.listed} listed",
            etag=st.etag if complete else "",
            last_modified=st.last_modified if complete else "",
        )

    def _say(self, line: str) -> None:
        if self.progress is not None:
            self.progress(line)
