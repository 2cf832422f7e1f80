"""A small review-desk world written through the storage models: sources, a story, flags, users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from presswatch.review.auth import hash_password
from presswatch.storage import models as m
from presswatch.storage.db import transaction

PASSWORD = "mat-khau-thu-nghiem-1"
USERS = {"an": "analyst", "vy": "viewer", "quan": "admin"}
XSS_TITLE = "<script>window.__xss = 1; alert('xss-title')</script> Tin đồn giá lúa"
XSS_TEXT = (
    "Bài đăng chứa mã độc <img src=x onerror=\"window.__xss = 2; alert('xss-img')\"> "
    "và <script>window.__xss = 3; alert('xss-text')</script> nhưng phải hiện ra như chữ."
)
XSS_URL = "javascript:alert('xss-url')"
CLAIM_SENTENCE = "Sóc Trăng cấm thương lái thu mua lúa từ tuần sau"
FALSE_TITLE = "Rộ tin Sóc Trăng cấm thu mua lúa"
FALSE_TEXT = (
    "Nhiều tài khoản chia sẻ rằng " + CLAIM_SENTENCE + ". Thông tin này khiến bà con lo lắng.\n"
    "Giá lúa tại các huyện vẫn ổn định theo ghi nhận của phóng viên."
)
NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class World:
    """Ids of the seeded rows the tests refer to."""

    false_doc: int
    false_flag: int
    xss_doc: int
    xss_flag: int
    dismissed_doc: int
    social_doc: int
    plain_doc: int
    story: int
    claim: int


def _source(session: Session, key: str, name: str, source_kind: str, kind: str = "rss") -> m.Source:
    source = m.Source(
        key=key, name=name, kind=kind, source_kind=source_kind, last_fetch_at=NOW,
        last_status="200", platform="facebook" if source_kind == "social" else "",
    )  # fmt: skip
    session.add(source)
    session.flush()
    return source


def _doc(session: Session, source: m.Source, slug: str, **values: Any) -> m.Document:
    url = values.pop("url", f"https://{source.key}.example.vn/{slug}")
    doc = m.Document(
        url=url, canonical_url=f"https://{source.key}.example.vn/{slug}", source_id=source.id,
        source_kind=source.source_kind, status="processed", relevance=2, language="vi", **values,
    )  # fmt: skip
    session.add(doc)
    session.flush()
    return doc


def _flag(session: Session, doc: m.Document, score: float, signals: list[m.FlagSignal]) -> m.Flag:
    flag = m.Flag(
        document_id=doc.id, score=score, model_version="test-1",
        reasons=[s.name for s in signals], created_at=NOW - timedelta(hours=2),
    )  # fmt: skip
    session.add(flag)
    session.flush()
    for signal in signals:
        signal.flag_id = flag.id
        session.add(signal)
    return flag


@cache
def password_hash() -> str:
    """One argon2 hash of PASSWORD for every seeded user (hashing costs ~0.3 s here)."""
    return hash_password(PASSWORD)


def seed(engine: Engine) -> World:
    """Write the world and return the ids the tests need."""
    with transaction(engine) as session:
        for username, role in USERS.items():
            session.add(m.User(username=username, role=role, password_hash=password_hash()))
        return _content(session)


def _content(session: Session) -> World:
    news = _source(session, "baoxyz", "Báo XYZ", "domestic")
    social = _source(session, "fb-trang-tin", "Trang tin cộng đồng", "social", kind="import")
    claim = m.Claim(
        kind="false_claim", text=CLAIM_SENTENCE, title="Tin sai: cấm thu mua lúa",
        correction="UBND không ban hành lệnh cấm nào; việc thu mua lúa diễn ra bình thường.",
        source_url="https://soctrang.gov.vn/dinh-chinh", fingerprint="seed-claim-1",
    )  # fmt: skip
    session.add(claim)
    session.flush()
    story = m.Story(
        title=FALSE_TITLE, first_source_id=social.id, first_seen_at=NOW - timedelta(hours=6),
        last_seen_at=NOW - timedelta(hours=3), document_count=2, source_count=2,
    )  # fmt: skip
    session.add(story)
    session.flush()
    social_doc = _doc(
        session, social, "post-1", title="", text="Nghe nói " + CLAIM_SENTENCE + "!!!",
        channel="Trang tin cộng đồng Sóc Trăng", platform="facebook", author="Nguyễn Văn A",
        published_at=NOW - timedelta(hours=6), story_id=story.id, tone="negative",
    )  # fmt: skip
    false_doc = _doc(
        session, news, "tin-don", title=FALSE_TITLE, text=FALSE_TEXT, story_id=story.id,
        published_at=NOW - timedelta(hours=3), tone="negative", author="Phóng viên B",
    )  # fmt: skip
    story.first_document_id = social_doc.id
    session.add(m.Tag(document_id=false_doc.id, kind="topic", label="image_promotion", score=0.8))
    evidence = {"sentence": CLAIM_SENTENCE, "claim_id": claim.id, "similarity": 0.93}
    false_flag = _flag(session, false_doc, 0.91, [
        m.FlagSignal(name="claim_match", score=0.93, weight=0.6, evidence=evidence),
        m.FlagSignal(name="content_model", score=0.71, weight=0.4,
                     evidence={"terms": ["cấm thu mua"], "probability": 0.71}),
    ])  # fmt: skip
    xss_doc = _doc(
        session, social, "post-xss", title=XSS_TITLE, text=XSS_TEXT, url=XSS_URL,
        channel="<b>kênh</b>", platform="facebook", published_at=NOW - timedelta(hours=1),
    )  # fmt: skip
    img = "<img src=x onerror=\"window.__xss = 2; alert('xss-img')\">"
    xss_signal = m.FlagSignal(
        name="content_model", score=0.55, weight=1.0, evidence={"sentence": img}
    )
    xss_flag = _flag(session, xss_doc, 0.55, [xss_signal])
    dismissed_doc = _doc(
        session, news, "gop-y", title="Người dân góp ý về đường giao thông",
        text="Bài viết phê bình chất lượng đường ở phường Sóc Trăng.",
        published_at=NOW - timedelta(days=2), tone="negative",
    )  # fmt: skip
    weak = m.FlagSignal(
        name="source_reliability", score=0.4, weight=1.0, evidence={"reliability": 0.3}
    )
    dismissed = _flag(session, dismissed_doc, 0.4, [weak])
    dismissed.status = "dismissed"
    plain_doc = _doc(
        session, news, "le-hoi", title="Lễ hội Oóc Om Bóc thu hút du khách",
        text="Giá vé tham quan giảm mạnh trong mùa lễ hội. Gia đình du khách đến đông.",
        published_at=NOW - timedelta(days=1), tone="positive",
    )  # fmt: skip
    session.add(m.Tag(document_id=plain_doc.id, kind="topic", label="image_promotion", score=0.9))
    return World(
        false_doc=false_doc.id, false_flag=false_flag.id, xss_doc=xss_doc.id,
        xss_flag=xss_flag.id, dismissed_doc=dismissed_doc.id, social_doc=social_doc.id,
        plain_doc=plain_doc.id, story=story.id, claim=claim.id,
    )  # fmt: skip


def pages(world: World) -> list[str]:
    """Every page of the desk (the anonymous-redirect tests visit each)."""
    return [
        "/", "/queue", "/queue?status=all&q=l%C3%BAa", f"/documents/{world.false_doc}",
        f"/documents/{world.xss_doc}", "/stories", f"/stories/{world.story}", "/sources",
        "/claims", "/claims/new", f"/claims/{world.claim}", "/overview", "/audit", "/users",
    ]  # fmt: skip
