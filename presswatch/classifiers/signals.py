"""Misinformation: the signals, and their calibrated combination into one ``misinfo_score``.

Each signal function looks at one kind of reason and returns a :class:`Signal` (or None when it
did not fire) whose ``score`` is on its natural scale (a similarity, a probability, a
reliability) and whose ``evidence`` says what was found. :class:`Combiner` turns signals into a
probability with a logistic model fitted on a labelled set (``presswatch.claims.calibrate``);
it sets each signal's ``weight`` to what the signal added to the log-odds of this decision, so
an analyst sees how much each reason counted. :func:`decide` applies the flagging policy: the
score must pass the threshold for the source kind and topics, and at least one
evidence-bearing signal must have fired — a topic, a tone or a source's reputation never flags
a document by itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from presswatch.claims.facts import Contradiction
from presswatch.claims.matching import ClaimMatch
from presswatch.claims.policy import ImpersonationSettings, Policy
from presswatch.document import Document, FlagDecision, Signal

LOGIT_CLIP = 4.0
QUOTE_MAX = 120


def logit(p: float) -> float:
    """Log-odds of a probability, clipped to ±4 so one model cannot outvote the evidence."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return max(-LOGIT_CLIP, min(LOGIT_CLIP, math.log(p / (1 - p))))


def claim_match(matches: Sequence[ClaimMatch]) -> Signal | None:
    """The best passage that repeats a known false claim (refuted quotations do not count)."""
    live = [m for m in matches if not m.refuted]
    if not live:
        return None
    evidence = live[0].evidence() | {"other_matches": [m.evidence() for m in live[1:]]}
    return Signal("claim_match", live[0].similarity, 0.0, evidence)


def fact_contradiction(found: Sequence[Contradiction]) -> Signal | None:
    """The first sentence that states another value than a verified fact."""
    if not found:
        return None
    evidence = found[0].evidence() | {"other_contradictions": [c.evidence() for c in found[1:]]}
    return Signal("fact_contradiction", 1.0, 0.0, evidence)


def content_model(probability: float, terms: Sequence[str] = ()) -> Signal:
    """The content model's calibrated probability that the post is unreliable."""
    return Signal("content_model", probability, 0.0, {"probability": round(probability, 4),
                                                       "terms": list(terms)})  # fmt: skip


def source_reliability(source: str, reliability: float, origin: str) -> Signal:
    """The configured reliability of the document's source (1 = official … 0 = unreliable)."""
    evidence = {"source": source, "reliability": round(reliability, 3), "origin": origin}
    return Signal("source_reliability", reliability, 0.0, evidence)


def spike(sources: int, documents: int, window_hours: float, story_id: int | None) -> Signal:
    """Near-identical documents from several sources in a short window (story: once saved)."""
    evidence = {"sources": sources, "documents": documents, "window_hours": window_hours,
                "story_id": story_id}  # fmt: skip
    return Signal("spike", float(sources), 0.0, evidence)


@dataclass(frozen=True, slots=True)
class Impersonator:
    """Finds an unofficial source that presents itself as an official body."""

    bodies: tuple[re.Pattern[str], ...]
    marks: tuple[re.Pattern[str], ...]
    min_marks: int
    source_kinds: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: ImpersonationSettings) -> Impersonator:
        """Compile the configured body-name and document-mark patterns."""
        bodies = tuple(re.compile(p, re.IGNORECASE) for p in settings.bodies)
        marks = tuple(re.compile(p, re.IGNORECASE) for p in settings.document_marks)
        return cls(bodies, marks, settings.min_marks, settings.source_kinds)

    def check(self, doc: Document, source_name: str, official: bool) -> Signal | None:
        """The impersonation signal, when the source is unofficial and looks official."""
        if official or doc.source_kind not in self.source_kinds:
            return None
        for where, name in (("channel", doc.channel), ("source", source_name)):
            body = self._body(name)
            if body:
                return Signal("impersonation", 1.0, 0.0, {"body": body, "where": where,
                                                          "name": name[:200]})  # fmt: skip
        return self._in_text(doc.text)

    def _body(self, text: str) -> str:
        for pattern in self.bodies:
            found = pattern.search(text)
            if found:
                return found.group(0)
        return ""

    def _in_text(self, text: str) -> Signal | None:
        marks = [(m.group(0), m.span()) for p in self.marks if (m := p.search(text[:5000]))]
        first_line = text.split("\n", 1)[0].strip()
        body = self._body(first_line) if first_line.isupper() else ""
        if len(marks) < self.min_marks and not body:
            return None
        return Signal("impersonation", 1.0, 0.0, {
            "body": body or self._body(text[:5000]), "where": "text",
            "terms": [m for m, _ in marks], "spans": [list(s) for _, s in marks],
        })  # fmt: skip


