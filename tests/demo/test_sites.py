"""The bundled fixture sites keep their promises: pages, feeds, dates, claims and the manifest."""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.robotparser
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx
import lxml.html
import pytest

from presswatch.demo.server import SITES, TZ, FixtureServer
from presswatch.sources import SourceConfig, load_sources

#: A pinned "now": the quarter started 56 days earlier, so the fixture spans two quarters.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
CLAIMS = SITES.parent / "claims.json"
MANIFEST: list[dict[str, Any]] = json.loads((SITES / "manifest.json").read_text("utf-8"))
DOCS = {e["id"]: e for e in MANIFEST}
COLLECTED = [e for e in MANIFEST if e["collect"]]
FEEDS = ["/nhatbao/rss.xml", "/dongbang/rss.xml", "/quocte/atom.xml", "/sovhtt/rss.xml"]
BROKEN_FEED = "/dongbang/rss/kinh-te.xml"
ROLES = {
    "press_release", "press_release_uptake", "debunk", "false_claim_verbatim",
    "false_claim_paraphrase", "fact_contradiction", "criticism", "homograph", "passing_mention",
    "other_region", "syndicated_original", "syndicated_copy", "personal_data", "tracking_url",
    "robots_disallowed", None,
}  # fmt: skip
TOPICS = {
    "sovereignty", "human_rights", "asean", "ethnic_minorities", "religion", "fisheries",
    "foreign_affairs", "image_promotion",
}  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with FixtureServer(SITES, now=NOW) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: FixtureServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def sources(server: FixtureServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("demo") / "sources.toml"
    path.write_text(server.render((SITES / "sources.toml").read_text("utf-8")), "utf-8")
    return {s.key: s for s in load_sources(path)}


def page(client: httpx.Client, path: str) -> lxml.html.HtmlElement:
    resp = client.get(path)
    assert resp.status_code == 200, path
    assert "{{" not in resp.text, f"unfilled template token in {path}"
    return lxml.html.fromstring(resp.content)


def meta(tree: lxml.html.HtmlElement, prop: str) -> str:
    values = tree.xpath(f'//meta[@property="{prop}" or @name="{prop}"]/@content')
    assert values, f"no <meta {prop}>"
    return str(values[0])


def article_text(tree: lxml.html.HtmlElement, source: SourceConfig) -> str:
    """Headline, lead and body paragraphs: what an extractor should find."""
    body = tree.cssselect(source.extract.content_selector)[0]
    paragraphs = [p.text_content() for p in body.cssselect("p")]
    return "\n".join(
        [tree.cssselect("h1")[0].text_content(), meta(tree, "description"), *paragraphs]
    )


def source_of(entry: dict[str, Any], sources: dict[str, Any]) -> SourceConfig:
    key = entry["via"][0] if entry["via"] else entry["outlet"]
    src: SourceConfig = sources[key]
    return src


def texts(client: httpx.Client, sources: dict[str, Any]) -> dict[str, str]:
    return {e["id"]: article_text(page(client, e["path"]), source_of(e, sources)) for e in MANIFEST}


@pytest.fixture(scope="module")
def all_texts(client: httpx.Client, sources: dict[str, Any]) -> dict[str, str]:
    return texts(client, sources)


# -- the manifest and the pages ---------------------------------------------------------------


def test_manifest_is_complete_and_uses_known_labels() -> None:
    assert 24 <= len(MANIFEST) <= 30
    assert len(DOCS) == len(MANIFEST) == len({e["path"] for e in MANIFEST})
    for e in MANIFEST:
        x = e["expect"]
        assert x["relevance"] in (0, 1, 2) and x["names"] in ("old", "new", "both", "none")
        assert x["role"] in ROLES and set(x["topics"]) <= TOPICS
        assert x["tone"] in ("positive", "neutral", "negative")
        assert (SITES / e["path"].lstrip("/")).is_file()
    assert {e["expect"]["names"] for e in COLLECTED} == {"old", "new", "both", "none"}
    assert {e["outlet"] for e in MANIFEST} == {"nhatbao", "dongbang", "quocte", "gocnhin", "sovhtt"}


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["id"] for e in MANIFEST])
def test_each_article_is_a_full_news_page(
    entry: dict[str, Any], client: httpx.Client, server: FixtureServer, sources: dict[str, Any]
) -> None:
    tree = page(client, entry["path"])
    assert tree.get("lang") == "vi"
    assert tree.xpath("//link[@rel='canonical']/@href") == [server.url(entry["path"])]
    assert meta(tree, "og:title") == entry["title"]
    assert tree.cssselect("h1")[0].text_content() == entry["title"]
    assert tree.cssselect("nav, .menu, .portal-menu"), "no menu"
    assert tree.cssselect("footer, .portal-footer"), "no footer"
    words = len(article_text(tree, source_of(entry, sources)).split())
    assert words >= (60 if not entry["collect"] else 150) and words <= 600


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["id"] for e in MANIFEST])
def test_publication_dates_are_within_90_days_of_now(
    entry: dict[str, Any], client: httpx.Client
) -> None:
    published = datetime.fromisoformat(meta(page(client, entry["path"]), "article:published_time"))
    assert published.utcoffset() == timedelta(hours=7)
    assert NOW - timedelta(days=90) <= published <= NOW


