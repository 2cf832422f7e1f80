"""CLI: the claim base (import, list, add, export) and the analysts' verdicts on flags."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from presswatch.cli import Context, pass_context
from presswatch.cli.collect import open_engine

FORMAT = click.Choice(["json", "csv", "claimreview"])
KIND = click.Choice(["false_claim", "fact", "press_release"])


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@click.group()
def claims() -> None:
    """The claim base: known false claims, verified facts and press releases.

    Example:

    \b
        presswatch claims import debunks.json && presswatch claims list --kind false_claim
    """


@claims.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT, help="Default: from the file's extension.")
@click.option("--base-url", default="", help="Replaces {{BASE}} in URLs (the demo's files).")
@pass_context
def import_(ctx: Context, file: Path, fmt: str | None, base_url: str) -> None:
    """Import claims from JSON, CSV or a page with ClaimReview markup (idempotent).

    JSON and CSV fields: kind (false_claim, fact, press_release), claim/statement/text,
    correction, subject, value, source_url, published_at (ISO 8601), keywords (a list, or
    separated by ";" in CSV). Importing the same file again adds nothing.

    Example:

    \b
        presswatch claims import debunks.csv
        presswatch claims import saved-page.html --format claimreview
    """
    from presswatch.claims.base import import_claims, read_claims
    from presswatch.storage.db import transaction
    from presswatch.storage.models import utcnow

    entries = read_claims(file, fmt, base_url=base_url, now=utcnow())
    with transaction(open_engine(ctx)) as session:
        summary = import_claims(session, entries, actor=_actor())
    click.echo(f"{file.name}: {len(entries)} claims read; {summary}")


@claims.command("list")
@click.option("--kind", type=KIND, help="Only this kind.")
@click.option("--all", "show_all", is_flag=True, help="Include switched-off entries.")
@pass_context
def list_(ctx: Context, kind: str | None, show_all: bool) -> None:
    """List the claim base, one entry per line.

    Example:

    \b
        presswatch claims list --kind fact
    """
    from presswatch.storage import queries
    from presswatch.storage.db import transaction

    with transaction(open_engine(ctx)) as session:
        rows = queries.claims_listing(session, kind, None if show_all else True)
        for row in rows:
            state = "" if row.active else " (off)"
            value = f" = {row.value}" if row.value else ""
            click.echo(f"#{row.id} [{row.kind}]{state} {_short(row.text)}{value}")
    click.echo(f"{len(rows)} entries", err=True)


@claims.command("add")
@click.option("--kind", type=KIND, required=True)
@click.option("--text", required=True, help="The claim, the fact's statement or the release.")
@click.option("--correction", default="", help="The correcting facts (false claims).")
@click.option("--subject", default="", help="What a fact is about (facts).")
@click.option("--value", default="", help="The verified number, date or name (facts).")
@click.option("--source-url", default="", help="Where the debunk or the fact was published.")
@click.option("--keyword", "keywords", multiple=True, help="A keyword; repeat for more.")
@pass_context
def add(
    ctx: Context, kind: str, text: str, correction: str, subject: str, value: str,
    source_url: str, keywords: tuple[str, ...],
) -> None:  # fmt: skip
    """Add one entry to the claim base (audited).

    Example:

    \b
        presswatch claims add --kind fact --text "Khu vực Sóc Trăng (cũ) có 92 ngôi chùa Khmer." \\
            --subject "số ngôi chùa Khmer ở khu vực Sóc Trăng (cũ)" --value 92
    """
    from presswatch.review.actions import ClaimInput, create_claim
    from presswatch.storage.db import transaction

    data = ClaimInput(kind=kind, text=text, correction=correction, subject=subject, value=value,
                      source_url=source_url, keywords=keywords)  # fmt: skip
    with transaction(open_engine(ctx)) as session:
        claim = create_claim(session, data, _actor())
        click.echo(f"added #{claim.id}")


@claims.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
@click.option("--kind", type=KIND, help="Only this kind.")
@pass_context
def export(ctx: Context, fmt: str, output: Path | None, kind: str | None) -> None:
    """Export the claim base in the import format.

    Example:

    \b
        presswatch claims export --format csv --output claims.csv
    """
    from presswatch.claims.base import export_text
    from presswatch.storage import queries
    from presswatch.storage.db import transaction

    with transaction(open_engine(ctx)) as session:
        text = export_text(queries.claims_listing(session, kind), fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@click.command("eval-flags")
@pass_context
def eval_flags(ctx: Context) -> None:
    """Precision of flags from the analysts' decisions: overall, by signal and by source.

    Example:

    \b
        presswatch eval-flags
    """
    from presswatch.claims.reviews import Precision, flag_precision
    from presswatch.storage.db import transaction

    with transaction(open_engine(ctx)) as session:
        report = flag_precision(session)

    def line(p: Precision) -> str:
        share = "  –  " if p.precision is None else f"{p.precision:5.1%}"
        return f"  {p.key:<28} {share}  {p.confirmed:>5} confirmed  {p.dismissed:>5} dismissed"

    click.echo(f"reviewed flags: {report.overall.reviewed}")
    click.echo(line(report.overall))
    for title, groups in (("by signal", report.by_signal), ("by source", report.by_source)):
        click.echo(title)
        for group in groups:
            click.echo(line(group))


@click.command("export-reviews")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_context
def export_reviews(ctx: Context, output: Path) -> None:
    """Export confirmed (label 1) and dismissed (label 0) flags as JSONL training data.

    Personal data in the text is redacted; no author or reviewer is exported.

    Example:

    \b
        presswatch export-reviews --output reviews.jsonl
    """
    from presswatch.claims.reviews import export_training
    from presswatch.storage.db import transaction

    with transaction(open_engine(ctx)) as session:
        count = export_training(session, output)
    click.echo(f"{count} reviewed flags written to {output}")


@click.command("export-labels")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_context
def export_labels(ctx: Context, output: Path) -> None:
    """Export the analysts' label corrections (relevance, topics, tone) as labelled JSONL.

    The file has the format `presswatch train` reads; add it with --extra. Personal data in the
    text is redacted; no author or reviewer is exported.

    Example:

    \b
        presswatch export-labels --output office-labels.jsonl
        presswatch train --extra office-labels.jsonl
    """
    from presswatch.claims.reviews import export_labels as write
    from presswatch.storage.db import transaction

    with transaction(open_engine(ctx)) as session:
        count = write(session, output)
    click.echo(f"{count} labelled documents written to {output}")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


COMMANDS: list[click.Command] = [claims, eval_flags, export_reviews, export_labels]
