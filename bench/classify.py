"""Benchmark: the understanding step on 3,000 real articles (VNTC), beside a syllable-split floor.

(a) what `presswatch classify` does to every document (relevance, topics, tone, and the
misinformation stage when configured); (b) the pipeline's path, where the gazetteer drops the
documents that never name the region before topics and tone run; (c) the floor: a plain
syllable split of the same texts. Single process, then one process per core.

    .venv/bin/python bench/classify.py [--limit N] [--processes N]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from presswatch.classifiers.understanding import Analyzer
from presswatch.classifiers.vietnamese import syllables
from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline.relevance import Relevance
from presswatch.settings import Settings

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared/data/vntc/sample3000.jsonl"
_analyzer: Analyzer | None = None
_pipeline: list[Any] | None = None


def _settings() -> Settings:
    return Settings({"config_dir": str(REPO / "config")}, base_dir=REPO)


def _get(without_misinfo: bool = False) -> Analyzer:
    global _analyzer
    if _analyzer is None:
        _analyzer = Analyzer.from_settings(_settings())
    if without_misinfo:
        return Analyzer([s for s in _analyzer.stages if s.name != "misinformation"])
    return _analyzer


def full(record: dict[str, Any]) -> int:
    """(a) everything classify does."""
    _get().classify(record)
    return 1


def understanding(record: dict[str, Any]) -> int:
    """(a') relevance, topics and tone only."""
    _get(without_misinfo=True).classify(record)
    return 1


def _pipeline_stages() -> list[Any]:
    first, *rest = _get().stages
    return [Relevance(first.gazetteer, first.classifier, drop=True), *rest]  # type: ignore[attr-defined]


def pipeline(record: dict[str, Any]) -> int:
    """(b) relevance drops documents that never name the region; the rest go on."""
    global _pipeline
    if _pipeline is None:
        _pipeline = _pipeline_stages()
    stages = _pipeline
    doc = Document(url=f"bench:{record['id']}", source="bench", text=record["text"])
    try:
        for stage in stages:
            doc = stage.process(doc)
    except Drop:
        return 0
    return 1


def _kept(record: dict[str, Any]) -> int:
    doc = Document(url="bench", source="bench", text=record["text"])
    try:
        _pipeline_stages()[0].process(doc)
    except Drop:
        return 0
    return 1


def floor(record: dict[str, Any]) -> int:
    """(c) a plain syllable split."""
    return int(bool(syllables(record["text"])))


def run(
    fn: Callable[[dict[str, Any]], int], records: list[dict[str, Any]], processes: int
) -> float:
    """Documents per second of ``fn`` over the records."""
    start = time.perf_counter()
    if processes == 1:
        for record in records:
            fn(record)
    else:
        with Pool(processes, initializer=_get) as pool:
            pool.map(fn, records, chunksize=50)
    return len(records) / (time.perf_counter() - start)


def main() -> None:
    """Print docs/s of each path, single process and with all cores, as ratios to the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    records = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    records = records[: args.limit]
    paths = [
        ("(c) floor: syllable split", floor),
        ("(a) classify, every document", full),
        ("(a') relevance+topics+tone", understanding),
        ("(b) pipeline, pre-filtered", pipeline),
    ]
    try:
        full(records[0])
    except Exception as exc:  # another stage (misinformation) may be unfinished: say so, go on
        print(f"misinformation stage left out: it failed: {type(exc).__name__}: {exc}")
        _get().stages = _get(without_misinfo=True).stages
        paths = [p for p in paths if p[1] is not full]
    kept = sum(_kept(r) for r in records)
    print(f"{len(records)} articles; the gazetteer keeps {kept} for topics and tone")
    for processes in sorted({1, args.processes}):
        base = run(floor, records, processes)
        print(f"-- {processes} process(es)")
        for name, fn in paths:
            rate = base if fn is floor else run(fn, records, processes)
            print(f"{name:<32}{rate:>10.1f} docs/s   ratio to floor {rate / base:.3f}")


if __name__ == "__main__":
    main()
