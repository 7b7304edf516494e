"""What a saved page says about its article outside the visible text: ``<meta>``, JSON-LD, links.

These are the fallbacks of the HTML reader (the visible page comes first): the CMS writes them
for search engines and social networks, often shorter or older than what the reader sees
(the meta description is usually a rewording of the sapo, not the sapo).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

from exporter.source.models import VN_TZ

_PUBLISHED = ("article:published_time", "datepublished", "pubdate", "date")
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)\s*(\S+)", re.IGNORECASE)


@dataclass
class PageMeta:
    """The page's own description of its article (every field may be missing)."""

    title: str | None = None
    titles: list[str] = field(default_factory=list)  # every title the page gives
    description: str | None = None
    section: str | None = None
    breadcrumb: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    published: tuple[dt.datetime, bool] | None = None  # (moment, has a time of day)
    url: str | None = None
    site_name: str | None = None


def _clean(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


def _meta(page: lxml_html.HtmlElement) -> dict[str, str]:
    """``<meta name|property=... content=...>``, first value of each (lowercase key)."""
    found: dict[str, str] = {}
    for meta in page.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = _clean(meta.get("content"))
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld(page: lxml_html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, ``@graph`` and lists flattened."""
    objects: list[dict[str, Any]] = []

    def add(data: Any) -> None:
        if isinstance(data, list):
            for item in data:
                add(item)
        elif isinstance(data, dict):
            objects.append(data)
            add(data.get("@graph"))

    for script in page.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            add(json.loads(script.text or ""))
        except ValueError:
            continue
    return objects


def _types(data: dict[str, Any]) -> set[str]:
    kind = data.get("@type")
    return set(kind) if isinstance(kind, list) else {str(kind)}


def parse_datetime(value: str | None) -> tuple[dt.datetime, bool] | None:
    """An ISO date from a meta tag: (moment in Vietnam's time, has a time of day)."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(text[:10]), dt.time())
        except ValueError:
            return None
        return when.replace(tzinfo=VN_TZ), False
    timed = "T" in text or " " in text.strip()
    if when.tzinfo is None:
        when = when.replace(tzinfo=VN_TZ)
    return when.astimezone(VN_TZ), timed


def _names(value: Any) -> list[str]:
    """Author names from JSON-LD (a string, a Person, or a list of them)."""
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    if isinstance(value, dict):
        value = value.get("name")
    name = _clean(value) if isinstance(value, str) else None
    return [name] if name else []


def split_list(value: Any) -> list[str]:
    """``"a, b; c"`` or ``["a", "b"]`` -> the items, stripped, without repeats."""
    items = value if isinstance(value, list) else re.split(r"[,;]", str(value or ""))
    found: list[str] = []
    for item in items:
        text = _clean(str(item))
        if text and text not in found:
            found.append(text)
    return found


def _saved_from(text: str) -> str | None:
    m = _SAVED_FROM.search(text[:3000])
    return m.group(1) if m else None


def _web(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def _titles(
    page: lxml_html.HtmlElement, meta: dict[str, str], article: dict[str, Any]
) -> list[str]:
    title_tag = page.find(".//title")
    found = (
        meta.get("og:title"),
        _clean(article.get("headline")),
        meta.get("twitter:title"),
        _clean(title_tag.text_content()) if title_tag is not None else None,
    )
    return [t for t in found if t]


def _published(
    page: lxml_html.HtmlElement, meta: dict[str, str], article: dict[str, Any]
) -> tuple[dt.datetime, bool] | None:
    """``article:published_time``, JSON-LD ``datePublished``, else a ``<time datetime>``."""
    raw = next((meta[k] for k in _PUBLISHED if k in meta), None) or article.get("datePublished")
    if not isinstance(raw, str):
        marked = (el for el in page.iter() if el.get("itemprop") == "datePublished")
        times = (el for el in page.iter("time") if el.get("datetime"))
        raw = next((el.get("datetime") or el.get("content") for el in (*marked, *times)), None)
    return parse_datetime(raw if isinstance(raw, str) else None)


def _url(
    page: lxml_html.HtmlElement, meta: dict[str, str], article: dict[str, Any], source: str
) -> str | None:
    """The article's address: canonical link, ``og:url``, JSON-LD, the "saved from" note."""
    canonical = next(
        (link.get("href") for link in page.iter("link") if link.get("rel") == "canonical"), None
    )
    entity = article.get("mainEntityOfPage")
    entity = entity.get("@id") if isinstance(entity, dict) else entity
    found = (canonical, meta.get("og:url"), article.get("url"), entity, _saved_from(source))
    return next((u for u in found if isinstance(u, str) and _web(u)), None)


def _breadcrumb(crumbs: dict[str, Any]) -> list[str]:
    items = [i for i in crumbs.get("itemListElement") or [] if isinstance(i, dict)]
    items.sort(key=lambda i: float(i.get("position") or 0))
    return [n for i in items for n in _names(i if "name" in i else i.get("item"))]


def read_meta(page: lxml_html.HtmlElement, source: str) -> PageMeta:
    """Everything the head of the page (and its JSON-LD) says about the article."""
    meta = _meta(page)
    ld = _json_ld(page)
    article = next((d for d in ld if _types(d) & {"NewsArticle", "Article", "BlogPosting"}), {})
    crumbs = next((d for d in ld if "BreadcrumbList" in _types(d)), {})
    titles = _titles(page, meta, article)
    return PageMeta(
        title=titles[0] if titles else None,
        titles=titles,
        description=meta.get("description")
        or meta.get("og:description")
        or _clean(article.get("description")),
        section=meta.get("article:section") or _clean(article.get("articleSection")),
        breadcrumb=_breadcrumb(crumbs),
        authors=split_list(
            _names(article.get("author")) or meta.get("article:author") or meta.get("author")
        ),
        keywords=split_list(
            meta.get("keywords") or meta.get("news_keywords") or article.get("keywords")
        ),
        published=_published(page, meta, article),
        url=_url(page, meta, article, source),
        site_name=meta.get("og:site_name"),
    )
