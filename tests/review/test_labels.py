"""Analysts' label corrections: kept with an audit row, shown on the page, exported to train on."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from presswatch.claims.reviews import export_labels
from presswatch.classifiers.datasets import load_jsonl
from presswatch.classifiers.lexicon import TOPIC_IDS
from presswatch.classifiers.tone import TONES
from presswatch.review import labels
from presswatch.storage import models as m
from presswatch.storage import queries
from presswatch.storage.db import transaction
from tests.review.conftest import csrf_of, login
from tests.review.seed import World


def _correct(client: TestClient, doc: int, **form: object) -> object:
    data = {"csrf_token": csrf_of(client, f"/documents/{doc}")} | form
    return client.post(f"/documents/{doc}/labels", data=data)


def test_an_analyst_correction_is_kept_audited_and_shown(
    client: TestClient, world: World, engine: Engine
) -> None:
    login(client, "an")
    response = _correct(client, world.social_doc, relevance="1", tone="neutral",
                        topics=["religion", "fisheries"])  # fmt: skip
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == f"/documents/{world.social_doc}"  # type: ignore[attr-defined]
    page = client.get(f"/documents/{world.social_doc}").text
    assert "Đã lưu nhãn của cán bộ" in page
    shown = page[page.index('id="label-correction"') :].split("</p>")[0]
    assert "Chỉ nhắc đến địa bàn" in shown and "Trung lập" in shown and "Thủy sản" in shown
    with transaction(engine) as session:
        correction = session.scalars(select(m.LabelCorrection)).one()
        entry = session.scalars(
            select(m.AuditLog).where(m.AuditLog.action == "labels.correct")
        ).one()
    # Topics keep the fixed order; the model's own decision is kept beside the analyst's.
    assert (correction.relevance, correction.topics, correction.tone, correction.reviewer) == (
        1, ["religion", "fisheries"], "neutral", "an",
    )  # fmt: skip
    assert (
        entry.target == f"document:{world.social_doc}" and entry.detail["model_tone"] == "negative"
    )


def test_the_latest_correction_counts_and_bad_labels_are_refused(
    client: TestClient, world: World, engine: Engine
) -> None:
    login(client, "an")
    _correct(client, world.plain_doc, relevance="2", tone="negative")
    _correct(client, world.plain_doc, relevance="2", tone="positive", topics=["image_promotion"])
    refused = _correct(client, world.plain_doc, relevance="2", tone="angry")
    assert refused.status_code == 303  # type: ignore[attr-defined]
    assert "Hãy chọn mức liên quan và sắc thái" in client.get(f"/documents/{world.plain_doc}").text
    with transaction(engine) as session:
        assert (
            session.scalar(select(m.LabelCorrection.id).where(m.LabelCorrection.tone == "angry"))
            is None
        )
        ((correction, doc),) = queries.label_corrections(session)
    assert doc.id == world.plain_doc and (correction.tone, correction.topics) == (
        "positive", ["image_promotion"],
    )  # fmt: skip


def test_a_viewer_cannot_correct_labels(client: TestClient, world: World, engine: Engine) -> None:
    login(client, "vy")
    assert "Lưu nhãn" not in client.get(f"/documents/{world.plain_doc}").text
    assert _correct(client, world.plain_doc, relevance="0", tone="neutral").status_code == 403  # type: ignore[attr-defined]
    with transaction(engine) as session:
        assert session.scalar(select(m.LabelCorrection.id)) is None


def test_export_is_redacted_and_reads_as_training_data(
    client: TestClient, world: World, engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        doc = session.get(m.Document, world.plain_doc)
        assert doc is not None
        doc.text += " Liên hệ 0912 345 678 hoặc ban.bientap@example.vn."
    login(client, "an")
    _correct(client, world.plain_doc, relevance="2", tone="positive", topics=["asean"])
    out = tmp_path / "office-labels.jsonl"
    with transaction(engine) as session:
        assert export_labels(session, out) == 1
    raw = out.read_text("utf-8")
    assert "0912 345 678" not in raw and "ban.bientap@example.vn" not in raw
    assert "an" not in json.loads(raw) and "reviewer" not in raw
    (example,) = load_jsonl(out)
    assert (example.id, example.origin, example.relevance, example.topics, example.tone) == (
        f"office-{world.plain_doc}", "office-review", 2, ["asean"], "positive",
    )  # fmt: skip


def test_the_desk_offers_exactly_the_labels_the_models_train_on() -> None:
    """An exported correction must load as training data: same topic ids, tones and levels."""
    assert list(labels.TOPICS) == list(TOPIC_IDS)
    assert set(labels.TONES) == set(TONES) and set(labels.RELEVANCE) == {0, 1, 2}
