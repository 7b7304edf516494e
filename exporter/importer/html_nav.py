"""The navigation a saved page puts around its article: breadcrumb levels and tag links.

Both are runs of links: the breadcrumb just above (or below) the title, with the home link
first ("Trang chủ" or the site's root), the tags after the article ("Từ khóa: a, b, c", or
links to ``…-tags.htm`` pages).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from . import vocabulary as vocab
from .html_lines import hidden, text_of

_TAG_HREF = re.compile(r"(^|[/\-_.?=])(tags?|tu-?khoa|keywords?|chu-?de)([/\-_.?=\d]|$)", re.I)
_LABEL = re.compile(r"^\s*(tags?|từ khóa|từ khoá|keywords?|chủ đề)\s*:?\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*[,;|#]\s*")
_NOT_LINK_TEXT = re.compile(r"[\W\d_]+")


def links(element: etree._Element) -> list[etree._Element]:
    """The visible links with text inside ``element``."""
    return [a for a in element.iter("a") if not hidden(a) and text_of(a)]


def link_only(element: etree._Element) -> bool:
    """Is every word of the element inside a link (a box of headlines, a tag list)? Dates
    in brackets and separators between links do not count."""
    found = links(element)
    if not found:
        return False
    rest = text_of(element)
    for a in found:
        rest = rest.replace(text_of(a), " ", 1)
    rest = re.sub(r"\(\s*\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?\s*\)", " ", rest)
    return not _NOT_LINK_TEXT.sub("", rest)


def is_home(text: str, href: str | None) -> bool:
    """The site's home link: "Trang chủ", "Home", or the site's root address."""
    if vocab.key(text) in vocab.HOME:
        return True
    if href is None:
        return False
    parts = urlsplit(href.strip())
    return (
        bool(parts.netloc or href.startswith("/")) and parts.path in ("", "/") and not parts.query
    )


def breadcrumb_items(element: etree._Element) -> list[str]:
    """The levels of a breadcrumb, without the home link."""
    found = links(element)
    if found:
        items = [text_of(a) for a in found if not is_home(text_of(a), a.get("href"))]
    else:
        items = vocab.breadcrumb(text_of(element)) or []
    return [item for item in items if item and len(item.split()) <= 8]


def tag_links(element: etree._Element) -> bool:
    """Is this a run of links to the site's tag pages (``…/tag/…``, ``…-tags.htm``)?"""
    found = links(element)
    return bool(found) and all(_TAG_HREF.search(a.get("href") or "") for a in found)


def tag_items(element: etree._Element) -> list[str]:
    """The tags of a tag box: its links, else its text after "Từ khóa:" split at commas."""
    found = [text_of(a) for a in links(element)]
    if not found:
        found = _SEPARATORS.split(_LABEL.sub("", text_of(element)))
    items: list[str] = []
    for item in found:
        text = " ".join(item.strip().lstrip("#").split())
        if text and not _LABEL.fullmatch(text) and text not in items:
            items.append(text)
    return items


_HASHTAGS = re.compile(r"\s*(?:#[^\s#][^#]{0,40}){2,20}")


def hashtags(text: str) -> list[str] | None:
    """``#cam Hà Tĩnh #OCOP``: a line of nothing but hashtags (two or more) -> the tags."""
    if not _HASHTAGS.fullmatch(text):
        return None
    return [item.strip() for item in text.split("#") if item.strip()]
