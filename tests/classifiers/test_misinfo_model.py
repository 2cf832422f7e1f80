"""The misinformation content model: shipped file, features, explanations, CLI and grouped CV."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
from click.testing import CliRunner
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score

from presswatch.classifiers.misinfo_features import PostInput, meta_row, normalize_text
from presswatch.classifiers.misinfo_model import (
    DEFAULT_PATH,
    MODEL_VERSION,
    ContentModel,
    CVResult,
)
from presswatch.classifiers.misinfo_text import WORD_TOKENS, TextFeatures, term_hash
from presswatch.classifiers.misinfo_trees import TreeEnsemble
from presswatch.classifiers.reintel import Post, read_reintel, read_vfnd
from presswatch.cli import Context
from presswatch.cli.misinfo import eval_misinfo, train_misinfo
from presswatch.errors import ModelError
from presswatch.settings import Settings
from tests.conftest import shared_data

ALARM = (
    "KHẨN CẤP!!! Mọi người ơi chia sẻ gấp nhé, nghe nói tối nay phun thuốc diệt virus corona "
    "trên toàn thành phố, đóng hết cửa lại!!! Ai không tin thì thôi"
)


@pytest.fixture(scope="module")
def model() -> ContentModel:
    if not DEFAULT_PATH.exists():
        pytest.skip(f"no shipped model at {DEFAULT_PATH}")
    return ContentModel.load()


@pytest.fixture(scope="module")
def reintel() -> list[Post]:
    return read_reintel(shared_data("reintel", "train.csv"))


def test_shipped_model_scores_real_posts(model: ContentModel, reintel: list[Post]) -> None:
    # A smoke test of loading and scoring: these posts were in the training data, so the AUC
    # only has to be sane here; the honest figures come from the grouped CV below.
    sample = [p for p in reintel if p.label == 1][:25] + [p for p in reintel if p.label == 0][:25]
    scores = model.score(sample)
    assert len(scores) == 50 and all(0.0 <= s <= 1.0 for s in scores)
    assert roc_auc_score([p.label for p in sample], scores) > 0.9
    assert model.version.startswith(MODEL_VERSION)


def test_out_of_domain_posts_rank_better_than_chance(model: ContentModel) -> None:
    posts = read_vfnd(shared_data("vfnd", "vn_news_226_tlfr.csv"))
    assert roc_auc_score([p.label for p in posts], model.score(posts)) > 0.65


def test_unknown_engagement_and_time_are_scored(model: ContentModel) -> None:
    bare = PostInput(ALARM)
    full = PostInput(ALARM, datetime(2026, 3, 1, 21, tzinfo=UTC), 12, 40, 300)
    scores = model.score([bare, full, PostInput("")])
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert model.score([]) == []


def test_explain_gives_readable_reasons(model: ContentModel) -> None:
    post = PostInput(ALARM, None, 5, 2, 80)
    reasons = model.explain(post, k=5)
    assert 1 <= len(reasons) <= 5
    for reason in reasons:
        assert re.search(r"[^\W\d_]{2,}", reason), reason
    terms = [r for r in reasons if r.startswith("cụm từ")]
    assert terms and all(r[8:-1] in normalize_text(ALARM) for r in terms)  # “…” quoted terms
    assert model.explain(post, k=2) == reasons[:2]


def test_sober_post_has_lower_score_than_alarm(model: ContentModel) -> None:
    sober = PostInput(
        "Sáng 12/3, UBND tỉnh tổ chức hội nghị triển khai kế hoạch phát triển kinh tế - xã hội "
        "năm 2026, với sự tham dự của lãnh đạo các sở, ban, ngành."
    )
    assert model.score([sober])[0] < model.score([PostInput(ALARM)])[0]


def test_text_features_equal_scikit_learn(reintel: list[Post]) -> None:
    texts = [normalize_text(p.text) for p in reintel[:1200]]
    unseen = [normalize_text(p.text) for p in reintel[1200:1500]] + ["", "a", "😀 x\n\n y!!"]
    ours = TextFeatures().fit(texts)
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                            token_pattern=WORD_TOKENS, lowercase=False).fit(texts)  # fmt: skip
    chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 6), min_df=3, sublinear_tf=True,
                            max_features=300_000, lowercase=False).fit(texts)  # fmt: skip
    # Our character columns are in hash order, scikit-learn's in alphabetical order.
    terms = chars.get_feature_names_out()
    hashes = np.array([term_hash(t) for t in terms], dtype=np.uint64)
    ours_column = np.searchsorted(ours.char_hashes, hashes)
    assert (ours.char_hashes[ours_column] == hashes).all()
    order = np.empty(len(terms), dtype=int)
    order[ours_column] = np.arange(len(terms))
    reference = sp.hstack([words.transform(unseen), chars.transform(unseen)[:, order]]).tocsr()
    assert abs(ours.transform(unseen) - reference).max() < 1e-12


def test_flat_trees_equal_the_booster() -> None:
    rng = np.random.default_rng(5)
    rows = rng.normal(size=(400, 6))
    labels = (rows[:, 0] + rows[:, 1] * rows[:, 2] > 0).astype(int)
    rows[rng.random(rows.shape) < 0.1] = np.nan
    booster = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=8).fit(rows, labels)
    trees = TreeEnsemble.from_booster(booster, rows)
    probe = rng.normal(size=(50, 6))
    probe[::3, 1] = np.nan
    assert np.allclose(trees.margin(probe), booster.decision_function(probe), atol=1e-9)


def test_meta_features_never_see_the_poster() -> None:
    post = Post("1", "group-a", "Tin NÓNG!!! gọi 0912 345 678 #covid", None, 3, 1, 0, 1)
    same = Post("2", "group-b", post.text, None, 3, 1, 0, 0)
    assert meta_row(post) == meta_row(same)


def test_normalize_text_is_vietnamese_aware() -> None:
    decomposed = "Hoa\u0300 bi\u0300nh thuỷ <URL>"
    assert normalize_text(decomposed) == "hòa bình thủy  urltoken "


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no misinformation content model"), (b"not a model", "not a readable model file")],
)
def test_load_refuses_missing_or_broken_files(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "misinfo.joblib"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelError, match=message):
        ContentModel.load(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"family": "misinfo-content-1999.01-1"}, "this PressWatch needs"),
     ({"numpy": "0.9.0"}, "written with numpy 0.9.0"), ({"kind": "tone"}, "'tone' model")],
)  # fmt: skip
def test_load_refuses_incompatible_files(
    model: ContentModel, tmp_path: Path, change: dict[str, str], message: str
) -> None:
    data = joblib.load(DEFAULT_PATH)
    data["meta"].update(change)
    joblib.dump(data, tmp_path / "other.joblib")
    with pytest.raises(ModelError, match=message):
        ContentModel.load(tmp_path / "other.joblib")


def test_eval_command_on_vfnd(model: ContentModel) -> None:
    data = shared_data("vfnd", "vn_news_226_tlfr.csv")
    result = CliRunner().invoke(
        eval_misinfo, ["--data", str(data), "--threshold", "0.4"], obj=Context(Settings())
    )
    assert result.exit_code == 0, result.output
    assert "vfnd format" in result.output and "226 scored" in result.output
    assert re.search(r"ROC-AUC +0\.\d{4}", result.output)
    assert re.search(r"at 0\.40 +precision", result.output)


def test_train_then_eval_refuses_the_training_posts(tmp_path: Path) -> None:
    data = shared_data("vfnd", "vn_news_226_tlfr.csv")
    out = tmp_path / "small.joblib"
    trained = CliRunner().invoke(train_misinfo, ["--data", str(data), "--out", str(out)])
    assert trained.exit_code == 0, trained.output
    assert out.exists() and "version misinfo-content" in trained.output
    evaluated = CliRunner().invoke(
        eval_misinfo, ["--data", str(data), "--model", str(out)], obj=Context(Settings())
    )
    assert evaluated.exit_code != 0
    assert "trained on all 226 posts" in evaluated.output


@pytest.mark.slow
def test_grouped_cross_validation_reaches_target(reintel_cv: CVResult) -> None:
    result = reintel_cv
    assert result.mean_roc_auc >= 0.93, result.roc_auc
    assert min(result.roc_auc) >= 0.90, result.roc_auc
    assert abs(np.mean(result.oof) - np.mean(result.labels)) < 0.03  # calibrated on average
