"""CLI: `presswatch extract` — print what the extractor finds in one saved page."""

from __future__ import annotations

import json
from pathlib import Path

import click

from presswatch.cli import Context, pass_context


@click.command("extract")
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="Address the page was saved from: picks the outlet's hints.")
@pass_context
def extract_page(ctx: Context, page: Path, url: str | None) -> None:
    """Print the headline, text, date, author and language found in a saved page, as JSON.

    Hints come from the source in config/sources.toml on the page's domain, else from the
    built-in table for well-known outlets. A page without article text (a listing page,
    an empty page) is an error.

    Example:

    \b
        presswatch extract saved/page.html --url https://vnexpress.net/abc.html
    """
    from presswatch.crawlers.extract import extract
    from presswatch.crawlers.extract_hints import source_hints
    from presswatch.sources import load_sources

    sources_file = ctx.settings.path("config_dir") / "sources.toml"
    sources = load_sources(sources_file) if url and sources_file.exists() else []
    result = extract(page.read_bytes(), url=url, hints=source_hints(url or "", sources))
    published = result.published_at.isoformat() if result.published_at else None
    fields = {
        "title": result.title,
        "text": result.text,
        "published_at": published,
        "author": result.author,
        "language": result.language,
        "description": result.description,
        "canonical_url": result.canonical_url,
        "image_url": result.image_url,
    }
    click.echo(json.dumps(fields, ensure_ascii=False, indent=2))


COMMANDS: list[click.Command] = [extract_page]