def test_dates_span_this_quarter_and_the_last(client: httpx.Client) -> None:
    quarter_start = NOW.replace(month=10, day=1, hour=0, minute=0)
    dates = [
        datetime.fromisoformat(meta(page(client, e["path"]), "article:published_time"))
        for e in COLLECTED
    ]
    assert sum(d < quarter_start for d in dates) >= 4
    assert sum(d >= quarter_start for d in dates) >= 15
    assert sum(d >= NOW - timedelta(hours=24) for d in dates) >= 3  # a "today" for the digest


def test_some_articles_carry_json_ld_and_it_parses(client: httpx.Client) -> None:
    found = 0
    for e in COLLECTED:
        for block in page(client, e["path"]).xpath("//script[@type='application/ld+json']/text()"):
            data = json.loads(block)
            assert data["@type"] in ("NewsArticle", "ClaimReview")
            found += 1
    assert found >= 10


def test_all_text_files_are_utf8_nfc() -> None:
    for path in [*SITES.rglob("*"), CLAIMS]:
        if path.suffix in (".html", ".xml", ".json", ".txt", ".toml"):
            text = path.read_text("utf-8")
            assert unicodedata.is_normalized("NFC", text), path


# -- feeds, sitemap, listing, robots ----------------------------------------------------------


def feed_paths(client: httpx.Client, feed: str) -> list[str]:
    parsed = feedparser.parse(client.get(feed).content)
    assert not parsed.bozo, f"{feed}: {parsed.get('bozo_exception')}"
    return [urlsplit(entry.link).path for entry in parsed.entries]


@pytest.mark.parametrize("feed", FEEDS)
def test_each_feed_parses_and_lists_only_existing_pages(feed: str, client: httpx.Client) -> None:
    paths = feed_paths(client, feed)
    assert len(paths) >= 4
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_feed_dates_are_within_90_days_and_rss_dates_are_rfc822(client: httpx.Client) -> None:
    for feed in FEEDS:
        resp = client.get(feed)
        if "<rss" in resp.text:
            for stamp in re.findall(r"<pubDate>(.*?)</pubDate>", resp.text):
                assert parsedate_to_datetime(stamp).utcoffset() == timedelta(hours=7)
        for entry in feedparser.parse(resp.content).entries:
            published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
            assert NOW - timedelta(days=90) <= published <= NOW


def test_the_broken_feed_is_broken_but_points_at_real_pages(client: httpx.Client) -> None:
    raw = (SITES / BROKEN_FEED.lstrip("/")).read_text("utf-8")
    assert " & " in raw and "&utm_medium" in raw and not raw.rstrip().endswith("</rss>")
    parsed = feedparser.parse(client.get(BROKEN_FEED).content)
    assert parsed.bozo
    for entry in parsed.entries:
        assert client.get(urlsplit(entry.link).path).status_code == 200


