"""Process: runs the stages over a batch, in order — serial stages here, the rest in workers."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline import Stage, build_stages
from presswatch.settings import Settings

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Outcome:
    """A document after the stages: kept, or dropped with the reason and the stage that said so."""

    doc: Document
    dropped: str = ""
    stage: str = ""


def run_stages(stages: Sequence[Stage], doc: Document) -> Outcome:
    """Pass one document through the stages; a Drop stops it with its reason."""
    for stage in stages:
        try:
            doc = stage.process(doc)
        except Drop as drop:
            return Outcome(doc, drop.reason, stage.name)
    return Outcome(doc)


def split_stages(stages: Sequence[Stage]) -> tuple[tuple[Stage, ...], tuple[Stage, ...]]:
    """(stages up to and including the last serial one, the rest)."""
    last_serial = max((i for i, s in enumerate(stages) if s.serial), default=-1)
    return tuple(stages[: last_serial + 1]), tuple(stages[last_serial + 1 :])


_worker_stages: tuple[Stage, ...] = ()


def _init_worker(settings: Settings, skip: int) -> None:
    """Build the parallel stages once per worker process (each with its own engine)."""
    global _worker_stages
    from presswatch.storage.db import make_engine

    engine = make_engine(settings.database_url)
    _worker_stages = build_stages(settings, engine=engine)[skip:]


def _work(doc: Document) -> Outcome:
    return run_stages(_worker_stages, doc)


class Runner:
    """Runs the stage list over batches; with workers > 1 the parallel stages use processes."""

    def __init__(self, stages: Sequence[Stage], settings: Settings, workers: int = 1) -> None:
        self.serial, self.parallel = split_stages(stages)
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        if self.workers > 1 and self.parallel:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=get_context("forkserver"),
                initializer=_init_worker,
                initargs=(settings, len(self.serial)),
            )

    def run(self, docs: Sequence[Document]) -> list[Outcome]:
        """All documents of a batch through all stages, in the batch's order."""
        first = [run_stages(self.serial, doc) for doc in docs]
        passed = [o.doc for o in first if not o.dropped]
        rest = iter(self._parallel(passed))
        return [o if o.dropped else next(rest) for o in first]

    def _parallel(self, docs: list[Document]) -> Iterator[Outcome]:
        if self._pool is None:
            return (run_stages(self.parallel, doc) for doc in docs)
        return self._pool.map(_work, docs, chunksize=max(1, len(docs) // (self.workers * 4)))

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
