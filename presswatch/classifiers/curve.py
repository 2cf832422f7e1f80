"""Learning curve: held-out figures of models trained on growing parts of the labelled rows.

It answers "would more labelled rows of the same kind help?": the relevance, topic and tone
models are trained from scratch on a random part of the labelled training rows (our own
examples and the VNTC negatives always come along), written to a scratch directory, loaded by
the pipeline's own stages and scored on the fixed held-out part, exactly as `presswatch eval`
scores the shipped models. A curve that is still rising at 100 % says more labels will pay; a
flat one says the model, not the amount of data, is the limit.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from presswatch.classifiers.datasets import Example
from presswatch.classifiers.evaluation import evaluate
from presswatch.classifiers.gazetteer import Gazetteer
from presswatch.classifiers.lexicon import Lexicon
from presswatch.classifiers.relevance import RelevanceClassifier
from presswatch.classifiers.tone import ToneClassifier
from presswatch.classifiers.topics import TopicClassifier
from presswatch.classifiers.training import Params, train_all, write
from presswatch.classifiers.understanding import Analyzer
from presswatch.errors import InputError
from presswatch.pipeline.relevance import Relevance
from presswatch.pipeline.tone import Tone
from presswatch.pipeline.topics import Topics

FIGURES = ("relevance_about_f1", "topics_micro_f1", "topics_macro_f1", "tone_macro_f1")


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """Held-out figures (mean, lowest, highest over the repeats) at one part of the rows."""

    fraction: float
    rows: int
    repeats: int
    mean: dict[str, float]
    low: dict[str, float]
    high: dict[str, float]


@dataclass(frozen=True, slots=True)
class Resources:
    """What the stages are built from besides the models: the region and the lexicons."""

    gazetteer: Gazetteer
    lexicon: Lexicon
    tone_lexicon: Lexicon


def learning_curve(
    labelled: list[Example],
    always: list[Example],
    heldout: list[Example],
    resources: Resources,
    fractions: Sequence[float] = (0.25, 0.5, 0.75, 1.0),
    repeats: int = 3,
    seed: int = 0,
    on_step: Callable[[str], None] | None = None,
) -> list[CurvePoint]:
    """One point per fraction of ``labelled`` (the whole of it is trained once, not repeated)."""
    if not heldout:
        raise InputError("the held-out part is empty: nothing to score the models on")
    rng = random.Random(seed)
    step = on_step or (lambda _: None)
    points = []
    for fraction in fractions:
        if not 0 < fraction <= 1:
            raise InputError(f"fraction {fraction} must be above 0 and at most 1")
        size = max(1, round(fraction * len(labelled)))
        runs = []
        for run in range(1 if size == len(labelled) else repeats):
            step(f"{fraction:.0%} of the labelled rows ({size}), run {run + 1}")
            # The whole part in file order: the same models as `presswatch train` makes.
            sample = labelled if size == len(labelled) else rng.sample(labelled, size)
            runs.append(_heldout_figures(sample + always, heldout, resources))
        points.append(_point(fraction, size, runs))
    return points


def _heldout_figures(
    training: list[Example], heldout: list[Example], resources: Resources
) -> dict[str, float]:
    """Train every model on ``training`` and score the held-out rows with the stages."""
    trained = train_all(training, resources.gazetteer, resources.lexicon,
                        resources.tone_lexicon, Params())  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="presswatch-curve-") as scratch:
        paths = {model.kind: write(model, Path(scratch)) for model in trained}
        analyzer = Analyzer([
            Relevance(resources.gazetteer, RelevanceClassifier.load(paths["relevance"]),
                      drop=False),
            Topics(TopicClassifier.load(resources.lexicon, paths["topics"])),
            Tone(ToneClassifier.load(resources.tone_lexicon, paths["tone"])),
        ])  # fmt: skip
    outputs = [analyzer.classify({"id": e.id, "title": e.title, "text": e.text}) for e in heldout]
    return evaluate(heldout, outputs).summary()


def _point(fraction: float, rows: int, runs: list[dict[str, float]]) -> CurvePoint:
    keys = [k for k in FIGURES if all(k in run for run in runs)]
    return CurvePoint(
        fraction,
        rows,
        len(runs),
        {k: sum(run[k] for run in runs) / len(runs) for k in keys},
        {k: min(run[k] for run in runs) for k in keys},
        {k: max(run[k] for run in runs) for k in keys},
    )


def format_curve(points: list[CurvePoint], always: int) -> str:
    """The curve as a table for people: mean (lowest–highest) per figure."""
    names = {"relevance_about_f1": "about F1", "topics_micro_f1": "topics micro",
             "topics_macro_f1": "topics macro", "tone_macro_f1": "tone macro"}  # fmt: skip
    keys = [k for k in FIGURES if points and k in points[0].mean]
    lines = [f"{'part':>6}{'rows':>7}{'runs':>6}" + "".join(f"{names[k]:>22}" for k in keys)]
    for p in points:
        cells = "".join(_cell(p, k).rjust(22) for k in keys)
        lines.append(f"{p.fraction:>6.0%}{p.rows:>7}{p.repeats:>6}{cells}".rstrip())
    lines.append(f"(each run also trains on the {always} rows that always come along)")
    return "\n".join(lines)


def _cell(point: CurvePoint, key: str) -> str:
    spread = f" ({point.low[key]:.3f}–{point.high[key]:.3f})" if point.repeats > 1 else ""
    return f"{point.mean[key]:.3f}{spread:<14}"
