"""Benchmark the review desk: the queue page over 100,000 documents in SQLite, beside a floor.

Builds a SQLite database (Core bulk inserts, the FTS5 triggers active) from the real articles in
../shared/data/vntc/sample3000.jsonl, ~3% of them flagged with signals and evidence; serves the
desk with a real uvicorn on 127.0.0.1; signs in; then times GET requests of the queue page plain,
filtered and searched, and of a trivial route (/healthz) as the floor measured in the same run.
Target: the queue page answers in under 300 ms.

    python bench/review.py [--docs 100000] [--flag-rate 0.03] [--repeat 15] [--db PATH]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, func, insert, select

from presswatch.review.app import create_app
from presswatch.review.auth import hash_password
from presswatch.settings import Settings
from presswatch.storage import models as m
from presswatch.storage.db import make_engine, migrate, transaction

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "vntc" / "sample3000.jsonl"
PASSWORD = "bench-password-1"
TOPICS = ("sovereignty", "religion", "fisheries", "image_promotion", "foreign_affairs", "asean")
TONES = ("negative", "neutral", "positive")
BATCH = 2000
NOW = datetime.now(UTC).replace(microsecond=0)


def articles() -> list[dict[str, str]]:
    """Title (first line) and text of each real article."""
    out = []
    with SAMPLE.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"].strip()
            title, _, body = text.partition("\n")
            out.append({"title": title.strip()[:300], "text": body.strip() or title})
    return out


def build(engine: Engine, n_docs: int, flag_rate: float, rng: random.Random) -> dict[str, Any]:
    """Write sources, stories, documents, tags, flags and signals; return what was written."""
    migrate(engine)
    texts = articles()
    started = time.perf_counter()
    with transaction(engine) as session:
        session.add(m.User(username="bench", role="analyst", password_hash=hash_password(PASSWORD)))
        for i in range(20):
            kind = ("domestic", "foreign", "social", "official")[i % 4]
            session.add(m.Source(key=f"src{i}", name=f"Nguồn {i}", kind="rss", source_kind=kind))
        session.add_all(m.Story(title=f"Chuỗi {i}", document_count=0) for i in range(n_docs // 20))
    with engine.begin() as conn:
        counts = _insert_documents(conn, n_docs, flag_rate, texts, rng)
    counts["build_seconds"] = time.perf_counter() - started
    return counts


def _insert_documents(
    conn: Any, n_docs: int, flag_rate: float, texts: list[dict[str, str]], rng: random.Random
) -> dict[str, Any]:
    """Core bulk inserts, one batch of documents and their tags, flags and signals at a time."""
    n_flags = 0
    ids = itertools.count(1)
    for start in range(0, n_docs, BATCH):
        docs, tags, flags, signals = [], [], [], []
        for _ in range(min(BATCH, n_docs - start)):
            doc_id = next(ids)
            art = texts[doc_id % len(texts)]
            published = NOW - timedelta(minutes=rng.randint(0, 60 * 24 * 90))
            docs.append(_document_row(doc_id, art, published, n_docs, rng))
            if rng.random() < 0.4:
                tags.append(_tag_row(doc_id, rng))
            if rng.random() < flag_rate:
                n_flags += 1
                flags.append(_flag_row(n_flags, doc_id, published, rng))
                signals.append(_signal_row(n_flags, art["text"], rng))
        conn.execute(insert(m.Document), docs)
        for table, rows in ((m.Tag, tags), (m.Flag, flags), (m.FlagSignal, signals)):
            if rows:
                conn.execute(insert(table), rows)
    return {"documents": n_docs, "flags": n_flags}


def _tag_row(doc_id: int, rng: random.Random) -> dict[str, Any]:
    return {
        "document_id": doc_id, "kind": "topic", "label": rng.choice(TOPICS),
        "score": rng.random(), "evidence": [], "model_version": "bench",
    }  # fmt: skip


def _document_row(
    doc_id: int, art: dict[str, str], published: datetime, n_docs: int, rng: random.Random
) -> dict[str, Any]:
    return {
        "id": doc_id, "url": f"https://bench.example.vn/{doc_id}",
        "canonical_url": f"https://bench.example.vn/{doc_id}", "source_id": 1 + doc_id % 20,
        "source_kind": ("domestic", "foreign", "social", "official")[doc_id % 20 % 4],
        "title": f"{art['title']} ({doc_id})", "text": art["text"], "status": "processed",
        "relevance": rng.choice((0, 1, 2)), "tone": rng.choice(TONES), "published_at": published,
        "fetched_at": published + timedelta(minutes=rng.randint(5, 600)),
        "story_id": 1 + rng.randrange(max(1, n_docs // 20)), "extra": {},
    }  # fmt: skip


def _flag_row(flag_id: int, doc_id: int, published: datetime, rng: random.Random) -> dict[str, Any]:
    status = rng.choices(("open", "confirmed", "dismissed"), (6, 2, 2))[0]
    return {
        "id": flag_id, "document_id": doc_id, "score": round(rng.random(), 3), "reasons": [],
        "evidence": {}, "model_version": "bench", "status": status,
        "created_at": published + timedelta(hours=1), "updated_at": published,
    }  # fmt: skip


def _signal_row(flag_id: int, text: str, rng: random.Random) -> dict[str, Any]:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20] or [text[:200]]
    return {
        "flag_id": flag_id, "name": rng.choice(("claim_match", "content_model", "spike")),
        "score": rng.random(), "weight": 1.0, "evidence": {"sentence": rng.choice(sentences)},
    }  # fmt: skip


class LiveServer:
    """A real uvicorn serving the app from a thread on a free port of 127.0.0.1."""

    def __init__(self, app: FastAPI) -> None:
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only then (else +40 ms per request).
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self.socket],), daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def sign_in(client: httpx.Client) -> None:
    """Log in through the form like the browser does."""
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on /login"
    data = {"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)}
    response = client.post("/login", data=data)
    assert response.status_code == 303, response.status_code


def timed(client: httpx.Client, path: str, repeat: int) -> tuple[float, float, int]:
    """Median and worst milliseconds of GET path (after one warm-up), and the status."""
    status = client.get(path).status_code
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return statistics.median(times), max(times), status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--flag-rate", type=float, default=0.03)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--db", type=Path, help="database file to build (kept) or reuse")
    args = parser.parse_args()
    if not SAMPLE.exists():
        print(f"sample articles not found at {SAMPLE}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "review-bench.db"
        engine = make_engine(f"sqlite:///{path}")
        if path.exists() and path.stat().st_size > 0:
            migrate(engine)
            print(f"reusing {path}")
        else:
            counts = build(engine, args.docs, args.flag_rate, random.Random(7))
            size = path.stat().st_size / 1e6
            print(
                f"built {counts['documents']:,} documents, {counts['flags']:,} flags "
                f"in {counts['build_seconds']:.1f} s ({size:.0f} MB)"
            )
        return run(engine, path, args.repeat)


def run(engine: Engine, path: Path, repeat: int) -> int:
    """Serve the desk and time the pages."""
    with engine.connect() as conn:
        n_docs = conn.scalar(select(func.count()).select_from(m.Document))
        doc_id = conn.scalar(select(m.Flag.document_id).order_by(m.Flag.score.desc()).limit(1))
    settings = Settings({"database_url": f"sqlite:///{path}", "secret_key": "bench-secret"})
    cases = [
        ("queue", "/queue"),
        ("queue, page 20", "/queue?page=20"),
        ("queue, all statuses", "/queue?status=all&sort=oldest"),
        ("queue, filters", "/queue?kind=social&tone=negative&topic=fisheries&from=2000-01-01"),
        ("queue, search common word", "/queue?q=ng%C6%B0%E1%BB%9Di"),  # người
        ("queue, search phrase", "/queue?status=all&q=th%E1%BB%8B+tr%C6%B0%E1%BB%9Dng"),
        ("queue, search rare word", "/queue?q=s%C3%B3c+tr%C4%83ng"),
        ("document page", f"/documents/{doc_id}"),
    ]
    with (
        LiveServer(create_app(settings, engine)) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        sign_in(client)
        floor, floor_max, _ = timed(client, "/healthz", repeat * 3)
        print(f"{n_docs:,} documents · {repeat} requests each · median (max) ms · ratio to floor")
        print(f"{'floor: GET /healthz':<34}{floor:>9.1f} ({floor_max:.1f})")
        worst = 0.0
        for name, url in cases:
            median, most, status = timed(client, url, repeat)
            assert status == 200, (url, status)
            worst = max(worst, median) if name.startswith("queue") else worst
            print(f"{name:<34}{median:>9.1f} ({most:.1f})   ×{median / floor:.0f}")
    verdict = "meets" if worst < 300 else "MISSES"
    print(f"slowest queue page: {worst:.1f} ms median — {verdict} the 300 ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
