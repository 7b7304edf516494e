"""Bylines of a saved page: "Tin, ảnh: VĂN LƯU", a bold "Minh Thư", ``<span class="author">``.

Author names are read with ``patterns.names`` (Title Case, one to four people). On a page the
markup can also say that a text is the author (``class="author"``): then a name the
Vietnamese word list does not know (a Cơ Tu name, "ALĂNG NGƯỚC") is still taken.
"""

from __future__ import annotations

import re

from lxml import etree

from . import patterns as pt
from .html_lines import hidden, marked, text_of

AUTHOR = ("author", "byline", "tacgia", "writer", "reporter")
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:tin|bài|ảnh|video|clip|đồ họa|đồ hoạ|thực hiện|nhóm thực hiện)"
    r"(?:\s*(?:,|và|&|-|/)\s*(?:tin|bài|ảnh|video|clip|đồ họa|đồ hoạ))*)\s*:\s*",
    re.IGNORECASE,
)
# "Công Bính/VOV-Miền Trung", "Thanh Hà (TTXVN)": the author's newsroom after the name.
_DESK = re.compile(r"\s*(?:/\s*\S.*|\(\s*[^()]{2,40}\))$")
_NAME_WORD = re.compile(r"^[^\W\d_]+$")


def byline(text: str) -> list[str] | None:
    """``Tin, ảnh: VĂN LƯU`` / ``Minh Thư`` / ``Công Bính/VOV-Miền Trung``: the names of a
    byline (Title Case), or None if the line is anything else."""
    text = text.strip()
    for candidate in (text, _BYLINE_PREFIX.sub("", text)):
        found = pt.names(candidate)
        if found is None and _DESK.search(candidate):
            found = pt.names(_DESK.sub("", candidate))
        if found is not None:
            return found
    return None


def marked_author(element: etree._Element, up: int = 2) -> bool:
    """Named by the page as the author (``author-name``, ``byline``), or inside such."""
    for el in (element, *element.iterancestors()):
        if up < 0:
            return False
        if marked(el, AUTHOR):
            return True
        up -= 1
    return False


def author_names(text: str, element: etree._Element | None) -> list[str] | None:
    """The names of a byline; a text the markup calls the author may be any short name."""
    found = byline(text)
    if found is not None or element is None or not marked_author(element):
        return found
    plain = _BYLINE_PREFIX.sub("", text.strip()).strip(" .-–|")
    words = plain.split()
    if 1 <= len(words) <= 5 and all(_NAME_WORD.match(w) and w[0].isupper() for w in words):
        return [plain.title() if plain.isupper() else plain]
    return None


def inline_parts(owner: etree._Element) -> list[tuple[etree._Element | None, str]]:
    """The pieces of a one-line block: its loose text and each inline child's text
    (``<span class="author">``, ``<time>``, ``<a>Chia sẻ</a>``), each piece also cut at "|"."""
    raw: list[tuple[etree._Element | None, str]] = [(None, owner.text or "")]
    for child in owner:
        if isinstance(child.tag, str) and not hidden(child):
            raw.append((child, text_of(child)))
        raw.append((None, child.tail or ""))
    parts = []
    for element, text in raw:
        text = " ".join(text.split())
        if any(c.isalnum() for c in text):
            parts.append((element, text))
    return parts