def test_sitemap_lists_every_article_of_its_outlet_some_not_in_the_feed(
    client: httpx.Client,
) -> None:
    tree = lxml.html.fromstring(client.get("/nhatbao/sitemap.xml").content)
    listed = {urlsplit(loc.text_content()).path for loc in tree.xpath("//loc")}
    outlet = {e["path"] for e in MANIFEST if e["outlet"] == "nhatbao"}
    assert listed == outlet
    assert len(listed - set(feed_paths(client, "/nhatbao/rss.xml"))) == 3


def test_each_collected_document_is_listed_by_its_sources(
    client: httpx.Client, sources: dict[str, Any]
) -> None:
    listed: dict[str, set[str]] = {}
    for key, src in sources.items():
        found: set[str] = set()
        for url in src.urls:
            body = client.get(urlsplit(url).path).content
            if src.kind == "rss":
                found |= {urlsplit(x.link).path for x in feedparser.parse(body).entries}
            else:
                hrefs = lxml.html.fromstring(body).xpath("//a/@href | //loc/text()")
                found |= {urlsplit(h).path for h in hrefs if re.search(src.follow, h)}
        listed[key] = found
    for e in COLLECTED:
        assert e["via"], e["id"]
        for key in e["via"]:
            assert e["path"] in listed[key], (e["id"], key)


def test_tracking_link_in_feed_points_at_the_canonical_page(
    client: httpx.Client, server: FixtureServer
) -> None:
    (entry,) = [e for e in MANIFEST if "feed_link" in e]
    links = [x.link for x in feedparser.parse(client.get("/dongbang/rss.xml").content).entries]
    assert server.url(entry["feed_link"]) in links
    tree = page(client, entry["feed_link"])
    assert tree.xpath("//link[@rel='canonical']/@href") == [server.url(entry["path"])]


def test_robots_disallows_exactly_the_private_draft_linked_from_the_blog(
    client: httpx.Client, server: FixtureServer, sources: dict[str, Any]
) -> None:
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(client.get("/robots.txt").text.splitlines())
    for e in MANIFEST:
        assert robots.can_fetch("PressWatch", server.url(e["path"])) is e["collect"], e["id"]
    (draft,) = [e for e in MANIFEST if not e["collect"]]
    assert draft["path"].startswith("/private/")
    assert re.search(sources["gocnhin"].follow, draft["path"])
    assert server.url(draft["path"]) in client.get("/gocnhin/").text


def test_every_configured_source_url_is_served(
    client: httpx.Client, sources: dict[str, Any]
) -> None:
    assert {s.kind for s in sources.values()} == {"rss", "sitemap", "site"}
    assert {s.source_kind for s in sources.values()} == {
        "domestic",
        "foreign",
        "social",
        "official",
    }
    for src in sources.values():
        for url in src.urls:
            assert client.get(urlsplit(url).path).status_code == 200, url


# -- the content promises ---------------------------------------------------------------------


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def test_stories_are_near_duplicates_and_nothing_else_is(all_texts: dict[str, str]) -> None:
    stories: dict[str, list[str]] = {}
    for e in MANIFEST:
        if e["expect"]["story"]:
            stories.setdefault(e["expect"]["story"], []).append(e["id"])
    assert sorted(len(v) for v in stories.values()) == [2, 3]
    label = {i: e["expect"]["story"] for i, e in DOCS.items()}
    ids = sorted(all_texts)
    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            score = jaccard(all_texts[a], all_texts[b])
            if label[a] and label[a] == label[b]:
                assert score >= 0.75, (a, b, score)
            else:
                assert score < 0.3, (a, b, score)


