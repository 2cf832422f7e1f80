"""CLI: `presswatch eval-misinfo`, `presswatch train-misinfo` — the content model."""

from __future__ import annotations

from pathlib import Path

import click

from presswatch.cli import Context, pass_context


def social_threshold(ctx: Context) -> float:
    """The configured flagging threshold for social posts (ReINTEL and vfnd hold posts)."""
    from presswatch.claims.policy import load_policy

    policy = load_policy(ctx.settings.path("config_dir") / "flagging.toml")
    return policy.threshold("social", [])


_DATA = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("eval-misinfo")
@click.option("--data", "data", required=True, type=_DATA, help="Labelled ReINTEL or vfnd CSV.")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    help="Score at or above which a post counts as flagged "
    "(default: the social-post threshold of config/flagging.toml).",
)
@click.option("--model", "model_file", type=_DATA, help="Model file (default: the shipped one).")
@click.option(
    "--include-trained", is_flag=True, help="Also score posts the model was trained on (inflated)."
)
@pass_context
def eval_misinfo(
    ctx: Context,
    data: Path,
    threshold: float | None,
    model_file: Path | None,
    include_trained: bool,
) -> None:
    """Score a labelled CSV with the content model: ROC-AUC, PR-AUC, precision and recall.

    The file is ReINTEL format (id,user_name,post_message,timestamp_post,num_like_post,
    num_comment_post,num_share_post,label) or vfnd format (text,label), told apart by the
    header; label 1 = unreliable. Posts the model was trained on are left out (their scores
    say nothing about quality): use `train-misinfo --cv` for the training set.

    Example:

    \b
        presswatch eval-misinfo --data ../shared/data/vfnd/vn_news_226_tlfr.csv
    """
    from presswatch.classifiers.misinfo_eval import evaluate, unseen
    from presswatch.classifiers.misinfo_model import ContentModel
    from presswatch.classifiers.reintel import file_format, read_posts

    model = ContentModel.load(model_file)
    posts = read_posts(data)
    kept = posts if include_trained else unseen(posts, model.trained_texts)
    if not kept:
        raise click.ClickException(
            f"the model was trained on all {len(posts)} posts of {data}: "
            "use `presswatch train-misinfo --data FILE --cv` for an honest estimate"
        )
    if threshold is None:
        threshold = social_threshold(ctx)
    result = evaluate(model.score(kept), [int(p.label or 0) for p in kept], threshold)
    click.echo(f"model       {model.version}")
    click.echo(f"data        {data} ({file_format(data)} format)")
    click.echo(f"posts       {result.posts} scored, {result.positives} labelled unreliable")
    if len(kept) < len(posts):
        click.echo(f"left out    {len(posts) - len(kept)} posts the model was trained on")
    click.echo(f"ROC-AUC     {result.roc_auc:.4f}")
    click.echo(f"PR-AUC      {result.pr_auc:.4f} (base rate {result.positives / result.posts:.3f})")
    click.echo(
        f"at {threshold:.2f}     precision {result.precision:.3f}  recall {result.recall:.3f}  "
        f"F1 {result.f1:.3f}  ({result.true_pos + result.false_pos} flagged)"
    )


@click.command("train-misinfo")
@click.option("--data", "data", required=True, type=_DATA, help="Labelled ReINTEL or vfnd CSV.")
@click.option("--cv", is_flag=True, help="First print grouped 5-fold cross-validation.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Model file to write.")
@click.option("--seed", default=13, show_default=True, help="Seed of the fold splits.")
def train_misinfo(data: Path, cv: bool, out: Path | None, seed: int) -> None:
    """Train the misinformation content model on a labelled CSV and write the model file.

    Without --out the file shipped in the package is replaced. Cross-validation folds are
    grouped by the poster column, so no fold is scored by a model that saw its posters.

    Example:

    \b
        presswatch train-misinfo --data ../shared/data/reintel/train.csv --cv
    """
    from presswatch.classifiers.misinfo_eval import best_f1_threshold
    from presswatch.classifiers.misinfo_model import cross_validate, train
    from presswatch.classifiers.reintel import parse_posts

    read = parse_posts(data)
    posts = read.posts
    positives = sum(p.label == 1 for p in posts)
    click.echo(f"{data}: {len(posts)} posts, {positives} unreliable, {len(read.repairs)} repairs")
    if cv:
        click.echo("grouped 5-fold cross-validation (a few minutes)…")
        result = cross_validate(posts, seed=seed, on_fold=_print_fold)
        click.echo(
            f"mean        ROC-AUC {result.mean_roc_auc:.4f}  PR-AUC {result.mean_pr_auc:.4f}"
        )
        best = best_f1_threshold(result.oof, result.labels)
        click.echo(f"best-F1 threshold on out-of-fold scores: {best:.2f}")
    click.echo("training on all posts…")
    model = train(posts, seed=seed)
    path = model.save(out)
    size = path.stat().st_size / 1e6
    click.echo(f"wrote {path} ({size:.1f} MB), version {model.version}")


def _print_fold(fold: int, roc_auc: float, pr_auc: float) -> None:
    click.echo(f"fold {fold}      ROC-AUC {roc_auc:.4f}  PR-AUC {pr_auc:.4f}")


COMMANDS: list[click.Command] = [eval_misinfo, train_misinfo]
