"""Import: the database side — the import source and run, batched inserts, engagement readings."""

from __future__ import annotations

import logging
import os
from collections import Counter
from types import TracebackType

from sqlalchemy import Engine

from presswatch.document import Document
from presswatch.imports import BAD_ROWS_KEPT, ImportSummary
from presswatch.sources import SourceConfig
from presswatch.storage import engagement, repository, runs
from presswatch.storage.db import transaction

log = logging.getLogger(__name__)


class ImportWriter:
    """Stores imported posts in batches, each batch in one transaction, inside one import run."""

    def __init__(self, engine: Engine, source: SourceConfig, batch_rows: int) -> None:
        self.engine = engine
        self.source = source
        self.batch_rows = batch_rows
        self.summary = ImportSummary()
        self._buffer: list[Document] = []
        self._source_ids: dict[str, int] = {}
        self._seen: set[str] = set()  # keys of this import: a row repeated in the file counts once

    def __enter__(self) -> ImportWriter:
        with transaction(self.engine) as session:
            rows = runs.sync_sources(session, [self.source])
            self._source_ids = {self.source.key: rows[self.source.key].id}
            run = runs.start_run(session, "import", [self.source.key], os.getpid())
        self.summary.run_id = run.id
        return self

    def add(self, doc: Document) -> None:
        """Queue one post (a repeat of a row earlier in the file is skipped); write full batches."""
        if doc.key in self._seen:
            self.summary.already += 1
            return
        self._seen.add(doc.key)
        self._buffer.append(doc)
        if len(self._buffer) >= self.batch_rows:
            self.flush()

    def bad(self, number: int, reason: str) -> None:
        """Count and keep (the first few of) the rows that could not be imported."""
        self.summary.bad += 1
        if len(self.summary.bad_rows) < BAD_ROWS_KEPT:
            self.summary.bad_rows.append((number, reason))

    def flush(self) -> None:
        """Write the queued posts and their engagement readings in one transaction."""
        docs, self._buffer = self._buffer, []
        if not docs:
            return
        with transaction(self.engine) as session:
            known = repository.known_urls(session, [d.key for d in docs])
            new = [d for d in docs if d.key not in known]
            added = repository.add_documents(session, new, self._source_ids, self.summary.run_id)
            self.summary.readings += engagement.record_post_engagements(session, docs)
        self.summary.added += added
        self.summary.already += len(docs) - added

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        status = "finished" if exc_type is None else "failed"
        dropped = Counter({"already stored": self.summary.already, "bad row": self.summary.bad})
        with transaction(self.engine) as session:
            runs.finish_run(
                session, self.summary.run_id, fetched=self.summary.rows, kept=self.summary.added,
                dropped=+dropped, errors=Counter({"bad_row": self.summary.bad}) if self.summary.bad
                else Counter(), status=status,
            )  # fmt: skip
