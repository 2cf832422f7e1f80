"""Crawl tests: a fixture site on 127.0.0.1 and `presswatch crawl` run as a real subprocess."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presswatch.demo.server import FixtureServer

SITE = Path(__file__).resolve().parents[1] / "data" / "crawl_site"


@pytest.fixture
def site() -> Iterator[FixtureServer]:
    """The crawler's test site, served on a free port."""
    with FixtureServer(SITE) as server:
        yield server


def write_settings(
    tmp_path: Path, server: FixtureServer, sources: str | None = None, **values: Any
) -> Path:
    """A settings file and config folder pointing at the fixture server."""
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    text = sources if sources is not None else (SITE / "sources.toml").read_text(encoding="utf-8")
    (config / "sources.toml").write_text(
        text.replace("{{BASE}}", server.base_url), encoding="utf-8"
    )
    settings = {
        "database_url": f"sqlite:///{tmp_path / 'presswatch.db'}",
        "config_dir": str(config),
        "data_dir": str(tmp_path),
        "download_delay": 0.0,
        "download_timeout": 3,
        "download_maxsize": 1_000_000,
        "retry_times": 1,
    } | values
    lines = [f"{key} = {_toml(value)}" for key, value in settings.items()]
    path = tmp_path / "settings.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def presswatch(
    settings_file: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a child process (Scrapy's reactor runs once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "presswatch", "--config", str(settings_file), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
