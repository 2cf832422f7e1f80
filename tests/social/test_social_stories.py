"""Stories across media: a post repeating or sharing a news story joins it; first seen is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from presswatch.crawlers.extract import extract
from presswatch.demo.server import SITES
from presswatch.document import Document
from presswatch.errors import Drop
from presswatch.pipeline.dedup import DedupIndex, Deduplicate
from presswatch.pipeline.normalize import Normalize
from presswatch.sources import SourceConfig
from presswatch.storage import models as m
from presswatch.storage import repository, runs
from presswatch.storage.db import transaction

ARTICLE = "/dongbang/thoi-su/bien-phong-cuu-5-ngu-dan-gap-nan-tren-bien-tran-de-a21277.html"
ARTICLE_URL = "https://baodongbang.example.vn" + ARTICLE
T0 = datetime(2025, 10, 20, 2, 0, tzinfo=UTC)
SOURCES = [
    SourceConfig(key="news", name="Báo Đồng Bằng", kind="rss", urls=("u",)),
    SourceConfig(key="tg", name="Tin Miền Tây 24h", kind="telegram", urls=("u",)),
]


def _article_text() -> tuple[str, str]:
    page = extract((SITES / ARTICLE.lstrip("/")).read_bytes(), url=ARTICLE_URL)
    return page.title, page.text


def _post(key: str, text: str, hours: float, links: list[str] | None = None) -> Document:
    return Document(
        url=f"https://t.me/tin_mientay_24h/{key}", source="tg", source_kind="social",
        platform="telegram", channel="tin_mientay_24h", title=text.split("\n")[0], text=text,
        published_at=T0 + timedelta(hours=hours), extra={"links": links or []},
    )  # fmt: skip


def _article(hours: float) -> Document:
    title, text = _article_text()
    return Document(url=ARTICLE_URL, source="news", title=title, text=text,
                    published_at=T0 + timedelta(hours=hours))  # fmt: skip


def _process(engine: Engine, batches: list[list[Document]]) -> dict[str, int | None]:
    """Store and run normalise + dedup over each batch in turn; return story ids by URL."""
    stage = Deduplicate(DedupIndex(engine), 0.7)
    for docs in batches:
        with transaction(engine) as session:
            ids = {k: s.id for k, s in runs.sync_sources(session, SOURCES).items()}
            normalised = [Normalize(("vi",), 80).process(d) for d in docs]
            repository.add_documents(session, normalised, ids, None)
            batch = repository.load_batch(session, 100)
        with transaction(engine) as session:
            for doc in batch:
                try:
                    repository.save_processed(session, stage.process(doc))
                except Drop as drop:
                    repository.save_dropped(session, doc, drop.reason)
    with transaction(engine) as session:
        return dict(session.execute(select(m.Document.canonical_url, m.Document.story_id)).all())


def _story(engine: Engine, story_id: int | None) -> tuple[m.Story, str]:
    with transaction(engine) as session:
        story = session.get(m.Story, story_id)
        assert story is not None
        source = session.get(m.Source, story.first_source_id)
        assert source is not None
        return story, source.key


def test_a_post_repeating_the_article_joins_its_story_which_began_in_the_press(
    engine: Engine,
) -> None:
    title, text = _article_text()
    body = "\n\n".join(text.split("\n")[1:])
    repost = (f"🚨 TIN NÓNG: {title}\n\n{body}\n\n👉 Nguồn: Báo Đồng Bằng\n"
              "#TranDe #SocTrang #NguDan")  # fmt: skip
    stories = _process(engine, [[_article(0)], [_post("201", repost, 3)]])
    assert stories[ARTICLE_URL] == stories["https://t.me/tin_mientay_24h/201"] is not None
    story, first_source = _story(engine, stories[ARTICLE_URL])
    assert (story.document_count, story.source_count, first_source) == (2, 2, "news")


def test_a_post_that_came_first_is_where_the_story_appeared_first(engine: Engine) -> None:
    _, text = _article_text()
    early = _post("199", text.replace("Biên phòng", "Bộ đội biên phòng", 1), -2)
    stories = _process(engine, [[early, _article(0)]])
    assert stories[ARTICLE_URL] == stories["https://t.me/tin_mientay_24h/199"]
    story, first_source = _story(engine, stories[ARTICLE_URL])
    assert first_source == "tg" and story.first_seen_at == T0 - timedelta(hours=2)


def test_a_post_sharing_the_article_link_joins_and_an_unrelated_link_does_not(
    engine: Engine,
) -> None:
    title, text = _article_text()
    lead = text.split("\n")[1]
    share = _post("202", f"{title}\n{lead}\nĐọc thêm trên Báo Đồng Bằng", 4, [ARTICLE_URL])
    other = _post("203", "Cảng cá Trần Đề siết chặt kiểm soát tàu cá xuất bến trong tháng này", 5,
                  ["https://other.example.vn/cang-ca.html"])  # fmt: skip
    stories = _process(engine, [[_article(0)], [share, other]])
    assert stories["https://t.me/tin_mientay_24h/202"] == stories[ARTICLE_URL]
    assert stories["https://t.me/tin_mientay_24h/203"] not in (None, stories[ARTICLE_URL])
