"""A 100,000-row export: streamed with progress, each post stored once, a re-import adds 0."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from presswatch.imports import GENERIC, import_file
from presswatch.storage import models as m
from presswatch.storage.db import transaction

ROWS = 100_000
VOCABULARY = (
    "Sóc Trăng Cần Thơ phường Phú Lợi lễ hội Oóc Om Bóc ghe Ngo bà con ngập triều "
    "cường đường tỉnh hành tím Vĩnh Châu du lịch Khmer chùa ngư dân Trần Đề tàu cá ko được gì nhé"
)
WORDS = VOCABULARY.split()


def write_export(path: Path, rows: int) -> None:
    """Generic-mapping rows; every tenth has no URL, every 1000th repeats an earlier row."""
    rng = random.Random(20251020)
    start = datetime(2025, 7, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["platform", "channel", "url", "published_at", "text", "likes", "comments",
                      "shares"])  # fmt: skip
        text = ""
        for i in range(rows):
            n = i - 1 if i % 1000 == 999 else i  # a repeated row: same post, stored once
            text = " ".join(rng.choices(WORDS, k=20)) if n == i else text
            out.writerow(["facebook", f"Trang {n % 97}",
                          "" if n % 10 == 0 else f"https://social.example.vn/p/{n}",
                          (start + timedelta(minutes=n)).isoformat(), f"{text} #{n}",
                          n % 500, n % 40, n % 7])  # fmt: skip


def test_a_100000_row_export_is_stored_once_and_reimported_as_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    write_export(path, ROWS)
    seen: list[tuple[int, int]] = []
    first = import_file(engine, path, GENERIC, progress=lambda b, r: seen.append((b, r)))
    assert (first.rows, first.added, first.already, first.bad) == (ROWS, ROWS - 100, 100, 0)
    assert len(seen) > 50 and seen[-1] == (path.stat().st_size, ROWS)
    assert seen == sorted(seen)  # bytes and rows only grow
    second = import_file(engine, path, GENERIC)
    assert (second.added, second.already, second.readings) == (0, ROWS, 0)
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(m.Document)) == ROWS - 100
        runs = session.execute(select(m.CrawlRun.kind, m.CrawlRun.kept)).all()
    assert [tuple(r) for r in runs] == [("import", ROWS - 100), ("import", 0)]
