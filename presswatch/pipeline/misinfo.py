"""Misinformation: signals against the claim base, the content model and the source, one flag.

Fills ``doc.flag`` for every document: flagged with its reasons and signals when the policy of
config/flagging.toml says so, otherwise unflagged but with its score. The claim base is loaded
once and refreshed cheaply (a count and latest-change query) at most every ``refresh_seconds``.
Runs in worker processes; each builds its own stage with ``from_settings(settings, engine=…)``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, overload

from sqlalchemy import Engine

from presswatch.claims.base import to_entry
from presswatch.claims.facts import FactChecker
from presswatch.claims.matching import ClaimMatcher
from presswatch.claims.policy import Policy, load_policy
from presswatch.claims.records import ClaimEntry
from presswatch.claims.terms import Lexicon
from presswatch.classifiers import signals as sig
from presswatch.classifiers.vietnamese import sentence_spans
from presswatch.document import Document, FlagDecision, Signal
from presswatch.errors import ConfigError, ModelError, NotConfigured
from presswatch.settings import Settings
from presswatch.sources import SourceConfig, load_sources
from presswatch.storage import queries
from presswatch.storage.db import transaction

log = logging.getLogger(__name__)
REFRESH_SECONDS = 60.0
NO_MODEL = "nomodel"


class ContentScorer(Protocol):
    """What the stage needs of the content model (presswatch.classifiers.misinfo_model)."""

    version: str

    def score(self, posts: Sequence[Any]) -> list[float]: ...

    def explain(self, post: Any, k: int) -> list[str]: ...


def load_content_model() -> tuple[ContentScorer | None, Any]:
    """The shipped content model and its input type, or (None, None) when it is unavailable."""
    try:
        from presswatch.classifiers.misinfo_model import ContentModel, PostInput
    except ImportError as exc:
        log.warning("content model left out: %s", exc)
        return None, None
    try:
        return ContentModel.load(), PostInput
    except (ModelError, OSError) as exc:
        log.warning("content model left out: %s", exc)
        return None, None


class Misinformation:
    """Scores each document for suspected misinformation and flags it with evidence."""

    name = "misinformation"
    serial = False

    def __init__(
        self,
        policy: Policy,
        claims: Sequence[ClaimEntry] = (),
        sources: Mapping[str, SourceConfig] | None = None,
        model: ContentScorer | None = None,
        post_type: Any = None,
        engine: Engine | None = None,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self.policy = policy
        self.sources = dict(sources or {})
        self.model, self.post_type = model, post_type
        self.engine = engine
        self.refresh_seconds = refresh_seconds
        self.lexicon = Lexicon.with_extra(policy.synonyms)
        self.combiner = sig.Combiner.from_policy(policy)
        self.impersonator = sig.Impersonator.from_settings(policy.impersonation)
        self._stamp: tuple[int, datetime | None] | None = None
        self._checked = time.monotonic()
        self._source_ids: dict[str, int] = {}
        self.set_claims(claims)

    @classmethod
    def from_settings(
        cls, settings: Settings, engine: Engine | None = None, **_: Any
    ) -> Misinformation:
        config = settings.path("config_dir")
        if not (config / "flagging.toml").exists():
            raise NotConfigured(f"no flagging policy at {config / 'flagging.toml'}")
        policy = load_policy(config / "flagging.toml")
        try:
            sources = {s.key: s for s in load_sources(config / "sources.toml")}
        except ConfigError as exc:
            log.warning("misinformation: sources not read (%s); kind defaults apply", exc)
            sources = {}
        model, post_type = load_content_model()
        stage = cls(policy, (), sources, model, post_type, engine)
        stage.refresh(force=True)
        return stage

    @property
    def model_version(self) -> str:
        """The content model's version, or "nomodel" when it is left out."""
        return self.model.version if self.model is not None else NO_MODEL

    def set_claims(self, claims: Sequence[ClaimEntry]) -> None:
        """Replace the claim base the stage checks against."""
        self.claims = list(claims)
        self.matcher = ClaimMatcher(self.claims, self.lexicon, self.policy.matching)
        self.facts = FactChecker(self.claims, self.lexicon, self.policy.facts)
        self.claim_urls = {c.source_url for c in self.claims if c.source_url}

    def refresh(self, force: bool = False) -> bool:
        """Reload the claim base when it changed; True when it was reloaded."""
        if self.engine is None:
            return False
        with transaction(self.engine) as session:
            stamp = queries.claim_base_stamp(session)
            if not force and stamp == self._stamp:
                return False
            claims = [to_entry(c) for c in queries.claims_for_matching(session)]
        self._stamp = stamp
        self.set_claims(claims)
        return True

    def process(self, doc: Document) -> Document:
        if time.monotonic() - self._checked > self.refresh_seconds:
            self._checked = time.monotonic()
            self.refresh()
        doc.flag = self.assess(doc)
        return doc

    def assess(self, doc: Document) -> FlagDecision:
        """The flag decision for one document."""
        found = self.signals(doc)
        return sig.decide(found, doc, self.policy, self.combiner, self.model_version,
                          explain=lambda: self._explain(doc))  # fmt: skip

    def signals(self, doc: Document) -> list[Signal]:
        """Every signal that fired for the document, and its source's reliability."""
        found: list[Signal | None] = []
        if doc.key not in self.claim_urls and doc.url not in self.claim_urls:
            spans = _LazySpans(doc.text)
            found.append(sig.claim_match(self.matcher.match(doc.text, doc.title, spans)))
            found.append(sig.fact_contradiction(self.facts.check(doc.text, spans)))
        source = self.sources.get(doc.source)
        official = doc.source_kind == "official" or bool(source and source.organisation)
        found.append(self.impersonator.check(doc, source.name if source else "", official))
        found.append(self._spike(doc))
        found.append(self._model(doc))
        found.append(self._reliability(doc, source))
        return [s for s in found if s is not None]

    def _reliability(self, doc: Document, source: SourceConfig | None) -> Signal:
        if source is not None:
            return sig.source_reliability(doc.source, source.reliability, "sources.toml")
        default = self.policy.reliability.get(doc.source_kind, self.policy.default_reliability)
        return sig.source_reliability(doc.source, default, f"default for {doc.source_kind}")

    def _post(self, doc: Document) -> Any:
        text = (
            doc.text if doc.title and doc.text.startswith(doc.title) else f"{doc.title}\n{doc.text}"
        )
        e = doc.engagement
        # Counts a source does not report stay None (unknown), not 0 (nobody reacted).
        return self.post_type(text=text.strip(), published_at=doc.published_at,
                              likes=e.get("likes"), comments=e.get("comments"),
                              shares=e.get("shares"))  # fmt: skip

    def _model(self, doc: Document) -> Signal | None:
        if self.model is None or self.policy.content_model_scale.get(doc.source_kind, 1.0) == 0:
            return None
        return sig.content_model(self.model.score([self._post(doc)])[0])

    def _explain(self, doc: Document) -> list[str]:
        return self.model.explain(self._post(doc), 5) if self.model is not None else []

    def _spike(self, doc: Document) -> Signal | None:
        """Copies from several sources in the window: stored ones and this run's (peers)."""
        if self.engine is None:
            return None
        settings = self.policy.spike
        when = doc.published_at or doc.fetched_at or datetime.now(UTC)
        start, end = (
            when - timedelta(hours=settings.window_hours),
            when + timedelta(hours=settings.window_hours),
        )
        with transaction(self.engine) as session:
            story = doc.story_id
            if story is None and doc.extra.get("story_with") is not None:
                story = queries.story_of_document(session, int(doc.extra["story_with"]))
            spread = queries.story_spread(session, story, start, end) if story is not None else []
            others: dict[int, int | None] = {i: s for i, s, _ in spread if i != doc.id}
            for peer_id, key, seen in doc.extra.get("story_peers") or []:
                if peer_id != doc.id and seen and start <= datetime.fromisoformat(seen) < end:
                    others.setdefault(peer_id, self._source_id(session, key))
            own = self._source_id(session, doc.source)
        sources = {s for s in others.values() if s is not None} | (
            {own} if own is not None else set()
        )
        if len(sources) < settings.min_sources:
            return None
        return sig.spike(len(sources), len(others) + 1, settings.window_hours, story)

    def _source_id(self, session: Any, key: str) -> int | None:
        if key not in self._source_ids:
            self._source_ids.update(queries.source_ids_by_key(session, [key]))
        return self._source_ids.get(key)


class _LazySpans(Sequence[tuple[int, int]]):
    """Sentence spans of a text, split only if a matcher needs them (splitting is the cost)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._spans: list[tuple[int, int]] | None = None

    def _get(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = sentence_spans(self.text)
        return self._spans

    def __len__(self) -> int:
        return len(self._get())

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[int, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int] | Sequence[tuple[int, int]]:
        return self._get()[index]


def contract_fields(doc: Document) -> dict[str, Any]:
    """The classify contract's misinformation fields of an assessed document."""
    flag = doc.flag
    if flag is None:
        return {"misinfo_score": 0.0, "flag": False, "reasons": []}
    return {"misinfo_score": flag.score, "flag": flag.flagged, "reasons": list(flag.reasons)}
