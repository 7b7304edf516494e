"""Where the article is on a saved page: its title, the element holding its text, its sapo.

A news page is laid out the same way on every CMS: header and menus, the breadcrumb, the
title (``<h1>``), byline and date, the sapo (a bold or specially styled paragraph), then the
element holding the paragraphs, then tags, related news, comments and the footer. These rules
find the anchors of that layout from the page's structure, not from one site's class names.
"""

from __future__ import annotations

from lxml import etree

from . import patterns as pt
from . import vocabulary as vocab
from .html_lines import (
    BLOCK_TAGS,
    ITALIC,
    Line,
    PageText,
    centred,
    emphasised,
    marked,
    text_of,
)

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# What CMSs call the sapo and a picture's caption in their markup.
SAPO = ("sapo", "lead", "summary", "tomtat", "desc", "excerpt", "intro", "chapeau", "abstract")
CAPTION = ("caption", "desc", "chuthich", "legend", "note")
_NOT_TEXT = frozenset({*HEADINGS, "li", "dt", "dd", "th", "button", "option", "select", "label"})
_CAPTION_WORDS = 40
_SPLIT = 0.3  # text beside the content, as a share of it, that makes it one article
_TITLE = ("title", "tieude", "headline", "heading")


def _leaf(element: etree._Element) -> bool:
    """No block inside but line breaks: one paragraph (or lines of one)."""
    return not any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS - {"br"} for c in element)


def _credit(page: PageText, strict: bool) -> dict[etree._Element, int]:
    """Characters of running text each element holds as its own paragraphs."""
    credit: dict[etree._Element, int] = {}
    for line in page.lines:
        owner = line.owner
        if (strict and line.region) or owner.tag in _NOT_TEXT:
            continue
        if not pt.is_paragraph(line.text) or vocab.boilerplate(line.text, in_body=False):
            continue
        if _sapo_box(line, page):
            continue
        parent = owner.getparent()
        target = parent if _leaf(owner) and parent is not None else owner
        credit[target] = credit.get(target, 0) + len(line.text)
    return credit


def _sapo_box(line: Line, page: PageText) -> bool:
    """Is the line in a small box named as the sapo (not where the body is)?"""
    for element in (line.owner, line.owner.getparent()):
        if element is not None and marked(element, SAPO) and len(page.inside(element)) <= 3:
            return True
    return False


def _widen(root: etree._Element, credit: dict[etree._Element, int]) -> etree._Element:
    """Article text cut in two by a box (an ad or a player between two ``<div>``s of
    paragraphs): the element around both halves. Paragraphs loose beside the content (the
    sapo) do not count."""
    while (parent := root.getparent()) is not None and parent.tag not in ("body", "html"):
        own = sum(n for el, n in credit.items() if within(el, root))
        rest = sum(
            n
            for el, n in credit.items()
            if el is not parent and within(el, parent) and not within(el, root)
        )
        if rest < _SPLIT * own:
            break
        root = parent
    return root


def content_root(page: PageText) -> etree._Element | None:
    """The element whose own paragraphs hold the most running text: the article's body.

    A paragraph (``<p>``, or a ``<div>`` holding only text) counts for its parent; text
    broken by ``<br>`` in one element counts for that element. Text in a landmark (menu,
    footer, comments) counts only when nothing else has running text; boilerplate never."""
    for strict in (True, False):
        credit = _credit(page, strict)
        if credit:
            return _widen(max(credit, key=lambda el: credit[el]), credit)
    return None


def find_title(
    root: etree._Element, page: PageText, titles: list[str], content: etree._Element
) -> etree._Element | None:
    """The visible title: the ``<h1>`` the page's meta titles agree with, else a heading or
    an element named as a title that agrees with them, else the headline-like ``<h1>``
    nearest above the content, else such a heading. A meta title may carry the site's name
    around the headline; a site's name in an ``<h1>`` is not above the article."""
    wanted = [vocab.squash(t) for t in titles if t]

    def agrees(text: str) -> bool:
        s = vocab.squash(text)
        return len(s) > 8 and any(s == w or s in w or (len(w) > 20 and w in s) for w in wanted)

    heads = [h for h in root.iter("h1") if page.inside(h)]
    for head in heads:
        if agrees(text_of(head)):
            return head
    titled = [
        line
        for line in page.lines
        if (line.owner.tag in HEADINGS or marked(line.owner, _TITLE)) and line.region is None
    ]
    found = next((line.owner for line in titled if agrees(line.text)), None)
    if found is not None:
        return found
    start = page.spans.get(content, (0, 0))[0]
    above = [
        line
        for line in titled
        if line.index < start and pt.is_title_like(line.text) and not _furniture(line.text)
    ]
    nearest = [line for line in above if line.owner.tag == "h1"] or above
    return nearest[-1].owner if nearest else None


def _furniture(text: str) -> bool:
    return bool(vocab.boilerplate(text, in_body=False) or vocab.related_heading(text))


def within(element: etree._Element, container: etree._Element | None) -> bool:
    return container is not None and (element is container or container in element.iterancestors())


def styled_as(
    line: Line, words: tuple[str, ...], stop: set[etree._Element], up: int = 3
) -> etree._Element | None:
    """The line's block, or one of the few elements around it (not one of ``stop``, the
    wrappers of the whole article), if named with one of ``words`` (``detail-sapo``)."""
    element: etree._Element | None = line.owner
    for _ in range(up + 1):
        if element is None or element in stop:
            return None
        if marked(element, words):
            return element
        element = element.getparent()
    return None


def caption_styled(line: Line, stop: set[etree._Element]) -> bool:
    """A picture's caption by its look: italic, named as one, or a short centred line."""
    if styled_as(line, CAPTION, stop, up=1) is not None or emphasised(line.owner, ITALIC):
        return True
    return centred(line.owner) and pt.words(line.text) <= _CAPTION_WORDS
