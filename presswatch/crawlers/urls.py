"""Fetch: canonical URLs — one spelling per article so the same page is stored once."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only track the reader and never change the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|zarsrc|"
    r"gidzl|ref|ref_src|refsrc|source|src|cmpid|campaign|share|s_cid|at_[a-z_]+|itm_[a-z_]+)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize(url: str, base: str | None = None) -> str:
    """Normalise a URL: absolute, lower-case host, no default port, fragment or tracking query."""
    url = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs are on the same host (ignoring a leading www.)."""
    host_a = (urlsplit(url_a).hostname or "").removeprefix("www.")
    host_b = (urlsplit(url_b).hostname or "").removeprefix("www.")
    return bool(host_a) and host_a == host_b


def choose_canonical(fetched_url: str, declared: str) -> str:
    """The page's declared canonical URL when it is believable, else the fetched URL."""
    fetched = canonicalize(fetched_url)
    if not declared:
        return fetched
    candidate = canonicalize(declared, base=fetched_url)
    # A canonical pointing at another site or at the home page is a template bug, not truth.
    if not same_site(candidate, fetched) or urlsplit(candidate).path in ("", "/"):
        return fetched
    return candidate
