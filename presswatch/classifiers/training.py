"""Training the shipped models: relevance, topics and tone, cross-validated on the training rows.

scikit-learn fits the models here; the fitted numbers are exported as plain arrays
(presswatch/classifiers/linear.py), so classifying never imports scikit-learn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from presswatch.classifiers.datasets import Example
from presswatch.classifiers.gazetteer import Gazetteer
from presswatch.classifiers.lexicon import TOPIC_IDS, Lexicon
from presswatch.classifiers.linear import FloatArray, LinearModel, TextModel, Vectorizer
from presswatch.classifiers.modelio import fingerprint, model_path, save_model
from presswatch.classifiers.relevance import FEATURES, feature_vector, relevance_features
from presswatch.classifiers.text import ngrams, split_title, tokens
from presswatch.classifiers.tone import DENSE_NAMES, TONES, ToneClassifier, tone_dense
from presswatch.classifiers.topics import topic_dense, topic_dense_names

#: The logit of a label that has one class only in the training rows (probability ~0.9999).
CONSTANT_LOGIT = 10.0


@dataclass(frozen=True, slots=True)
class Params:
    """Hyper-parameters, chosen by cross-validation on the training rows (see bench notes)."""

    topic_c: float = 10.0
    topic_lexicon_weight: float = 0.3
    #: Each topic's threshold moves this far from its cross-validated best towards 0.5: the best
    #: F1 on a few dozen positives is a noisy estimate (nested CV: +0.01-0.03 micro-F1).
    threshold_shrink: float = 0.5
    tone_c: float = 1.0
    tone_lexicon_weight: float = 0.0
    #: Weight of the n-gram presence (NB-SVM) model in the tone blend; CV on the train part:
    #: macro-F1 0.625 for TF-IDF alone, 0.650 blended at 0.5-0.7.
    tone_presence_blend: float = 0.6
    tone_presence_c: float = 1.0
    relevance_c: float = 1.0
    topic_negatives: bool = False  # VNTC negatives did not help topics in CV (and grow the model)
    min_df: int = 2
    max_df: float = 0.5
    folds: int = 5
    seed: int = 0


@dataclass(slots=True)
class Trained:
    """A trained model ready to be written, with its cross-validated figures."""

    kind: str
    payload: dict[str, Any]
    meta: dict[str, Any]
    cv: dict[str, float] = field(default_factory=dict)


#: Rows that are not scored in cross-validation (they are easier than real labelled news).
NOT_SCORED = frozenset({"presswatch-authored", "vntc-negative"})


@dataclass(slots=True)
class Prepared:
    """What every trainer reads of an example: headline, body, tokens."""

    example: Example
    title: str
    body: str
    tokens: list[str]


def prepare(examples: list[Example]) -> list[Prepared]:
    """Headline/body split and tokens of each example, once."""
    out = []
    for e in examples:
        title, body = split_title(e.title, e.text)
        out.append(Prepared(e, title, body, tokens(f"{title}\n{body}")))
    return out


def _grams(toks: list[str]) -> list[str]:
    return ngrams(toks, 2)


def fit_tfidf(docs: list[list[str]], params: Params) -> tuple[Vectorizer, sparse.csr_matrix]:
    """Fit sublinear TF-IDF over 1-2-grams; return it as a plain Vectorizer and the matrix."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    fitted = TfidfVectorizer(
        analyzer=_grams, sublinear_tf=True, min_df=params.min_df, max_df=params.max_df
    )
    fitted.fit(docs)
    vocabulary = {str(k): int(v) for k, v in fitted.vocabulary_.items()}
    vec = Vectorizer(vocabulary, np.asarray(fitted.idf_, dtype=np.float64), 2)
    return vec, vec.transform(docs)


