"""The demo: the whole pipeline, offline, on the bundled fixture sites served on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from presswatch.demo.server import SITES, FixtureServer
from presswatch.errors import PressWatchError
from presswatch.settings import Settings, load_settings
from presswatch.storage.db import make_engine, migrate, resolve_url

Say = Callable[[str], None]
#: Operator files the demo takes from the configured config/ (sources come from the fixtures).
OPERATOR_FILES = ("region.toml", "topics.toml", "alerts.toml", "flagging.toml", "imports.toml")
FRESH = ("presswatch.db", "presswatch.db-wal", "presswatch.db-shm", "outbox", "digests", "reports")


@dataclass(slots=True)
class DemoResult:
    """Where the demo put its outputs."""

    workdir: Path
    database: Path
    outputs: dict[str, list[Path]] = field(default_factory=dict)


def prepare_workdir(workdir: Path, config_dir: Path, server: FixtureServer) -> Path:
    """A fresh work folder with a settings file and a config/ pointing at the fixture server."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in FRESH:
        target = workdir / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    config = workdir / "config"
    config.mkdir(exist_ok=True)
    for name in OPERATOR_FILES:
        if (config_dir / name).exists():
            shutil.copyfile(config_dir / name, config / name)
    sources = "\n".join(
        server.render(path.read_text(encoding="utf-8"))
        for path in (SITES / "sources.toml", SITES / "social" / "sources.toml")
    )
    (config / "sources.toml").write_text(sources, encoding="utf-8")
    settings_file = workdir / "settings.toml"
    settings_file.write_text(
        'database_url = "sqlite:///presswatch.db"\n'
        'config_dir = "config"\n'
        'data_dir = "."\n'
        "download_delay = 0.0\n"
        "robots_obey = true\n"
        'digest_recipients = ["phong-bao-chi@sovhtt.example.invalid"]\n',
        encoding="utf-8",
    )
    return settings_file


def run_demo(workdir: Path, settings: Settings, say: Say) -> DemoResult:
    """Serve the fixture sites, crawl them, process everything and deliver; return the outputs."""
    from presswatch.ingest import crawl_subprocess

    workdir = workdir.resolve()
    with FixtureServer(SITES) as server:
        say(f"fixture sites on {server.base_url}")
        settings_file = prepare_workdir(workdir, settings.path("config_dir"), server)
        demo_settings = load_settings(settings_file, environ={})
        engine = make_engine(resolve_url(demo_settings.database_url, demo_settings.base_dir))
        migrate(engine)
        _import_claims(engine, server, say)
        say("crawling the fixture outlets (a Scrapy subprocess)…")
        if crawl_subprocess(settings_file) != 0:
            raise PressWatchError("the demo crawl failed; see the log above")
        _process_and_deliver(demo_settings, engine, say)
    return _collect_outputs(workdir)


def _import_claims(engine: Engine, server: FixtureServer, say: Say) -> None:
    """The office's claim base: the known false claim, verified facts, its press releases."""
    from presswatch.claims.base import import_claims, parse_claims
    from presswatch.storage.db import transaction

    raw = server.render((SITES.parent / "claims.json").read_text(encoding="utf-8"))
    with transaction(engine) as session:
        summary = import_claims(session, parse_claims(raw, "json"), actor="demo")
    say(f"claim base: {summary}")


def _process_and_deliver(settings: Settings, engine: Engine, say: Say) -> None:
    from presswatch.ingest import process_pending
    from presswatch.reports.digest import build_digest
    from presswatch.reports.mail import send_pending
    from presswatch.reports.quarterly import Quarter, build_report
    from presswatch.storage.models import utcnow

    say("processing: normalise → dedup/story → relevance → topics → tone → misinformation")
    summary = process_pending(settings, engine, progress=say)
    dropped = ", ".join(f"{reason} {n}" for reason, n in summary.dropped.most_common())
    say(f"  {summary.kept} kept; dropped: {dropped or 'none'}")
    now, tz = utcnow(), ZoneInfo(settings.timezone)
    digest = build_digest(engine, settings, day=now.astimezone(tz).date(), now=now)
    say(f"digest of {digest.day} written")
    quarter = Quarter.containing(now, tz)
    build_report(engine, settings, quarter, now=now)
    say(f"quarter-to-date report of {quarter} written")
    sent = send_pending(engine, settings)
    say(f"outbox: {sent.sent} e-mails sent")


def _collect_outputs(workdir: Path) -> DemoResult:
    result = DemoResult(workdir, workdir / "presswatch.db")
    for name, pattern in (
        ("digests", "digests/*.html"),
        ("e-mails", "outbox/*.eml"),
        ("reports", "reports/*"),
    ):
        result.outputs[name] = sorted(workdir.glob(pattern))
    return result
