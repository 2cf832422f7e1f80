"""A small world of sources, documents, stories, flags and reviews for the delivery tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from presswatch.storage import models as m
from presswatch.storage.db import transaction

HOSTILE_TITLE = 'Tin nóng <script>alert("x")</script>\r\nBcc: victim@evil.example'
HOSTILE_PHONE = "0912 345 678"
HOSTILE_HANDLE = "@nguyenvana_88"
HOSTILE_TEXT = (
    f"Người dân Sóc Trăng truyền nhau tin sai về đê biển. Liên hệ {HOSTILE_PHONE} hoặc "
    f"ban.tin@gmail.com, CCCD 094201001234, theo {HOSTILE_HANDLE}. "
    '<img src=x onerror="alert(1)"> Chi tiết xem tại trang.'
)
PERSONAL_CHANNEL = "Nguyễn Văn A (cá nhân)"
ORG_CHANNEL = "UBND phường Sóc Trăng"
RELEASE_TEXT = (
    "Sở Văn hóa, Thể thao và Du lịch thông báo Lễ hội Oóc Om Bóc - Đua ghe Ngo đồng bào Khmer "
    "năm 2025 diễn ra từ ngày 3 đến ngày 5 tháng 11 tại sông Maspéro, phường Phú Lợi, thành phố "
    "Cần Thơ, với nhiều hoạt động văn hóa, thể thao, du lịch đặc sắc, thu hút hàng trăm nghìn "
    "lượt khách trong và ngoài nước."
)


def at(text: str) -> datetime:
    """A UTC time from 'YYYY-MM-DD HH:MM' given in office time (UTC+7)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC) - timedelta(hours=7)


