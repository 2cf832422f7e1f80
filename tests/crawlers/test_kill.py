"""A crawl killed with SIGKILL midway and rerun loses nothing and duplicates nothing."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from presswatch.demo.server import FixtureServer
from tests.crawlers.conftest import presswatch, write_settings

ARTICLES = 40
SENTENCES = (
    "Người dân phường Sóc Trăng, thành phố Cần Thơ tham gia ngày hội số {n}.",
    "Chính quyền địa phương cho biết đã chuẩn bị {n} gian hàng giới thiệu sản phẩm OCOP.",
    "Nhiều hộ nuôi tôm ở Vĩnh Châu mang sản phẩm đến trưng bày, thu hút đông khách tham quan.",
    "Ban tổ chức dự kiến đón khoảng {n} nghìn lượt khách trong ba ngày diễn ra sự kiện.",
)


def _make_site(root: Path) -> None:
    (root / "a").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    items = []
    for n in range(1, ARTICLES + 1):
        body = "".join(f"<p>{s.format(n=n)}</p>" for s in SENTENCES)
        (root / "a" / f"{n}.html").write_text(
            f'<html lang="vi"><head><meta charset="utf-8"><title>Ngày hội {n}</title></head>'
            f"<body><article><h1>Ngày hội số {n}</h1>{body}</article></body></html>",
            encoding="utf-8",
        )
        items.append(
            f"<item><title>Ngày hội {n}</title><link>{{{{BASE}}}}/a/{n}.html</link></item>"
        )
    (root / "feed.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )


def _stored(db: Path) -> list[str]:
    if not db.exists():
        return []
    with sqlite3.connect(db, timeout=30) as conn:
        try:
            return [row[0] for row in conn.execute("SELECT canonical_url FROM documents")]
        except sqlite3.OperationalError:  # the schema is still being created
            return []


def test_sigkill_midway_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _make_site(site)
    sources = '[source.slow]\nname = "Chậm"\nkind = "rss"\nurls = ["{{BASE}}/feed.xml"]\n'
    with FixtureServer(site) as server:
        settings = write_settings(
            tmp_path, server, sources, download_delay=0.15, concurrent_per_domain=1
        )
        db = tmp_path / "presswatch.db"
        child = subprocess.Popen(
            [sys.executable, "-m", "presswatch", "--config", str(settings), "crawl"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(_stored(db)) < 5 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        before = _stored(db)
        assert 5 <= len(before) < ARTICLES, "the kill must land midway"
        result = presswatch(settings, "crawl")
        assert result.returncode == 0, result.stderr
    after = _stored(db)
    assert len(after) == len(set(after)) == ARTICLES
    assert set(before) <= set(after)
    with sqlite3.connect(db) as conn:
        statuses = [row[0] for row in conn.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["interrupted", "finished"]
