"""CLI: `presswatch demo` — the whole pipeline, offline, on bundled fixture sites."""

from __future__ import annotations

from pathlib import Path

import click

from presswatch.cli import Context, pass_context
from presswatch.cli.collect import say


@click.command()
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder for the database, digests, e-mails and reports (recreated).",
)
@pass_context
def demo(ctx: Context, workdir: Path) -> None:
    """Serve bundled fixture news sites on 127.0.0.1, crawl, process and deliver; print outputs.

    Nothing leaves this machine: the outlets, feeds and sitemaps are bundled, the e-mails are
    written as .eml files.

    Example:

    \b
        presswatch demo --workdir /tmp/presswatch-demo
    """
    from presswatch.demo.run import run_demo

    result = run_demo(workdir, ctx.settings, say)
    click.echo(f"database: {result.database}")
    for name, paths in result.outputs.items():
        click.echo(f"{name}: {len(paths)}")
        for path in paths:
            click.echo(f"  {path}")


COMMANDS: list[click.Command] = [demo]
