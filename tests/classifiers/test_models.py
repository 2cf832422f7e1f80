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