class World:
    """Writes rows straight into the tables, as the pipeline and the review desk would."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sources: dict[str, int] = {}
        self.n = 0

    def source(self, key: str, name: str, source_kind: str, organisation: bool = False) -> int:
        """Add a configured source."""
        with transaction(self.engine) as s:
            row = m.Source(
                key=key, name=name, kind="rss", source_kind=source_kind, organisation=organisation
            )
            s.add(row)
            s.flush()
            self.sources[key] = row.id
        return row.id

    def story(self, title: str, first_seen: datetime) -> int:
        """Add a story."""
        with transaction(self.engine) as s:
            row = m.Story(title=title, first_seen_at=first_seen, last_seen_at=first_seen)
            s.add(row)
            s.flush()
            return row.id

    def doc(
        self,
        source: str,
        title: str,
        *,
        when: datetime,
        fetched: datetime | None = None,
        text: str = "",
        topics: tuple[str, ...] = (),
        tone: str = "neutral",
        relevance: int = 2,
        story: int | None = None,
        channel: str = "",
        status: str = "processed",
    ) -> int:
        """Add a processed document with its topic and tone tags."""
        self.n += 1
        body = text or f"Bài viết số {self.n} về tỉnh Sóc Trăng: {title}. " * 3
        with transaction(self.engine) as s:
            row = m.Document(
                url=f"https://news.example/{source}/{self.n}",
                canonical_url=f"news/{self.n}",
                source_id=self.sources[source],
                source_kind=self._kind(s, source),
                channel=channel,
                title=title,
                text=body,
                language="vi",
                published_at=when,
                fetched_at=fetched or when,
                processed_at=fetched or when,
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                status=status,
                relevance=relevance,
                relevance_score=0.9 if relevance == 2 else 0.4,
                tone=tone,
                tone_score=0.8,
                story_id=story,
                platform="telegram" if channel else "",
            )
            s.add(row)
            s.flush()
            for i, topic in enumerate(topics):
                s.add(m.Tag(document_id=row.id, kind="topic", label=topic, score=0.9 - i / 10))
            s.add(m.Tag(document_id=row.id, kind="tone", label=tone, score=0.8))
            return row.id

    def _kind(self, session: Any, source: str) -> str:
        return str(session.get(m.Source, self.sources[source]).source_kind)

    def flag(
        self,
        document_id: int,
        score: float,
        *,
        created: datetime,
        status: str = "open",
        reasons: tuple[str, ...] = ("claim_match",),
        evidence: str = "Khớp với tin sai đã biết về vỡ đê biển",
    ) -> int:
        """Add a flag with one claim-match signal and one source signal."""
        with transaction(self.engine) as s:
            row = m.Flag(
                document_id=document_id,
                score=score,
                reasons=list(reasons),
                evidence={"claim_match": {"sentence": evidence}},
                model_version="test-1",
                status=status,
                created_at=created,
                updated_at=created,
            )
            s.add(row)
            s.flush()
            s.add(
                m.FlagSignal(
                    flag_id=row.id,
                    name="claim_match",
                    score=score,
                    weight=0.6,
                    evidence={"sentence": evidence, "claim_id": 1},
                )
            )
            s.add(
                m.FlagSignal(
                    flag_id=row.id,
                    name="source_reliability",
                    score=0.3,
                    weight=0.2,
                    evidence={"reliability": 0.3},
                )
            )
            return row.id

    def review(self, flag_id: int, decision: str, decided: datetime) -> None:
        """An analyst's decision; the flag's status follows it."""
        with transaction(self.engine) as s:
            s.add(
                m.Review(
                    flag_id=flag_id, decision=decision, reviewer="analyst1", decided_at=decided
                )
            )
            flag = s.get(m.Flag, flag_id)
            assert flag is not None
            flag.status = "confirmed" if decision == "confirm" else "dismissed"
            flag.updated_at = decided

    def release(self, title: str, text: str, published: datetime) -> int:
        """A press release of the office in the claim base."""
        with transaction(self.engine) as s:
            row = m.Claim(
                kind="press_release",
                title=title,
                text=text,
                published_at=published,
                fingerprint=hashlib.sha256(text.encode()).hexdigest(),
            )
            s.add(row)
            s.flush()
            return row.id


def quarter_world(engine: Engine) -> dict[str, Any]:
    """Documents in 2025Q2 and 2025Q3, stories, flags with outcomes and a press release."""
    w = World(engine)
    w.source("baost", "Báo Sóc Trăng", "domestic")
    w.source("vnx", "VnExpress", "domestic")
    w.source("rfa", "Đài RFA tiếng Việt", "foreign")
    w.source("fb_org", "Trang UBND phường", "social", organisation=True)
    w.source("tele", "Kênh Telegram nhập khẩu", "social")
    w.source("svh", "Cổng thông tin Sở VHTTDL", "official")
    ids: dict[str, Any] = {"w": w}
    ghe = w.story("Lễ hội Oóc Om Bóc 2025", at("2025-08-20 08:00"))
    for i, (src, month) in enumerate([("baost", 7), ("vnx", 8), ("rfa", 8), ("baost", 9)]):
        w.doc(
            src,
            f"Đua ghe Ngo Sóc Trăng bài {i}",
            when=at(f"2025-{month:02d}-1{i} 09:00"),
            topics=("image_promotion", "ethnic_minorities"),
            tone="positive",
            story=ghe,
        )
    w.doc(
        "baost",
        "Ngư dân Trần Đề vươn khơi bám biển",
        when=at("2025-07-05 10:00"),
        topics=("fisheries", "sovereignty"),
        tone="positive",
    )
    w.doc(
        "vnx",
        "Hội nghị ASEAN về du lịch tại Cần Thơ",
        when=at("2025-09-02 10:00"),
        topics=("asean",),
        text="Kỷ niệm 80 năm Cách mạng Tháng Tám và Quốc khánh 2/9 tại "
        "Sóc Trăng, hội nghị ASEAN bàn về du lịch.",
    )
    w.doc(
        "fb_org",
        "Thông báo của phường",
        when=at("2025-08-01 07:00"),
        channel=ORG_CHANNEL,
        topics=("image_promotion",),
    )
    hostile_story = w.story(HOSTILE_TITLE, at("2025-09-20 22:00"))
    hostile = w.doc(
        "tele",
        HOSTILE_TITLE,
        when=at("2025-09-20 22:00"),
        text=HOSTILE_TEXT,
        channel=PERSONAL_CHANNEL,
        topics=("human_rights",),
        tone="negative",
        story=hostile_story,
    )
    w.doc(
        "rfa",
        "Bài không rõ tông",
        when=at("2025-09-25 10:00"),
        tone="negative",
        topics=("human_rights",),
    )
    w.doc("baost", "Bài chỉ nhắc qua", when=at("2025-08-03 10:00"), relevance=0)
    w.doc("svh", "Thông cáo Oóc Om Bóc", when=at("2025-08-15 09:00"), text=RELEASE_TEXT)
    w.doc(
        "vnx",
        "Cần Thơ: Lễ hội Oóc Om Bóc đua ghe Ngo 2025 trên sông Maspéro",
        when=at("2025-08-16 09:00"),
        text=RELEASE_TEXT.replace("thông báo", "cho biết"),
    )
    for day in (4, 18):  # previous quarter, for the change in tone shares
        w.doc(
            "baost",
            f"Tin quý II ngày {day}",
            when=at(f"2025-05-{day:02d} 10:00"),
            tone="negative",
            topics=("religion",),
        )
    ids["release"] = w.release(
        "Thông cáo Lễ hội Oóc Om Bóc 2025", RELEASE_TEXT, at("2025-08-15 08:00")
    )
    ids["hostile"] = hostile
    ids["flag_open"] = w.flag(hostile, 0.91, created=at("2025-09-20 23:00"))
    confirmed_doc = w.doc("rfa", "Tin sai về vỡ đê", when=at("2025-07-20 10:00"), tone="negative")
    ids["flag_confirmed"] = w.flag(confirmed_doc, 0.85, created=at("2025-07-20 11:00"))
    w.review(ids["flag_confirmed"], "confirm", at("2025-07-20 15:00"))
    dismissed_doc = w.doc("vnx", "Bài phê bình", when=at("2025-08-10 10:00"), tone="negative")
    ids["flag_dismissed"] = w.flag(dismissed_doc, 0.62, created=at("2025-08-10 11:00"))
    w.review(ids["flag_dismissed"], "dismiss", at("2025-08-11 11:00"))
    return ids
