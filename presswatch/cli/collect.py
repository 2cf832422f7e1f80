"""CLI: collecting and processing — migrate, crawl, process, status."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from presswatch.cli import Context, pass_context

if TYPE_CHECKING:
    from sqlalchemy import Engine


def open_engine(ctx: Context, *, migrate: bool = True) -> Engine:
    """The database engine of these settings, migrated to the newest schema."""
    from presswatch.storage.db import make_engine, resolve_url
    from presswatch.storage.db import migrate as do_migrate

    engine = make_engine(resolve_url(ctx.settings.database_url, ctx.settings.base_dir))
    if migrate:
        do_migrate(engine)
    return engine


def say(line: str) -> None:
    """Progress for people, on stderr so stdout stays clean for data."""
    click.echo(line, err=True)


@click.command()
@pass_context
def migrate(ctx: Context) -> None:
    """Create or upgrade the database schema (every command also does this).

    Example:

    \b
        PRESSWATCH_DATABASE_URL=postgresql://pw@db/presswatch presswatch migrate
    """
    from presswatch.storage.db import current_revision

    engine = open_engine(ctx)
    click.echo(f"database at revision {current_revision(engine)}")


@click.command()
@click.argument("sources", nargs=-1)
@pass_context
def crawl(ctx: Context, sources: tuple[str, ...]) -> None:
    """Fetch the enabled sources (or the ones named) and store the documents they list.

    Politeness is built in: robots.txt, per-domain concurrency and delay, retries with backoff,
    timeouts and size limits. A failing source is logged and counted; the others go on.

    Example:

    \b
        presswatch crawl                 # every enabled source
        presswatch crawl vnexpress-thoi-su tuoitre-thoi-su
    """
    from presswatch.ingest import crawl as do_crawl

    summary = do_crawl(ctx.settings, open_engine(ctx), sources or None, progress=say)
    click.echo(
        f"crawl #{summary.run_id}: {summary.fetched} pages fetched, {summary.kept} documents stored"
    )
    for title, counts in (("left out", summary.dropped), ("errors", summary.errors)):
        if counts:
            click.echo(f"  {title}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


@click.command()
@click.option("--limit", type=int, help="Process at most this many documents.")
@pass_context
def process(ctx: Context, limit: int | None) -> None:
    """Run the pipeline stages over every collected document that waits for them.

    normalise → dedup/story → relevance → topics → tone → misinformation; each dropped
    document keeps its reason.

    Example:

    \b
        presswatch process --limit 500
    """
    from presswatch.ingest import process_pending

    summary = process_pending(ctx.settings, open_engine(ctx), limit=limit, progress=say)
    click.echo(f"process #{summary.run_id}: {summary.taken} taken, {summary.kept} kept")
    for reason, n in summary.dropped.most_common():
        click.echo(f"  dropped {n}: {reason}")


@click.command()
@pass_context
def status(ctx: Context) -> None:
    """Show documents by status, recent runs, drop reasons and source health.

    Example:

    \b
        presswatch status
    """
    from presswatch.storage import queries
    from presswatch.storage.db import transaction

    with transaction(open_engine(ctx)) as session:
        counts = queries.count_documents_by_status(session)
        click.echo(
            "documents: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
        )
        for reason, n in queries.drop_reasons(session):
            click.echo(f"  dropped {n}: {reason}")
        click.echo("recent runs:")
        for run in queries.recent_runs(session):
            click.echo(
                f"  #{run.id} {run.kind} {run.status} {run.started_at:%Y-%m-%d %H:%M} "
                f"fetched {run.fetched} kept {run.kept} errors {sum(run.errors.values())}"
            )
        click.echo("sources:")
        for src in queries.source_health(session):
            last = f"{src['last_fetch_at']:%Y-%m-%d %H:%M}" if src["last_fetch_at"] else "never"
            error = f" — {src['last_error'][:80]}" if src["last_error"] else ""
            click.echo(
                f"  {src['key']}: {src['documents']} docs, last fetch {last} "
                f"({src['last_status'] or '-'}){error}"
            )
    sys.stdout.flush()


@click.command("settings")
@click.option("--example", is_flag=True, help="Print the example file with every default instead.")
@pass_context
def show_settings(ctx: Context, example: bool) -> None:
    """Show the settings in effect (secrets hidden), or the example settings file.

    Example:

    \b
        presswatch settings --example > config/settings.toml
    """
    from presswatch.settings import example_toml

    if example:
        click.echo(example_toml(), nl=False)
        return
    for name, value in ctx.settings.as_dict().items():
        click.echo(f"{name} = {value!r}")


COMMANDS: list[click.Command] = [migrate, crawl, process, status, show_settings]
