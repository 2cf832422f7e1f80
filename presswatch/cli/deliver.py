"""CLI: delivering — digest, outbox, report, alerts, and the scheduler (`run`, `jobs`)."""

from __future__ import annotations

import signal
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from presswatch.cli import Context, pass_context

if TYPE_CHECKING:
    from sqlalchemy import Engine

DAY = click.DateTime(formats=["%Y-%m-%d"])


def _engine(ctx: Context) -> Engine:
    """The database of these settings, migrated to the newest schema."""
    from presswatch.storage.db import make_engine, migrate, resolve_url

    engine = make_engine(resolve_url(ctx.settings.database_url, ctx.settings.base_dir))
    migrate(engine)
    return engine


def _settings_file(ctx: Context) -> str | None:
    """The settings file this command was started with (jobs and crawl children reload it)."""
    return str(ctx.settings_file.resolve()) if ctx.settings_file else None


def _say(line: str) -> None:
    click.echo(line, err=True)


@click.command()
@click.option("--day", type=DAY, help="Office-time day to report (default: yesterday).")
@click.option("--send", is_flag=True, help="Run the outbox worker right after.")
@pass_context
def digest(ctx: Context, day: datetime | None, send: bool) -> None:
    """Build the daily digest: flags awaiting review, then the day's coverage.

    The page is stored under DATA_DIR/digests/ and the e-mail queued once per day (a day not
    yet over is queued once more as a preview). Use --send to deliver at once.

    Example:

    \b
        presswatch digest --day 2025-10-05 --send
    """
    from presswatch.reports.digest import build_digest

    engine = _engine(ctx)
    result = build_digest(engine, ctx.settings, day.date() if day else None)
    state = "queued" if result.outbox_id else "already queued before, not sent again"
    preview = " (preview: the day is not over)" if result.partial else ""
    click.echo(f"digest {result.day}{preview}: {result.path}")
    click.echo(f"  {result.counts['flags_open']} flags awaiting review, "
               f"{result.counts['total']} documents; e-mail {state}")  # fmt: skip
    if send:
        _send(ctx, engine)


@click.group()
def outbox() -> None:
    """The e-mail outbox: send what is due, list messages, retry failed ones.

    Example:

    \b
        presswatch outbox send && presswatch outbox list --status failed
    """


def _send(ctx: Context, engine: Engine) -> None:
    from presswatch.reports.mail import send_pending

    summary = send_pending(engine, ctx.settings)
    where = ctx.settings.smtp_host or str(ctx.settings.path("data_dir") / "outbox")
    click.echo(f"outbox: {summary.sent} sent to {where}, {summary.retried} to retry, "
               f"{summary.failed} failed")  # fmt: skip


@outbox.command("send")
@pass_context
def outbox_send(ctx: Context) -> None:
    """Send every due e-mail (SMTP, or .eml files when no SMTP host is set).

    Example:

    \b
        PRESSWATCH_SMTP_HOST=mail.example.vn presswatch outbox send
    """
    _send(ctx, _engine(ctx))


@outbox.command("list")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed"]))
@click.option("--limit", type=int, default=50, show_default=True)
@pass_context
def outbox_list(ctx: Context, status: str | None, limit: int) -> None:
    """List e-mails in the outbox, newest first.

    Example:

    \b
        presswatch outbox list --status pending
    """
    from presswatch.reports.mail import list_outbox
    from presswatch.storage.db import transaction

    with transaction(_engine(ctx)) as session:
        for row in list_outbox(session, status, limit):
            error = f" — {row.last_error[:60]}" if row.last_error else ""
            click.echo(f"#{row.id} {row.status:<7} {row.kind:<6} tries {row.attempts} "
                       f"{row.created_at:%Y-%m-%d %H:%M} {row.subject[:70]}{error}")  # fmt: skip


@outbox.command("retry")
@click.argument("outbox_id", type=int, required=False)
@pass_context
def outbox_retry(ctx: Context, outbox_id: int | None) -> None:
    """Queue failed e-mails again (one by id, or all).

    Example:

    \b
        presswatch outbox retry 42
    """
    from presswatch.reports.mail import retry_failed
    from presswatch.storage.db import transaction

    with transaction(_engine(ctx)) as session:
        click.echo(f"{retry_failed(session, outbox_id)} e-mails queued again")