def fit_logistic(x: Any, y: Any, c: float, weights: Any = None) -> tuple[FloatArray, FloatArray]:
    """(coef, intercept) of a class-balanced logistic regression (liblinear when binary: fast).

    A label with one class only in these rows (a topic no training row has) gets a constant
    model that always answers that class, instead of a scikit-learn error.
    """
    from sklearn.linear_model import LogisticRegression

    present = np.unique(np.asarray(y))
    if len(present) == 1:
        sign = 1.0 if present[0] else -1.0
        return np.zeros((1, x.shape[1])), np.array([sign * CONSTANT_LOGIT])
    solver = "liblinear" if len(present) <= 2 else "lbfgs"
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, solver=solver)
    model.fit(x, y, sample_weight=weights)
    return np.asarray(model.coef_, dtype=np.float64), np.asarray(model.intercept_, dtype=np.float64)


def folds(n: int, params: Params, labels: Any = None) -> list[tuple[Any, Any]]:
    """Cross-validation folds (stratified when labels are given)."""
    from sklearn.model_selection import KFold, StratifiedKFold

    if labels is not None:
        strat = StratifiedKFold(params.folds, shuffle=True, random_state=params.seed)
        return list(strat.split(np.zeros(n), labels))
    return list(KFold(params.folds, shuffle=True, random_state=params.seed).split(np.zeros(n)))


def out_of_fold(
    n: int, fit_predict: Callable[[Any, Any], FloatArray], params: Params, labels: Any = None
) -> FloatArray:
    """Out-of-fold predictions: each row predicted by a model that never saw it."""
    result: FloatArray | None = None
    for train, test in folds(n, params, labels):
        predicted = fit_predict(train, test)
        if result is None:
            result = np.zeros((n, predicted.shape[1]))
        result[test] = predicted
    assert result is not None
    return result


def meta_for(kind: str, examples: list[Example], params: Params, **extra: Any) -> dict[str, Any]:
    """Model metadata: a version derived from the training data and parameters."""
    data = sorted((e.id, e.relevance, e.topics, e.tone) for e in examples)
    print_ = fingerprint(kind, data, repr(params), sorted(extra.items()))
    counts = {"examples": len(examples)}
    return {"model_version": f"{kind}-{print_}", "trained_on": counts, **extra}


# --- relevance --------------------------------------------------------------------------


def train_relevance(data: list[Prepared], gazetteer: Gazetteer, params: Params) -> Trained:
    """1-vs-2 model over where and how the region is named, on texts that name it."""
    rows, labels, used = [], [], []
    for p in data:
        if p.example.relevance not in (1, 2):
            continue
        mentions = gazetteer.find(p.title, p.body)
        if mentions:
            rows.append(feature_vector(relevance_features(gazetteer, p.title, p.body, mentions))[0])
            labels.append(int(p.example.relevance == 2))
            used.append(p.example)
    x, y = np.array(rows), np.array(labels)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0

    def fit_predict(train: Any, test: Any) -> FloatArray:
        coef, intercept = fit_logistic((x[train] - mean) / scale, y[train], params.relevance_c)
        z = ((x[test] - mean) / scale) @ coef.T + intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    oof = out_of_fold(len(y), fit_predict, params, y)[:, 0]
    scored = np.array([e.origin not in NOT_SCORED for e in used])
    coef, intercept = fit_logistic((x - mean) / scale, y, params.relevance_c)
    linear = LinearModel(["1", "2"], coef, intercept, False, mean, scale)
    model = TextModel(linear, None, list(FEATURES))
    return Trained(
        "relevance",
        model.to_payload(),
        meta_for("relevance", used, params),
        {"cv_about_f1": _f1(y[scored], oof[scored] >= 0.5), "cv_rows": float(scored.sum())},
    )


# --- topics -----------------------------------------------------------------------------


def _topic_inputs(data: list[Prepared], lexicon: Lexicon) -> FloatArray:
    rows = [topic_dense(lexicon.scores(p.title, p.body), list(TOPIC_IDS), p.body)[0] for p in data]
    return np.array(rows)


