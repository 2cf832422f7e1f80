"""CLI: social data — importing social-listening exports, and the social posts' retention."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from presswatch.cli import Context, pass_context
from presswatch.cli.collect import open_engine, say

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

BAD_ROWS_SHOWN = 20


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_name",
    default="generic",
    show_default=True,
    help="Column mapping from config/imports.toml (built in: generic).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_context
def import_(ctx: Context, file: Path, mapping_name: str, quiet: bool) -> None:
    """Import a social-listening export or platform download (CSV, JSON array or JSON Lines).

    Each post is stored once: importing the same file again adds nothing. Rows that cannot be
    read are listed with their line number and skipped. The `generic` mapping reads the columns
    platform,channel,url,published_at,text,likes,comments,shares.

    Example:

    \b
        presswatch import export-2025-10.csv --mapping generic
    """
    from presswatch.errors import ConfigError
    from presswatch.imports import file_size, import_file, load_mappings

    mappings = load_mappings(ctx.settings.path("config_dir") / "imports.toml")
    if mapping_name not in mappings:
        known = ", ".join(sorted(mappings))
        raise ConfigError(f"unknown mapping {mapping_name!r}; config/imports.toml has: {known}")
    engine = open_engine(ctx)
    with _Progress(file.name, file_size(file), quiet) as progress:
        summary = import_file(engine, file, mappings[mapping_name], progress=progress)
    click.echo(
        f"import #{summary.run_id}: {summary.rows} rows, {summary.added} posts added, "
        f"{summary.already} already stored, {summary.bad} bad rows, "
        f"{summary.readings} engagement readings"
    )
    for number, reason in summary.bad_rows[:BAD_ROWS_SHOWN]:
        say(f"  line {number}: {reason}")
    if summary.bad > BAD_ROWS_SHOWN:
        say(f"  … and {summary.bad - BAD_ROWS_SHOWN} more bad rows")


class _Progress:
    """A progress bar on a terminal; otherwise a line on stderr every tenth of the file."""

    def __init__(self, name: str, size: int, quiet: bool) -> None:
        self.name, self.size, self.quiet = name, max(size, 1), quiet
        self.stream = sys.stderr
        self.bar: ProgressBar[int] | None = None
        if not quiet and self.stream.isatty():
            self.bar = click.progressbar(
                length=self.size, label=f"importing {name}", file=self.stream
            )
        self.done = 0
        self.next_line = 0.1

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __call__(self, read: int, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(read - self.done)
        elif not self.quiet and read / self.size >= self.next_line:
            say(f"  {self.name}: {rows} rows read ({read * 100 // self.size}%)")
            self.next_line = read / self.size + 0.1
        self.done = read

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command()
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--days", type=click.IntRange(min=1), help="Retention in days (default: setting).")
@pass_context
def retention(ctx: Context, dry_run: bool, days: int | None) -> None:
    """Delete social posts older than the retention period, unless a flag or review holds them.

    Example:

    \b
        presswatch retention --dry-run
    """
    from presswatch.retention import apply_retention

    days = days or ctx.settings.social_retention_days
    result = apply_retention(open_engine(ctx), days, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    count = result.expired - result.held if dry_run else result.deleted
    click.echo(
        f"retention {days} days (before {result.cutoff:%Y-%m-%d %H:%M} UTC): "
        f"{result.expired} social posts expired, {result.held} held by a flag or review, "
        f"{verb} {count}"
        + (f", {result.stories_removed} empty stories removed" if not dry_run else "")
    )


COMMANDS: list[click.Command] = [import_, retention]
