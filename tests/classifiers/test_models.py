"""Shipped models: the plain-array export equals scikit-learn, and bad files give ModelError."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import pytest

from presswatch.classifiers.modelio import load_model, model_path, save_model
from presswatch.classifiers.text import tokens
from presswatch.classifiers.training import Params, fit_tfidf
from presswatch.errors import ModelError

DOCS = [
    tokens("Ngư dân Sóc Trăng ra khơi đánh bắt hải sản"),
    tokens("Du khách đến Sóc Trăng dự lễ hội đua ghe ngo"),
    tokens("Ngư dân bám biển, du khách tham quan lễ hội"),
]


def test_tfidf_export_matches_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from presswatch.classifiers.text import ngrams

    vec, matrix = fit_tfidf(DOCS, Params(min_df=1, max_df=1.0))
    reference = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=1, max_df=1.0)
    expected = reference.fit_transform(DOCS)
    order = [reference.vocabulary_[name] for name in vec.names()]
    assert np.allclose(matrix.toarray(), expected.toarray()[:, order])


def test_presence_model_export_matches_nbsvm_in_scikit_learn() -> None:
    """The exported NB-SVM (ratio folded into the coefficients) scores as the fitted models do."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from presswatch.classifiers.text import ngrams
    from presswatch.classifiers.training import fit_presence

    docs = DOCS * 2 + [tokens("Tàu cá vi phạm bị xử phạt nặng"), tokens("Lễ hội thành công rực rỡ")]
    y = np.array([0, 2, 1, 0, 2, 1, 0, 2])
    params = Params(min_df=1, max_df=1.0)
    model = fit_presence(docs, y, ["negative", "neutral", "positive"], params)
    counter = CountVectorizer(analyzer=ngrams, binary=True, min_df=1, max_df=1.0)
    x = counter.fit_transform(docs).astype(float)
    decisions = []
    for k in range(3):
        inside = np.asarray(x[y == k].sum(axis=0)).ravel() + 1
        outside = np.asarray(x[y != k].sum(axis=0)).ravel() + 1
        ratio = np.log((inside / inside.sum()) / (outside / outside.sum()))
        reference = LogisticRegression(C=params.tone_presence_c, class_weight="balanced",
                                       max_iter=5000, solver="liblinear")  # fmt: skip
        reference.fit(x.multiply(ratio).tocsr(), (y == k).astype(int))
        decisions.append(reference.decision_function(x.multiply(ratio).tocsr()))
    expected = np.exp(np.array(decisions).T)
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.allclose(model.probabilities(docs, np.zeros((len(docs), 0))), expected)
    assert set(model.vectorizer.transform(docs[:1]).data) == {1.0}  # type: ignore[union-attr]


def test_shipped_tone_model_blends_the_presence_model() -> None:
    from presswatch.classifiers.tone import ToneClassifier

    tone = ToneClassifier.load()
    assert tone.presence is not None and 0 < tone.blend < 1
    tag = tone.tag("Lũ quét cuốn trôi nhiều nhà dân", "Nhiều người chết và mất tích sau trận lũ.")
    assert tag.label == "negative" and tag.evidence


@pytest.mark.parametrize("kind", ["relevance", "topics", "tone"])
def test_shipped_models_load(kind: str) -> None:
    meta, payload = load_model(kind, model_path(kind))
    assert meta["model_version"].startswith(kind) and meta["format"] == 1
    assert "linear" in payload


def test_wrong_or_missing_files_are_model_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="run `presswatch train`"):
        load_model("tone", tmp_path / "tone.joblib")
    save_model("topics", {"linear": {}}, {"model_version": "x"}, tmp_path / "tone.joblib")
    with pytest.raises(ModelError, match="is a 'topics' model"):
        load_model("tone", tmp_path / "tone.joblib")
    joblib.dump({"meta": {"kind": "tone", "format": 1, "numpy": "0.1"}, "model": {}},
                tmp_path / "old.joblib")  # fmt: skip
    with pytest.raises(ModelError, match=r"written with numpy 0\.1"):
        load_model("tone", tmp_path / "old.joblib")
    (tmp_path / "junk.joblib").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="unreadable"):
        load_model("tone", tmp_path / "junk.joblib")