def train_topics(data: list[Prepared], lexicon: Lexicon, params: Params) -> Trained:
    """One logistic model per topic over TF-IDF and lexicon scores; thresholds from CV."""
    data = [
        p
        for p in data
        if p.example.topics is not None
        and (params.topic_negatives or p.example.origin != "vntc-negative")
    ]
    y = np.array([[t in (p.example.topics or []) for t in TOPIC_IDS] for p in data], dtype=int)
    dense = _topic_inputs(data, lexicon)
    weight = params.topic_lexicon_weight
    dense_scale = np.full(dense.shape[1], 1.0 / weight)

    def fit(train: Any) -> TextModel:
        vec, tfidf = fit_tfidf([data[i].tokens for i in train], params)
        linear = LinearModel(list(TOPIC_IDS), np.zeros((0, 0)), np.zeros(0), False,
                             np.zeros(dense.shape[1]), dense_scale)  # fmt: skip
        x = linear.inputs(tfidf, dense[train])
        fitted = [fit_logistic(x, y[train, j], params.topic_c) for j in range(len(TOPIC_IDS))]
        linear.coef = np.vstack([coef for coef, _ in fitted])
        linear.intercept = np.concatenate([intercept for _, intercept in fitted])
        return TextModel(linear, vec, topic_dense_names(list(TOPIC_IDS)))

    def fit_predict(train: Any, test: Any) -> FloatArray:
        return fit(train).probabilities([data[i].tokens for i in test], dense[test])

    oof = out_of_fold(len(data), fit_predict, params)
    thresholds = {
        t: _shrunk(_best_threshold(y[:, j], oof[:, j]), params.threshold_shrink)
        for j, t in enumerate(TOPIC_IDS)
    }
    model = fit(np.arange(len(data)))
    predicted = oof >= np.array([thresholds[t] for t in TOPIC_IDS])
    labelled = np.array([p.example.origin not in NOT_SCORED for p in data])
    payload = model.to_payload() | {"thresholds": thresholds}
    cv = {
        "cv_micro_f1": _f1(y[labelled].ravel(), predicted[labelled].ravel()),
        "cv_macro_f1": float(np.mean([_f1(y[labelled, j], predicted[labelled, j])
                                      for j in range(len(TOPIC_IDS))])),
    }  # fmt: skip
    meta = meta_for("topics", [p.example for p in data], params, lexicon=_lexicon_print(lexicon))
    return Trained("topics", payload, meta, cv)


def _best_threshold(y: Any, scores: Any) -> float:
    """The threshold with the best F1 on out-of-fold scores (ties: nearest to 0.5)."""
    grid = np.arange(0.1, 0.9001, 0.025)
    best = max(grid, key=lambda t: (_f1(y, scores >= t), -abs(t - 0.5)))
    return round(float(best), 3)


def _shrunk(threshold: float, shrink: float) -> float:
    return round(threshold + shrink * (0.5 - threshold), 3)


def _lexicon_print(lexicon: Lexicon) -> str:
    return fingerprint(sorted((k, sorted(v.terms.items())) for k, v in lexicon.labels.items()))


# --- tone -------------------------------------------------------------------------------


