"""CLI: `presswatch train`, `presswatch eval`, `presswatch classify` — relevance, topics, tone."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click

from presswatch.cli import Context, pass_context

DEV = Path("../shared/data/labeled/dev.jsonl")
AUTHORED = Path("data/labeled/authored.jsonl")
NEGATIVES = Path("../shared/data/vntc/sample3000.jsonl")
_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("train")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=_FILE,
    help="Labelled JSONL to train on, all rows (repeatable). Default: see below.",
)
@click.option(
    "--dev",
    type=_FILE,
    default=DEV,
    show_default=True,
    help="Labelled file whose train part (held-out rows excluded) is used by default.",
)
@click.option(
    "--authored",
    type=_FILE,
    default=AUTHORED,
    show_default=True,
    help="Our own labelled examples, used by default.",
)
@click.option(
    "--negatives",
    type=_FILE,
    default=NEGATIVES,
    show_default=True,
    help="Real news (VNTC) used as negatives by default.",
)
@click.option(
    "--extra",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="More labelled JSONL added to the default set, e.g. from export-labels (repeatable).",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the models (default: inside the package, where they ship).",
)
@pass_context
def train(
    ctx: Context,
    data: tuple[Path, ...],
    dev: Path,
    authored: Path,
    negatives: Path,
    extra: tuple[Path, ...],
    output_dir: Path | None,
) -> None:
    """Train the relevance, topic and tone models and write them (small joblib files).

    By default the models learn from the train part of the labelled file (its fixed held-out
    third is never used), our own examples and VNTC news as negatives, plus any --extra files
    (such as the analysts' corrections from export-labels). With --data, exactly the given files
    are used. Cross-validated figures on the training rows are printed.

    Example:

    \b
        presswatch train
        presswatch train --extra office-labels.jsonl
        presswatch train --data my_labels.jsonl --output-dir /tmp/models
    """
    from presswatch.classifiers.datasets import load_jsonl
    from presswatch.classifiers.training import train_all, write

    examples = _training_examples(data, dev, authored, negatives)
    for path in extra:
        added = load_jsonl(path)
        click.echo(f"data: {len(added)} rows of {path}", err=True)
        examples += added
    trained = train_all(
        examples, *_resources(ctx), on_step=lambda s: click.echo(f"training: {s}", err=True)
    )
    for model in trained:
        path = write(model, output_dir)
        figures = ", ".join(f"{k} {v:.3f}" for k, v in model.cv.items())
        size = path.stat().st_size / 1000
        click.echo(f"{model.kind:<10} {model.meta['model_version']}  {size:.0f} kB  {figures}")
        click.echo(f"           written to {path}")


def _training_examples(
    data: tuple[Path, ...], dev: Path, authored: Path, negatives: Path
) -> list[Any]:
    from presswatch.classifiers.datasets import load_jsonl, split

    if data:
        return [e for path in data for e in load_jsonl(path)]
    labelled = load_jsonl(dev)
    train_part, _ = split(labelled)
    own, extra = _own_and_negatives(authored, negatives, labelled)
    click.echo(
        f"data: {len(train_part)} rows of {dev} (train part), {len(own)} of {authored}, "
        f"{len(extra)} negatives from {negatives}",
        err=True,
    )
    return train_part + own + extra


def _own_and_negatives(
    authored: Path, negatives: Path, labelled: list[Any]
) -> tuple[list[Any], list[Any]]:
    """Our own examples and the VNTC negatives (none of the labelled texts), where the files are."""
    from presswatch.classifiers.datasets import load_jsonl, vntc_negatives

    own = load_jsonl(authored) if authored.exists() else []
    return own, vntc_negatives(negatives, labelled) if negatives.exists() else []


def _resources(ctx: Context) -> tuple[Any, Any, Any]:
    from presswatch.classifiers.gazetteer import Gazetteer
    from presswatch.classifiers.lexicon import Lexicon
    from presswatch.classifiers.tone import tone_lexicon

    config = ctx.settings.path("config_dir")
    return (
        Gazetteer.from_toml(config / "region.toml"),
        Lexicon.from_toml(config / "topics.toml"),
        tone_lexicon(),
    )


@click.command("eval")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEV,
    show_default=True,
    help="Labelled JSONL file.",
)
@click.option(
    "--split",
    "part",
    type=click.Choice(["heldout", "all"]),
    default="heldout",
    show_default=True,
    help="Score the fixed held-out part, or every row.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary figures as JSON.")
@pass_context
def evaluate(ctx: Context, data: Path, part: str, as_json: bool) -> None:
    """Score the shipped models on labelled data: precision, recall and F1 per label, micro and
    macro, and confusion tables for relevance and tone.

    The held-out part is the fixed third of the file the models never train on; "all" also
    scores rows they were trained on (and says so).

    Example:

    \b
        presswatch eval --data ../shared/data/labeled/dev.jsonl --split heldout
    """
    from presswatch.classifiers.datasets import load_jsonl, split
    from presswatch.classifiers.evaluation import evaluate as score
    from presswatch.classifiers.evaluation import format_report
    from presswatch.classifiers.understanding import Analyzer

    examples = load_jsonl(data)
    if part == "heldout":
        examples = split(examples)[1]
    analyzer = Analyzer.from_settings(ctx.settings)
    outputs = [analyzer.classify({"id": e.id, "title": e.title, "text": e.text}) for e in examples]
    report = score(examples, outputs)
    if as_json:
        click.echo(json.dumps(report.summary(), indent=2))
        return
    click.echo(f"{data} ({part}{': includes training rows' if part == 'all' else ''})")
    click.echo(format_report(report))


@click.command("learning-curve")
@click.option(
    "--dev",
    type=_FILE,
    default=DEV,
    show_default=True,
    help="Labelled file: its train part is sampled, its held-out part scored.",
)
@click.option(
    "--authored",
    type=_FILE,
    default=AUTHORED,
    show_default=True,
    help="Our own labelled examples, in every run.",
)
@click.option(
    "--negatives",
    type=_FILE,
    default=NEGATIVES,
    show_default=True,
    help="Real news (VNTC) used as negatives, in every run.",
)
@click.option(
    "--fractions",
    default="0.25,0.5,0.75,1",
    show_default=True,
    help="Parts of the train part to train on, comma-separated.",
)
@click.option(
    "--repeats",
    type=click.IntRange(1, 20),
    default=3,
    show_default=True,
    help="Random samples per part (the whole train part is trained once).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the samples.")
@pass_context
def learning_curve(
    ctx: Context, dev: Path, authored: Path, negatives: Path, fractions: str, repeats: int,
    seed: int,
) -> None:  # fmt: skip
    """Train the relevance, topic and tone models on growing parts of the labelled rows and
    score each on the fixed held-out part: does labelling more rows of the same kind pay?

    Our own examples and the VNTC negatives come along in every run. Each figure is the mean
    over the runs, with the lowest and highest in brackets.

    Example:

    \b
        presswatch learning-curve --fractions 0.5,1 --repeats 2
    """
    from presswatch.classifiers.curve import Resources, format_curve
    from presswatch.classifiers.curve import learning_curve as curve
    from presswatch.classifiers.datasets import load_jsonl, split

    try:
        parts = [float(f) for f in fractions.split(",") if f.strip()]
    except ValueError:
        raise click.BadParameter(
            f"{fractions!r} is not a list of numbers", param_hint="--fractions"
        ) from None
    labelled = load_jsonl(dev)
    train_part, heldout = split(labelled)
    own, extra = _own_and_negatives(authored, negatives, labelled)
    always = own + extra
    points = curve(train_part, always, heldout, Resources(*_resources(ctx)), parts, repeats,
                   seed, on_step=lambda s: click.echo(f"training: {s}", err=True))  # fmt: skip
    click.echo(f"{dev}: {len(train_part)} labelled training rows, {len(heldout)} held out")
    click.echo(format_curve(points, len(always)))


@click.command("classify")
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    default="-",
    help="JSONL with id, text and optional title, url, source, published_at, "
    "engagement (default: stdin).",
)
@click.option(
    "--output",
    "output_file",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="JSONL with one result per input line (default: stdout).",
)
@pass_context
def classify(ctx: Context, input_file: IO[str], output_file: IO[str]) -> None:
    """Classify documents: relevance to the region, topics, tone and misinformation score.

    Each output line has id, relevance (0/1/2), relevance_score, topics, topic_scores, tone,
    tone_score, misinfo_score, flag and reasons. A bad input line is reported on stderr with its
    line number and skipped; the other lines still come out. Misinformation uses the claim base
    of the configured database; a record's `source` naming a configured source sets its kind,
    otherwise a record with engagement counts is read as a social post.

    Example:

    \b
        presswatch classify --input articles.jsonl --output results.jsonl
        echo '{"id": 1, "text": "Sóc Trăng khánh thành cầu mới"}' | presswatch classify
    """
    from presswatch.classifiers.understanding import Analyzer
    from presswatch.errors import InputError

    analyzer = Analyzer.from_settings(ctx.settings, **_claim_base(ctx))
    done = skipped = 0
    for number, line in enumerate(input_file, start=1):
        if not line.strip():
            continue
        try:
            result = analyzer.classify(_record(line))
        except (ValueError, InputError) as exc:
            click.echo(f"line {number}: skipped: {exc}", err=True)
            skipped += 1
            continue
        output_file.write(json.dumps(result, ensure_ascii=False) + "\n")
        done += 1
    output_file.flush()
    if output_file is not sys.stdout or skipped:
        click.echo(f"{done} classified, {skipped} skipped", err=True)


def _claim_base(ctx: Context) -> dict[str, Any]:
    """The configured database as context, so misinformation can match its claim base.

    Read only: a database that does not exist yet (or is not migrated) is left alone.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from presswatch.errors import StorageError
    from presswatch.storage.db import check_schema, make_engine, resolve_url

    url = resolve_url(ctx.settings.database_url, ctx.settings.base_dir)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return {}
    engine = make_engine(url)
    try:
        check_schema(engine)
    except (StorageError, SQLAlchemyError):
        engine.dispose()
        return {}
    return {"engine": engine}


def _record(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at column {exc.colno})") from None


COMMANDS: list[click.Command] = [train, evaluate, learning_curve, classify]
