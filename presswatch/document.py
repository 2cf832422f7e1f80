"""The document dataclass: the one unit that flows through every pipeline stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Mention:
    """One place in a text where the region (or one of its places) is named."""

    name: str  # canonical gazetteer name, e.g. "Sóc Trăng"
    matched: str  # the text as it appears
    start: int
    end: int
    zone: str  # "title", "lead" or "body"
    level: str  # "province", "former_district", "former_commune", "new_commune", "alias"
    accented: bool  # matched with its diacritics (False = diacritic-free form, gated)


@dataclass(slots=True)
class Tag:
    """A topic or tone decision with its score and the terms or features behind it."""

    label: str
    score: float
    evidence: list[str] = field(default_factory=list)
    model_version: str = ""


@dataclass(slots=True)
class Signal:
    """One reason a document may be misinformation, with its weight and evidence."""

    name: str  # "claim_match", "content_model", "impersonation", "spike", "source_reliability"
    score: float
    weight: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class FlagDecision:
    """The combined misinformation decision on a document."""

    score: float
    flagged: bool
    reasons: list[str]
    signals: list[Signal]
    model_version: str


@dataclass(slots=True)
class Document:
    """One collected item (article, post, video description) and what the stages found in it.

    A plain dataclass, never an ORM row: stages can be built and tested without a database.
    """

    url: str
    source: str  # key of the source in config/sources.toml
    title: str = ""
    text: str = ""
    source_kind: str = "domestic"  # domestic | foreign | social | official
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    author: str = ""
    language: str = ""
    canonical_url: str = ""
    content_hash: str = ""
    platform: str = ""  # social posts: youtube, telegram, mastodon, ...
    channel: str = ""  # social posts: the public channel or page, never a person's profile
    engagement: dict[str, int] = field(default_factory=dict)
    reply_to_url: str = ""
    id: int | None = None  # database id once stored
    # Filled by the stages
    story_id: int | None = None
    duplicate_of: int | None = None
    mentions: list[Mention] = field(default_factory=list)
    relevance: int = 0  # 2 = about the region, 1 = mentioned in passing, 0 = not about it
    relevance_score: float = 0.0
    topics: dict[str, Tag] = field(default_factory=dict)
    tone: Tag | None = None
    flag: FlagDecision | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The identity used for deduplication: the canonical URL when known."""
        return self.canonical_url or self.url
