"""The print edition laid out in parts: the front pages, each section, the back matter.

WeasyPrint lays a long document out as a whole, and ``target-counter()`` (the page numbers
of the contents, the index and "Đọc tiếp – trang N") makes it lay pages out again. Here each
part is its own document, started at its page number (``@page :first { counter-reset }``,
a left page when the number is even); the page numbers are written in from the parts' pages
(``data-page``, shown with ``attr()``), and the parts' pages are joined with
``Document.copy()``, which keeps the outline, the links and the PDF/UA structure whole
(verified: design note "Layout in parts"). The front part is laid out last, once every
number it shows is known.

A short issue's front page may carry its whole contents instead of teasers and a contents
page (render/pages.py offers it; the template then holds both ways): the front part is first
laid out that way, with two-digit page numbers, and kept so only if it fits on one page
(:func:`front_fits`); otherwise it is the teasers and the contents page.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html
from weasyprint import Document

from .page_refs import collapse

# What the theme's CSS asks WeasyPrint to compute across the document, and what we write in.
TARGET_COUNTER = "target-counter(attr(href url), page)"
WRITTEN = "attr(data-page)"
FRONT = ("front-page", "contents-page")
FRONT_CONTENTS = "front-contents"  # a short issue's whole contents, on its front page
FRONT_TEASERS = "front-teasers"  # the teasers, in its place when there is a contents page
PLACEHOLDER = "88"  # the widest two-digit page number: the front page fits with any

Layout = Callable[[str, str], Document]  # (html, extra css) -> the laid-out pages


@dataclass
class Part:
    html: str
    footnotes: int  # footnotes it holds: the next part's numbering goes on from them
    # The front part only, when the template gave the choice: ``html`` is the front page with
    # the whole contents (no contents page), this the front page with teasers and the
    # contents page, for when the first does not fit on one page (:func:`front_fits`).
    alternative: str | None = None


def _classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def _with_class(element: etree._Element, name: str) -> list[etree._Element]:
    return element.xpath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def _drop(element: etree._Element, name: str) -> etree._Element:
    """A copy of ``element`` without its descendants of class ``name``."""
    element = copy.deepcopy(element)
    for found in _with_class(element, name):
        found.getparent().remove(found)
    return element


def _front_ways(front: list[etree._Element]) -> tuple[list, list] | None:
    """The front pages with the whole contents on the front page, and with teasers and a
    contents page; None when the template offers one way only."""
    page = next((c for c in front if "front-page" in _classes(c)), None)
    if page is None or not _with_class(page, FRONT_CONTENTS):
        return None
    on_front = [_drop(page, FRONT_TEASERS) if c is page else c for c in front]
    on_front = [c for c in on_front if "contents-page" not in _classes(c)]
    separate = [_drop(page, FRONT_CONTENTS) if c is page else c for c in front]
    return on_front, separate


def split(html: str) -> list[Part] | None:
    """The parts of a bulletin page, or None when it is not laid out as front pages,
    sections and back matter (a theme's own template: laid out as one document)."""
    root = lxml_html.document_fromstring(html)
    body = root.find("body")
    if body is None:
        return None
    children = [c for c in body if isinstance(c.tag, str)]
    front = [c for c in children if _classes(c) & set(FRONT)]
    rest = [c for c in children if c not in front]
    if not front or not rest or any("section" not in _classes(c) for c in rest):
        return None
    ways = _front_ways(front)
    groups = [ways[0] if ways else front, *([c] for c in rest)]
    for child in children:
        body.remove(child)

    def text(group: list[etree._Element]) -> str:
        for child in group:
            body.append(child)
        written = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
        for child in group:
            body.remove(child)
        return written

    parts = []
    for group in groups:
        notes = sum(
            len(c.xpath(".//*[contains(concat(' ', @class, ' '), ' footnote ')]")) for c in group
        )
        parts.append(Part(text(group), notes))
    if ways:
        parts[0].alternative = text(ways[1])
    return parts


def front_fits(pages: int) -> bool:
    """Whether a front part with the whole contents on the front page is kept: one page."""
    return pages == 1


def _numbered(html: str, pages: Mapping[str, int], missing: str = "") -> str:
    """Every link to a place in the issue gets the page it is on as ``data-page`` (``missing``
    when not known); in the index, a page once and pages in a row as a range (page_refs.py)."""
    root = lxml_html.document_fromstring(html)
    for link in root.iterfind(".//a[@href]"):
        href = link.get("href", "")
        if href.startswith("#"):
            link.set("data-page", str(pages.get(href[1:], missing)))
    collapse(root)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _part_css(start: int, footnotes: int, publication: str, first_part: bool) -> str:
    css = [f"@page :first {{ counter-reset: page {start}; }}"]
    if start % 2 == 0:
        css.append("html { break-before: left; }")  # even pages are left-hand pages
    if footnotes:
        css.append(f"html {{ counter-reset: footnote {footnotes}; }}")
    if not first_part:
        # The publication's name is set by the masthead, in the first part: write it in. And
        # only the very first page goes without running heads.
        quoted = publication.replace("\\", "\\\\").replace('"', '\\"')
        css.append(f'@page {{ @top-left {{ content: "{quoted}"; }} }}')
        css.append(
            f'@page :first {{ @top-left {{ content: "{quoted}"; '
            "border-bottom: 0.6pt solid var(--rule); } "
            "@top-right { content: string(section); border-bottom: 0.6pt solid var(--rule); } }"
        )
    return "\n".join(css)


def written_numbers(stylesheet: str) -> str:
    """The theme's CSS with page numbers read from ``data-page`` instead of computed."""
    return stylesheet.replace(TARGET_COUNTER, WRITTEN)


def lay_out(html: str, publication: str, layout: Layout) -> Document | None:
    """The issue laid out part by part and joined, or None if it cannot be split. ``layout``
    uses the theme's stylesheets passed through :func:`written_numbers`."""
    parts = split(html)
    if parts is None:
        return None

    def one(index: int, text: str, start: int, notes: int) -> Document:
        return layout(text, _part_css(start, notes, publication, index == 0))

    # The front pages first with blank numbers, for their length; then the rest in order. A
    # front page with the whole contents is tried first, with numbers as wide as any.
    first = parts[0]
    if first.alternative is not None:
        front_pages = len(one(0, _numbered(first.html, {}, PLACEHOLDER), 1, 0).pages)
        if not front_fits(front_pages):
            first = parts[0] = Part(first.alternative, first.footnotes)
            front_pages = len(one(0, _numbered(first.html, {}), 1, 0).pages)
    else:
        front_pages = len(one(0, _numbered(first.html, {}), 1, 0).pages)
    for _ in range(3):  # the front part's length settles at once but for pathological cases
        documents: list[Document] = []
        start, notes = 1 + front_pages, parts[0].footnotes
        pages: dict[str, int] = {}
        for index, part in enumerate(parts[1:], start=1):
            document = one(index, _numbered(part.html, pages), start, notes)
            for n, page in enumerate(document.pages):
                for anchor in page.anchors:
                    pages.setdefault(anchor, start + n)
            documents.append(document)
            start += len(document.pages)
            notes += part.footnotes
        front = one(0, _numbered(parts[0].html, pages), 1, 0)
        for n, page in enumerate(front.pages):
            for anchor in page.anchors:
                pages.setdefault(anchor, 1 + n)
        if len(front.pages) == front_pages:
            break
        front_pages = len(front.pages)
    all_pages = [page for document in (front, *documents) for page in document.pages]
    return front.copy(all_pages)