def test_the_false_claim_appears_verbatim_once_and_paraphrased_once(
    all_texts: dict[str, str],
) -> None:
    claim = next(c for c in load_claims() if c["kind"] == "false_claim")
    sentence = claim["claim"].rstrip(".").lower()
    roles = {e["expect"]["role"]: e["id"] for e in MANIFEST}
    assert sentence in all_texts[roles["false_claim_verbatim"]].lower()
    paraphrase = all_texts[roles["false_claim_paraphrase"]]
    assert sentence not in paraphrase.lower() and "Prêk Chrôn" in paraphrase
    assert sentence in all_texts[roles["debunk"]].lower()  # the debunk quotes what it denies


def test_criticism_homographs_and_other_regions(all_texts: dict[str, str]) -> None:
    by_role: dict[str | None, list[str]] = {}
    for e in MANIFEST:
        by_role.setdefault(e["expect"]["role"], []).append(e["id"])
    assert len(by_role["criticism"]) == 1
    assert "Prêk Chrôn" not in all_texts[by_role["criticism"][0]]
    for doc in by_role["homograph"]:
        assert "sọc trắng" in all_texts[doc].lower() and "Sóc Trăng" not in all_texts[doc]
    for e in MANIFEST:
        if e["expect"]["relevance"] == 0:
            assert "Sóc Trăng" not in all_texts[e["id"]], e["id"]
    assert len(by_role["other_region"]) >= 2 and len(by_role["passing_mention"]) >= 1


def test_personal_data_and_a_hostile_comment_are_present(client: httpx.Client) -> None:
    (doc,) = [e for e in MANIFEST if e["expect"]["role"] == "personal_data"]
    text = client.get(doc["path"]).text
    assert "0912 000 123" in text and "sarual.thach@example.com" in text
    pages = [client.get(e["path"]).text for e in MANIFEST]
    hostile = [p for p in pages if "&lt;script&gt;alert(1)&lt;/script&gt;" in p]
    assert len(hostile) == 1 and "<script>alert(1)" not in hostile[0]
    assert lxml.html.fromstring(hostile[0]).cssselect(".comments .comment-text")


# -- the claim base ---------------------------------------------------------------------------


def load_claims() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(CLAIMS.read_text("utf-8"))
    return data


def test_claims_are_well_formed_and_their_urls_exist(
    client: httpx.Client, server: FixtureServer
) -> None:
    claims = json.loads(server.render(CLAIMS.read_text("utf-8")))
    required = {
        "false_claim": {"claim", "correction", "source_url", "published_at", "keywords"},
        "fact": {"statement", "subject", "value", "source_url"},
        "press_release": {"title", "text", "url"},
    }
    assert {c["kind"] for c in claims} == set(required)
    assert sum(c["kind"] == "press_release" for c in claims) == 3
    assert len({c["id"] for c in claims}) == len(claims)
    for c in claims:
        assert required[c["kind"]] <= set(c), c["id"]
        url = c.get("source_url") or c["url"]
        assert url.startswith(server.base_url) and client.get(url).status_code == 200, url
        if "published_at" in c:
            assert NOW - timedelta(days=90) <= datetime.fromisoformat(c["published_at"]) <= NOW


def test_press_releases_are_taken_up_and_one_fact_is_contradicted(
    all_texts: dict[str, str],
) -> None:
    claims = load_claims()
    releases = {c["url"].removeprefix("{{BASE}}") for c in claims if c["kind"] == "press_release"}
    uptake = [e for e in MANIFEST if e["expect"]["role"] == "press_release_uptake"]
    assert {e["expect"]["uptake_of"] for e in uptake} <= releases
    assert max(sum(e["expect"]["uptake_of"] == r for e in uptake) for r in releases) >= 2
    (wrong,) = [e for e in MANIFEST if e["expect"]["role"] == "fact_contradiction"]
    fact = next(c for c in claims if c["id"] == wrong["expect"]["contradicts"])
    assert fact["value"] not in all_texts[wrong["id"]]
    official = [e["id"] for e in MANIFEST if e["outlet"] == "sovhtt"]
    assert any(fact["value"] in all_texts[i] for i in official)
