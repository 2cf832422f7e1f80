"""The learning curve trains on parts of the labelled rows and scores the held-out part."""

from __future__ import annotations

import numpy as np
import pytest

from presswatch.classifiers.curve import FIGURES, Resources, format_curve, learning_curve
from presswatch.classifiers.datasets import load_jsonl, split
from presswatch.classifiers.gazetteer import Gazetteer
from presswatch.classifiers.lexicon import TOPIC_IDS, Lexicon
from presswatch.classifiers.tone import tone_lexicon
from presswatch.classifiers.topics import TopicClassifier
from presswatch.classifiers.training import Params, fit_logistic, prepare, train_topics
from presswatch.errors import InputError
from tests.conftest import REPO

OWN = REPO / "data/labeled/authored.jsonl"


@pytest.fixture(scope="module")
def resources() -> Resources:
    config = REPO / "config"
    return Resources(
        Gazetteer.from_toml(config / "region.toml"),
        Lexicon.from_toml(config / "topics.toml"),
        tone_lexicon(),
    )


def test_curve_samples_parts_and_scores_the_heldout_rows(resources: Resources) -> None:
    labelled, heldout = split(load_jsonl(OWN))
    points = learning_curve(labelled, [], heldout, resources, (0.5, 1.0), repeats=2, seed=1)
    half, whole = points
    assert (half.rows, half.repeats) == (round(len(labelled) / 2), 2)
    assert (whole.rows, whole.repeats) == (len(labelled), 1)  # the whole part is trained once
    for point in points:
        assert set(point.mean) == set(FIGURES)
        for key in FIGURES:
            assert 0 <= point.low[key] <= point.mean[key] <= point.high[key] <= 1
    # Our own examples are clean: models trained on two thirds of them do well on the rest.
    assert whole.mean["relevance_about_f1"] > 0.8 and whole.mean["topics_micro_f1"] > 0.6
    table = format_curve(points, 0).splitlines()
    assert table[1].split()[:3] == ["50%", str(half.rows), "2"]
    assert table[2].split()[:3] == ["100%", str(len(labelled)), "1"]


def test_curve_refuses_bad_parts(resources: Resources) -> None:
    labelled, heldout = split(load_jsonl(OWN))
    with pytest.raises(InputError, match=r"fraction 1\.5"):
        learning_curve(labelled, [], heldout, resources, (1.5,))
    with pytest.raises(InputError, match="held-out part is empty"):
        learning_curve(labelled, [], [], resources, (1.0,))


def test_a_label_without_positive_rows_gets_a_constant_model() -> None:
    coef, intercept = fit_logistic(np.eye(3), np.zeros(3, dtype=int), 1.0)
    assert not coef.any() and intercept[0] < -5


def test_topics_train_when_no_row_has_a_topic(resources: Resources) -> None:
    """A small labelled file may lack a topic: training works and never tags it."""
    rows = [e for e in load_jsonl(OWN) if "asean" not in (e.topics or [])]
    trained = train_topics(prepare(rows), resources.lexicon, Params())
    assert set(trained.payload["thresholds"]) == set(TOPIC_IDS)
    from presswatch.classifiers.linear import TextModel

    classifier = TopicClassifier(resources.lexicon, TextModel.from_payload(trained.payload),
                                 trained.payload["thresholds"], "test")  # fmt: skip
    tags, scores = classifier.tags("Hội nghị Cấp cao ASEAN lần thứ 40", "Các nước ASEAN họp.")
    assert "asean" not in tags and scores["asean"] < 0.01