def fit_presence(docs: list[list[str]], y: Any, classes: list[str], params: Params) -> TextModel:
    """NB-SVM: one-vs-rest logistic models over n-gram presence scaled by log-count ratios.

    The ratio is folded into the exported coefficients, so the shipped model is a plain linear
    model over a binary vectorizer; its softmax over the classes gives the probabilities.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    counter = CountVectorizer(analyzer=_grams, binary=True, min_df=params.min_df,
                              max_df=params.max_df)  # fmt: skip
    x = counter.fit_transform(docs).astype(np.float64).tocsr()
    vocabulary = {str(k): int(v) for k, v in counter.vocabulary_.items()}
    coefs, intercepts = [], []
    for k in range(len(classes)):
        inside = np.asarray(x[y == k].sum(axis=0)).ravel() + 1.0
        outside = np.asarray(x[y != k].sum(axis=0)).ravel() + 1.0
        ratio = np.log((inside / inside.sum()) / (outside / outside.sum()))
        coef, intercept = fit_logistic(x.multiply(ratio).tocsr(), (y == k).astype(int),
                                       params.tone_presence_c)  # fmt: skip
        coefs.append(coef[0] * ratio)
        intercepts.append(intercept[0])
    linear = LinearModel(list(classes), np.vstack(coefs), np.array(intercepts), True)
    vec = Vectorizer(vocabulary, np.ones(len(vocabulary)), 2, binary=True)
    return TextModel(linear, vec, [])


def train_tone(data: list[Prepared], lexicon: Lexicon, params: Params) -> Trained:
    """Softmax over TF-IDF (and, if weighted, tone-lexicon features), blended with NB-SVM."""
    data = [p for p in data if p.example.tone is not None]
    y = np.array([TONES.index(p.example.tone or "") for p in data])
    weight = params.tone_lexicon_weight
    dense = np.array([tone_dense(lexicon.scores(p.title, p.body), p.body)[0] for p in data])
    if not weight:  # the lexicon did not help in cross-validation: TF-IDF alone
        dense = dense[:, :0]
    mean, std = dense.mean(axis=0), dense.std(axis=0)
    std[std == 0] = 1.0
    scale = std / (weight or 1.0)

    def fit(train: Any) -> ToneClassifier:
        docs = [data[i].tokens for i in train]
        vec, tfidf = fit_tfidf(docs, params)
        linear = LinearModel(list(TONES), np.zeros((0, 0)), np.zeros(0), True, mean, scale)
        coef, intercept = fit_logistic(linear.inputs(tfidf, dense[train]), y[train], params.tone_c)
        linear.coef, linear.intercept = coef, intercept
        main = TextModel(linear, vec, list(DENSE_NAMES) if weight else [])
        blend = params.tone_presence_blend
        presence = fit_presence(docs, y[train], list(TONES), params) if blend else None
        return ToneClassifier(lexicon, main, presence=presence, blend=blend)

    def fit_predict(train: Any, test: Any) -> FloatArray:
        return fit(train).probabilities([data[i].tokens for i in test], dense[test])

    oof = out_of_fold(len(data), fit_predict, params, y).argmax(axis=1)
    tone = fit(np.arange(len(data)))
    assert tone.model is not None
    payload = tone.model.to_payload() | {"blend": tone.blend}
    if tone.presence is not None:
        payload["presence"] = tone.presence.to_payload()
    scored = np.array([p.example.origin not in NOT_SCORED for p in data])
    macro = float(np.mean([_f1(y[scored] == k, oof[scored] == k) for k in range(len(TONES))]))
    meta = meta_for("tone", [p.example for p in data], params)
    return Trained("tone", payload, meta, {"cv_macro_f1": macro})


def _f1(y: Any, predicted: Any) -> float:
    y, predicted = np.asarray(y, dtype=bool), np.asarray(predicted, dtype=bool)
    tp = float(np.sum(y & predicted))
    denominator = float(np.sum(y) + np.sum(predicted))
    return 2 * tp / denominator if denominator else 1.0


# --- everything -------------------------------------------------------------------------


def train_all(
    examples: list[Example],
    gazetteer: Gazetteer,
    lexicon: Lexicon,
    tone_lexicon: Lexicon,
    params: Params | None = None,
    on_step: Callable[[str], None] | None = None,
) -> list[Trained]:
    """Train relevance, topics and tone on the same examples (each uses the labels it needs)."""
    params = params or Params()
    step = on_step or (lambda _: None)
    step(f"preparing {len(examples)} examples")
    data = prepare(examples)
    step("relevance")
    relevance = train_relevance(data, gazetteer, params)
    step("topics")
    topics = train_topics(data, lexicon, params)
    step("tone")
    tone = train_tone(data, tone_lexicon, params)
    return [relevance, topics, tone]


def write(trained: Trained, directory: Path | None = None) -> Path:
    """Write one trained model where the classifiers load it from."""
    path = model_path(trained.kind, directory)
    save_model(trained.kind, trained.payload, trained.meta, path)
    return path