@click.command()
@click.option(
    "--quarter",
    "quarter_text",
    default="previous",
    show_default=True,
    help="YYYYQn, 'previous' (the last finished quarter) or 'current' (to date).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the DOCX and HTML (default: DATA_DIR/reports).",
)
@click.option("--number", type=int, help="Document number (default: [report] number).")
@click.option("--date", "issued", type=DAY, help="Issue date (default: today).")
@pass_context
def report(ctx: Context, quarter_text: str, out_dir: Path | None, number: int | None,
           issued: datetime | None) -> None:  # fmt: skip
    """Write the quarterly press-opinion report as DOCX (Decree 30/2020 form) and HTML.

    Figures: volume per month, topic and plan task, tone against last quarter, source kinds,
    top sources and stories, misinformation flags and outcomes, press-release uptake.

    Example:

    \b
        presswatch report --quarter 2025Q3 --out reports/ --number 12
    """
    from zoneinfo import ZoneInfo

    from presswatch.reports.quarterly import Quarter, build_report
    from presswatch.storage.models import utcnow

    current = Quarter.containing(utcnow(), ZoneInfo(ctx.settings.timezone))
    quarter = {"previous": current.previous(), "current": current}.get(quarter_text.lower())
    quarter = quarter or Quarter.parse(quarter_text)
    result = build_report(_engine(ctx), ctx.settings, quarter, out_dir, number=number,
                          issued=issued.date() if issued else None)  # fmt: skip
    click.echo(f"report {quarter.key}: {result.data.total} documents")
    click.echo(f"  {result.docx}\n  {result.html}")


@click.group()
def alerts() -> None:
    """Alerts to the recipient groups of config/alerts.toml.

    Example:

    \b
        presswatch alerts check && presswatch outbox send
    """


@alerts.command("check")
@pass_context
def alerts_check(ctx: Context) -> None:
    """Queue the alerts due now (flags, confirmed flags, story spikes).

    Example:

    \b
        presswatch alerts check
    """
    from presswatch.reports.alerts import check_alerts
    from presswatch.storage.db import transaction
    from presswatch.storage.models import utcnow

    with transaction(_engine(ctx)) as session:
        queued = check_alerts(session, ctx.settings, utcnow())
    click.echo(f"{len(queued)} alerts queued")


@click.command()
@pass_context
def run(ctx: Context) -> None:
    """Run the scheduler until stopped (SIGTERM or Ctrl-C stop it cleanly).

    Crawls per source interval, processing with alerts, the outbox worker, the digest at
    DIGEST_HOUR office time, the quarterly report and retention. Jobs are kept in the
    database: runs missed while the machine was off happen once at start.

    Example:

    \b
        presswatch --config config/settings.toml run
    """
    from presswatch import scheduler as sch

    _engine(ctx).dispose()
    scheduler = sch.start(ctx.settings, _settings_file(ctx))
    stop = threading.Event()

    def _stop(signum: int, _frame: Any) -> None:
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)
    for job in scheduler.get_jobs():
        _say(f"  {job.id}: next {job.next_run_time:%Y-%m-%d %H:%M %Z}")
    _say("scheduler running; SIGTERM or Ctrl-C stops it")
    while not stop.wait(1):
        pass
    _say("stopping: waiting for running jobs")
    scheduler.shutdown(wait=True)
    click.echo("scheduler stopped")


@click.command()
@pass_context
def jobs(ctx: Context) -> None:
    """List the scheduled jobs with their next run times (office time).

    Example:

    \b
        presswatch jobs
    """
    from zoneinfo import ZoneInfo

    from presswatch import scheduler as sch

    _engine(ctx).dispose()
    tz = ZoneInfo(ctx.settings.timezone)
    listed = sch.list_jobs(ctx.settings, _settings_file(ctx))
    if listed and not listed[0].stored:
        click.echo("no jobs stored yet (`presswatch run` stores them); planned:")
    for job in listed:
        when = f"{job.next_run_time.astimezone(tz):%Y-%m-%d %H:%M}" if job.next_run_time else "-"
        click.echo(f"{job.id:<14} next {when}  {job.trigger:<40} {job.name}")


COMMANDS: list[click.Command] = [digest, outbox, report, alerts, run, jobs]
