"""A saved page's visible text as lines, each with the element that holds it.

Every rule of the HTML reader works on these lines: a line is the text of one block
(paragraph, heading, list item, table cell, ...) or the part of it between two ``<br>``. Its
``owner`` is the innermost block element around it, so the reader can ask what the line *is*
on the page (a heading, a caption, a bold sapo) and not only what it says; its ``region`` is
the page landmark it sits in (menu, footer, comments, ...), the reason it is reported with
when nothing else claims it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

RELATED = "related-news block"
HEADER = "page header (before the title)"
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "button", "center", "dd", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "select",
    "table", "td", "th", "tr", "ul",
})  # fmt: skip
_INVISIBLE = frozenset({
    "script", "style", "noscript", "template", "head", "svg", "iframe", "textarea", "video",
    "audio", "object", "embed", "canvas", "map",
})  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_LANDMARK_TAGS = {"nav": "menu", "aside": RELATED, "footer": "site footer", "header": HEADER}
_LANDMARK_CLASSES = (
    ("breadcrumb", "breadcrumb"),
    ("comment", "reader comment"),
    ("related", RELATED),
    ("menu", "menu"),
    ("share", "share button"),
    ("tag", "tags"),
    ("footer", "site footer"),
)


def text_of(element: etree._Element) -> str:
    """The element's visible text with whitespace collapsed."""

    def parts(el: etree._Element) -> list[str]:
        if hidden(el):
            return []
        found = [el.text or ""]
        for child in el:
            found += parts(child)
            found.append(child.tail or "")
        return found

    return " ".join("".join(parts(element)).split())


def is_tag(element: object, *tags: str) -> bool:
    return isinstance(element, etree._Element) and element.tag in tags


def hidden(element: etree._Element) -> bool:
    """Not shown by a browser: invisible tags, ``hidden``, ``display: none``."""
    if not isinstance(element.tag, str) or element.tag in _INVISIBLE:
        return True
    if element.get("hidden") is not None:
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style", "")))


def landmark(element: etree._Element) -> str | None:
    """The report reason a page region implies: ``<nav>`` is a menu, ``.comments`` comments.
    The ``<header>`` and ``<footer>`` of an ``<article>`` are the article's own."""
    named = _LANDMARK_TAGS.get(element.tag)
    own = element.tag in ("header", "footer") and any(
        el.tag == "article" for el in element.iterancestors()
    )
    if named:
        return None if own else named
    marks = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return next((reason for word, reason in _LANDMARK_CLASSES if word in marks), None)


def markers(element: etree._Element) -> set[str]:
    """The words a page's own markup names an element with: class, id, type, role, ...
    (``RelatedOneNews`` -> related, one, news; ``detail-sapo`` -> detail, sapo)."""
    raw = " ".join(
        element.get(name, "") for name in ("class", "id", "type", "role", "data-role", "itemprop")
    )
    raw = re.sub(r"([a-z])([A-Z])", r"\1 \2", raw).lower()
    return {word for word in re.split(r"[^a-z0-9]+", raw) if word}


def marked(element: etree._Element, words: tuple[str, ...]) -> bool:
    """Does a marker of the element begin with one of ``words``?"""
    return any(m.startswith(words) for m in markers(element))


@dataclass
class Line:
    """One line of visible text and where it sits on the page."""

    index: int
    source_line: int
    text: str
    owner: etree._Element
    region: str | None


@dataclass
class PageText:
    """The lines of a page, and for each element where its lines start and end."""

    lines: list[Line] = field(default_factory=list)
    anchors: dict[etree._Element, float] = field(default_factory=dict)
    spans: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)

    def inside(self, element: etree._Element) -> list[Line]:
        """The lines within ``element``, in order."""
        start, end = self.spans.get(element, (0, 0))
        return self.lines[start:end]

    def anchor(self, element: etree._Element) -> float:
        """Where the element starts among the lines (a .5 is inside a line)."""
        return self.anchors.get(element, float(len(self.lines)))


class _Walker:
    """Collects the lines of a tree in document order, as a browser would break them."""

    def __init__(self) -> None:
        self.page = PageText()
        self.parts: list[str] = []
        self.start: tuple[int, etree._Element, str | None] | None = None

    def add(self, text: str | None, owner: etree._Element, region: str | None, at: int) -> None:
        if not text:
            return
        if self.start is None and text.strip():
            self.start = (at, owner, region)
        self.parts.append(text)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text and self.start is not None:
            at, owner, region = self.start
            lines = self.page.lines
            lines.append(Line(len(lines), at, text, owner, region))
        self.parts.clear()
        self.start = None

    def walk(self, element: etree._Element, region: str | None, owner: etree._Element) -> None:
        if hidden(element):
            return
        region = landmark(element) or region
        block = element.tag in BLOCK_TAGS
        if block:
            self.flush()
        self.page.anchors[element] = len(self.page.lines) + (0.5 if self.start else 0)
        here = element if block else owner
        line = element.sourceline or 0
        self.add(element.text, here, region, line)
        for child in element:
            self.walk(child, region, here)
            self.add(child.tail, here, region, child.sourceline or line)
        if block:
            self.flush()


def read_lines(root: etree._Element) -> PageText:
    """Every line of visible text under ``root``, and each element's span of lines."""
    walker = _Walker()
    walker.walk(root, None, root)
    walker.flush()
    page = walker.page
    for line in page.lines:
        for element in (line.owner, *line.owner.iterancestors()):
            start, end = page.spans.get(element, (line.index, line.index))
            page.spans[element] = (min(start, line.index), max(end, line.index + 1))
    return page


BOLD = ("strong", "b")
ITALIC = ("em", "i")
_CENTRED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)


def emphasised(element: etree._Element, tags: tuple[str, ...]) -> bool:
    """Is all the visible text of ``element`` inside ``tags`` (a bold sapo, an italic
    caption)? Punctuation and spaces outside do not count."""
    inside: list[str] = []
    outside: list[str] = []

    def walk(el: etree._Element, within: bool) -> None:
        if hidden(el):
            return
        within = within or el.tag in tags
        (inside if within else outside).append(el.text or "")
        for child in el:
            walk(child, within)
            (inside if within else outside).append(child.tail or "")

    walk(element, False)
    return any(c.isalnum() for c in "".join(inside)) and not any(
        c.isalnum() for c in "".join(outside)
    )


def centred(element: etree._Element) -> bool:
    """Centred by its own markup or its parent's (``text-align: center``, ``align``)."""
    for el in (element, element.getparent()):
        if el is None:
            break
        if el.tag == "center" or (el.get("align") or "").lower() == "center":
            return True
        if _CENTRED.search(el.get("style", "")):
            return True
    return False
