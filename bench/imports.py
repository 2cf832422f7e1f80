"""Benchmark: `presswatch import` of a generated 100,000-row CSV export, first import and re-import.

Prints rows/s of the first import (every row stored) and of the re-import (every row found
already stored), each beside a floor measured in the same run: csv.reader over the same file.

    python bench/imports.py            # 100,000 rows, SQLite in a temporary folder
    python bench/imports.py --rows 20000
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from presswatch.imports import GENERIC, import_file
from presswatch.storage.db import make_engine, migrate

PLATFORMS = ("facebook", "tiktok", "youtube", "zalo")
CHANNELS = [f"Trang cộng đồng {i}" for i in range(300)]
VOCABULARY = (
    "Sóc Trăng Cần Thơ phường Phú Lợi lễ hội Oóc Om Bóc ghe Ngo người dân bà con "
    "ngập triều cường đường tỉnh ổ gà hành tím Vĩnh Châu du lịch cộng đồng Khmer chùa "
    "ngư dân Trần Đề tàu cá biên phòng không được gì nhé luôn quá trời mọi người chia sẻ"
)
WORDS = VOCABULARY.split()


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    """A generic-mapping CSV of ``rows`` posts; every tenth has no URL (keyed by hash)."""
    rng = random.Random(seed)
    start = datetime(2025, 7, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(("platform", "channel", "url", "published_at", "text", "likes", "comments",
                      "shares"))  # fmt: skip
        for i in range(rows):
            text = " ".join(rng.choices(WORDS, k=rng.randint(12, 60)))
            url = "" if i % 10 == 0 else f"https://social.example.vn/p/{i}"
            when = start + timedelta(minutes=7 * i)
            out.writerow((PLATFORMS[i % 4], rng.choice(CHANNELS), url, when.isoformat(),
                          f"{text} #{i}", rng.randint(0, 5000), rng.randint(0, 300),
                          rng.randint(0, 200)))  # fmt: skip


def floor(path: Path) -> float:
    """Rows per second of csv.reader alone over the file."""
    began = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as fh:
        n = sum(1 for _ in csv.reader(fh)) - 1
    return n / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        write_export(path, args.rows)
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate(engine)
        base = floor(path)
        print(f"{args.rows} rows, {path.stat().st_size / 1e6:.1f} MB; floor csv.reader "
              f"{base:,.0f} rows/s")  # fmt: skip
        for label in ("first import", "re-import"):
            began = time.perf_counter()
            summary = import_file(engine, path, GENERIC)
            rate = summary.rows / (time.perf_counter() - began)
            print(f"{label}: {summary.added} added, {summary.already} already stored, "
                  f"{rate:,.0f} rows/s = {rate / base:.4f} × floor")  # fmt: skip


if __name__ == "__main__":
    main()