@dataclass(frozen=True, slots=True)
class Combiner:
    """A logistic model over the signals' features, with the weights of config/flagging.toml."""

    version: str
    bias: float
    weights: dict[str, float]
    model_scale: dict[str, float]
    spike_min_sources: int = 3
    model_two_sided: tuple[str, ...] = ("social",)

    @classmethod
    def from_policy(cls, policy: Policy) -> Combiner:
        """The combiner the policy describes."""
        return cls(policy.version, policy.bias, dict(policy.weights),
                   dict(policy.content_model_scale), policy.spike.min_sources,
                   policy.content_model_two_sided)  # fmt: skip

    def feature(self, signal: Signal, source_kind: str) -> float:
        """The value a signal feeds into the logistic model."""
        if signal.name == "content_model":
            value = self.model_scale.get(source_kind, 1.0) * logit(signal.score)
            # Out of its domain (press articles) "reads like news" says nothing: it may raise
            # suspicion there, never cancel evidence.
            return value if source_kind in self.model_two_sided else max(0.0, value)
        if signal.name == "source_reliability":
            return (0.5 - signal.score) * 2.0
        if signal.name == "spike":
            return min(1.0, signal.score / (2.0 * self.spike_min_sources))
        return signal.score

    def combine(self, signals: Sequence[Signal], source_kind: str) -> float:
        """The calibrated probability; sets each signal's weight to its log-odds contribution."""
        z = self.bias
        for signal in signals:
            signal.weight = round(
                self.weights.get(signal.name, 0.0) * self.feature(signal, source_kind), 4
            )
            z += signal.weight
        return 1.0 / (1.0 + math.exp(-z))


def decide(
    signals: list[Signal],
    doc: Document,
    policy: Policy,
    combiner: Combiner,
    model_version: str,
    explain: Callable[[], list[str]] | None = None,
) -> FlagDecision:
    """Score and apply the policy; the content model's terms are looked up only for a flag."""
    score = combiner.combine(signals, doc.source_kind)
    threshold = policy.threshold(doc.source_kind, sorted(doc.topics))
    bearing = [s for s in signals if _bears_evidence(s, doc.source_kind, policy)]
    flagged = score >= threshold and bool(bearing)
    if flagged and explain is not None:
        for signal in signals:
            if signal.name == "content_model":
                signal.evidence["terms"] = explain()
    fired = [s for s in signals if _fired(s, policy)]
    reasons = [reason(s) for s in sorted(fired, key=lambda s: -s.weight)] if flagged else []
    version = f"{combiner.version}+{model_version}"
    return FlagDecision(round(score, 4), flagged, reasons, fired if flagged else signals, version)


def _bears_evidence(signal: Signal, source_kind: str, policy: Policy) -> bool:
    if signal.name not in policy.evidence_signals(source_kind):
        return False
    return signal.name != "content_model" or signal.score >= policy.content_model_evidence_min


def _fired(signal: Signal, policy: Policy) -> bool:
    """Whether a signal is a reason (a reliable source or a low model score is not)."""
    if signal.name == "source_reliability":
        return signal.score < 0.5
    if signal.name == "content_model":
        return signal.score >= policy.content_model_evidence_min or signal.weight > 0
    return True


def reason(signal: Signal) -> str:
    """A short Vietnamese reason for analysts."""
    e: dict[str, Any] = signal.evidence
    if signal.name == "claim_match":
        return f"Lặp lại thông tin sai đã được bác bỏ: “{_quote(e['claim'])}”"
    if signal.name == "fact_contradiction":
        return (f"Mâu thuẫn với số liệu chính thức: {e['subject']} là {e['verified']}, "
                f"bài viết nêu {e['stated']}")  # fmt: skip
    if signal.name == "impersonation":
        return f"Nguồn không chính thức tự giới thiệu là cơ quan nhà nước: “{_quote(e['body'])}”"
    if signal.name == "spike":
        return (f"Lan truyền đột biến: {e['sources']} nguồn đăng nội dung gần giống nhau "
                f"trong {e['window_hours']:g} giờ")  # fmt: skip
    if signal.name == "content_model":
        return f"Mô hình nội dung ước tính {signal.score:.0%} khả năng là tin không đáng tin cậy"
    return f"Nguồn có độ tin cậy thấp ({signal.score:.1f})"


def _quote(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1].rstrip() + "…"
