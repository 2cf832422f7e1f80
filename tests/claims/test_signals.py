"""Signals and the flagging policy: impersonation, the combiner, and what may justify a flag."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from presswatch.claims.policy import load_policy, policy_from_mapping
from presswatch.classifiers import signals as sig
from presswatch.document import Document, Signal, Tag
from presswatch.errors import ConfigError
from tests.conftest import REPO

POLICY = load_policy(REPO / "config" / "flagging.toml")
COMBINER = sig.Combiner.from_policy(POLICY)
IMPERSONATOR = sig.Impersonator.from_settings(POLICY.impersonation)


def post(text: str, kind: str = "social", channel: str = "") -> Document:
    return Document(url="https://x.example/p", source="s", source_kind=kind, text=text,
                    channel=channel)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "channel", "fires"),
    [
        ("Thông báo mới cho bà con.", "UBND phường Sóc Trăng", True),
        ("Thông báo mới cho bà con.", "Công an tỉnh Sóc Trăng - Tin nóng", True),
        ("Thông báo mới cho bà con.", "Cổng thông tin phường Phú Lợi", True),
        ("CÔNG AN THÀNH PHỐ CẦN THƠ THÔNG BÁO KHẨN\nCấm xe máy qua cầu.", "Tin nóng", True),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/TB-UBND\n"
         "Thông báo thu hồi đất.", "Tin nóng", True),
        ("Hôm nay UBND phường họp dân về đường sá, bà con đi đông.", "Góc nhìn miền Tây", False),
        ("Cơ sở y tế phường mở cửa cả ngày chủ nhật.", "Chuyện phường mình", False),
        ("Số: 12/TB-UBND là số của thông báo hôm qua.", "Tin nóng", False),
    ],
)  # fmt: skip
def test_impersonation(text: str, channel: str, fires: bool) -> None:
    found = IMPERSONATOR.check(post(text, channel=channel), "", official=False)
    assert (found is not None) == fires
    if found is not None:
        assert found.evidence["body"] and found.evidence["where"] in ("channel", "source", "text")


def test_official_and_press_sources_never_impersonate() -> None:
    text = "CÔNG AN TỈNH SÓC TRĂNG THÔNG BÁO\nNội dung."
    assert IMPERSONATOR.check(post(text, channel="Công an tỉnh"), "", official=True) is None
    assert IMPERSONATOR.check(post(text, kind="domestic"), "", official=False) is None


def test_score_is_a_probability_and_weights_are_contributions() -> None:
    signals = [Signal("claim_match", 0.9, 0.0, {"claim": "x"}),
               sig.source_reliability("s", 0.3, "sources.toml")]  # fmt: skip
    score = COMBINER.combine(signals, "social")
    assert 0.0 < score < 1.0
    assert signals[0].weight == pytest.approx(POLICY.weights["claim_match"] * 0.9, abs=1e-3)
    assert signals[1].weight == pytest.approx(POLICY.weights["source_reliability"] * 0.4, abs=1e-3)


def _doc(kind: str, topics: tuple[str, ...] = ()) -> Document:
    doc = post("Nội dung.", kind=kind)
    doc.topics = {t: Tag(t, 0.9) for t in topics}
    return doc


@pytest.mark.parametrize("kind", ["domestic", "foreign", "social", "official"])
def test_content_model_alone_never_flags_press(kind: str) -> None:
    signals = [sig.content_model(0.999), sig.source_reliability("s", 0.5, "x")]
    decision = sig.decide(signals, _doc(kind), POLICY, COMBINER, "m1")
    assert decision.flagged is (kind == "social" and decision.score >= POLICY.threshold(kind, []))
    if kind != "social":
        assert not decision.flagged and decision.reasons == []


def test_reputation_alone_never_flags() -> None:
    signals = [sig.source_reliability("s", 0.0, "x"), sig.spike(12, 12, 24.0, 1)]
    decision = sig.decide(signals, _doc("social"), POLICY, COMBINER, "m1")
    assert not decision.flagged and decision.score > 0


def test_official_pages_are_never_flagged() -> None:
    signals = [Signal("claim_match", 1.0, 0.0, {"claim": "x"}),
               Signal("impersonation", 1.0, 0.0, {"body": "UBND"})]  # fmt: skip
    assert not sig.decide(signals, _doc("official"), POLICY, COMBINER, "m1").flagged


def test_flag_carries_reasons_signals_and_both_versions() -> None:
    signals = [Signal("claim_match", 1.0, 0.0, {"claim": "Tin sai.", "sentence": "Tin sai."}),
               sig.content_model(0.95), sig.source_reliability("s", 0.3, "x")]  # fmt: skip
    decision = sig.decide(signals, _doc("social"), POLICY, COMBINER, "reintel-3",
                          explain=lambda: ["khẩn", "chia sẻ"])  # fmt: skip
    assert decision.flagged
    assert decision.model_version == f"{POLICY.version}+reintel-3"
    assert decision.reasons[0] == "Lặp lại thông tin sai đã được bác bỏ: “Tin sai.”"
    model = next(s for s in decision.signals if s.name == "content_model")
    assert model.evidence["terms"] == ["khẩn", "chia sẻ"]
    assert all(s.evidence for s in decision.signals)


def test_topic_threshold_is_lower_for_sensitive_topics() -> None:
    assert POLICY.threshold("social", ["religion"]) < POLICY.threshold("social", [])
    assert POLICY.threshold("social", ["fisheries"]) == POLICY.threshold("social", [])


def _raw() -> dict[str, Any]:
    import tomllib

    return tomllib.loads((REPO / "config" / "flagging.toml").read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["combiner"]["weights"].update(rumour=1.0), "unknown signal 'rumour'"),
        (lambda d: d["combiner"].update(bias="high"), "combiner.bias must be a number"),
        (lambda d: d["thresholds"].pop("official"), r"no \[thresholds.official\]"),
        (lambda d: d["evidence"].update(signals=["tone"]), "unknown signal 'tone'"),
        (lambda d: d["spike"].update(minimum=3), "unknown key spike.minimum"),
        (lambda d: d["reliability"]["source_kind"].update(blog=0.2), "not a source kind"),
    ],
)
def test_policy_errors_name_the_key(change: Any, message: str) -> None:
    data = copy.deepcopy(_raw())
    change(data)
    with pytest.raises(ConfigError, match=message):
        policy_from_mapping(data)
