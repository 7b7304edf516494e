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

An issue printed in sheets (``[pdf] page_multiple``) is padded to the next multiple after
layout, never by stretching text: the template's one page of padding ("Ghi chú" with ruled
lines, or blank) is a last small part, repeated, laid out at the page after all the others
(:class:`Padding`).

With ``[pdf] section_start = "flow"`` a section may begin on the page where the one before it
ends, when at least a third of that page is left: the sections between the front pages and
the back matter are one part, laid out flowing, and each opener that would start lower is
given a page of its own and the part laid out again (:func:`settle`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from lxml import etree
from lxml import html as lxml_html
from weasyprint import Document

from .fillers import (
    DEFAULT_LINE,
    POOL,
    Filler,
    FillerPlan,
    FillerReport,
    PartView,
    fillable_part,
    measuring_part,
    place,
    pool_of,
    take_pool,
)
from .fillers import report as filler_report
from .page_refs import collapse
from .preflight import LayoutReport, PageReport, filler_sizes, page_rooms

# What the theme's CSS asks WeasyPrint to compute across the document, and what we write in.
TARGET_COUNTER = "target-counter(attr(href url), page)"
WRITTEN = "attr(data-page)"
FRONT = ("front-page", "contents-page")
FRONT_CONTENTS = "front-contents"  # a short issue's whole contents, on its front page
FRONT_TEASERS = "front-teasers"  # the teasers, in its place when there is a contents page
PLACEHOLDER = "88"  # the widest two-digit page number: the front page fits with any
PADDING = "padding"  # the template's page that pads the issue: out of the flow
FLOW = "sections-flow"  # on <html>: sections begin where the one before ends ([pdf] section_start)
STARTS_PAGE = "starts-page"  # a flowing section given a page of its own (print.css)
FLOW_MIN_LEFT = 1 / 3  # of the page's text area, left under where a section may begin
NOTES_LINE = "notes-line"  # a ruled line of a padding page

Layout = Callable[[str, str], Document]  # (html, extra css) -> the laid-out pages
T = TypeVar("T")


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
    sections and back matter (a theme's own template: laid out as one document). The page
    that pads the issue is left out (:class:`Padding`)."""
    root = lxml_html.document_fromstring(html)
    body = root.find("body")
    if body is None:
        return None
    _out_of_the_flow(root)
    children = [c for c in body if isinstance(c.tag, str)]
    front = [c for c in children if _classes(c) & set(FRONT)]
    rest = [c for c in children if c not in front]
    if not front or not rest or any("section" not in _classes(c) for c in rest):
        return None
    ways = _front_ways(front)
    groups = [ways[0] if ways else front, *_flowing(rest, FLOW in _classes(root))]
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


def _flowing(sections: list[etree._Element], flow: bool) -> list[list[etree._Element]]:
    """The parts of the sections: one each; with ``flow``, the sections that may begin on a
    page where another ends together (not the back matter, which begins a page)."""
    if not flow:
        return [[c] for c in sections]
    groups: list[list[etree._Element]] = []
    for section in sections:
        joins = groups and "back-matter" not in _classes(section)
        if joins and "back-matter" not in _classes(groups[-1][-1]):
            groups[-1].append(section)
        else:
            groups.append([section])
    return groups


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
        # only the issue's very first page goes without running heads.
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


# ---- sections that flow ---------------------------------------------------------------------


def _late_opener(html: str, document: Document) -> str | None:
    """The id of the first section of a flowing part (after its first) that begins with less
    than ``FLOW_MIN_LEFT`` of its page left under it, or None."""
    root = lxml_html.document_fromstring(html)
    if FLOW not in _classes(root):
        return None
    body = root.find("body")
    openers = [
        c.get("id")
        for c in (body if body is not None else [])
        if isinstance(c.tag, str) and "section" in _classes(c) and c.get("id")
    ][1:]
    found: dict[str, tuple[int, float]] = {}
    for number, page in enumerate(document.pages):
        for name, (_, top, _, _) in page.anchors.items():
            found.setdefault(name, (number, top))
    for name in openers:
        if name not in found or STARTS_PAGE in _classes(root.get_element_by_id(name)):
            continue
        number, top = found[name]
        box = document.pages[number]._page_box
        text_top, height = box.content_box_y(), box.height
        left = (text_top + height - top) / height if height else 1.0
        if top > text_top + 1 and left < FLOW_MIN_LEFT:
            return name
    return None


def settle(html: str, lay: Callable[[str], T], document: Callable[[T], Document]) -> tuple[str, T]:
    """A part laid out (``lay``), again with a page of its own for each section that would
    begin with too little of its page left, one at a time from the first (a page break moves
    what follows); the part's final text and layout. A part that does not flow is laid out
    once."""
    laid = lay(html)
    while (late := _late_opener(html, document(laid))) is not None:
        root = lxml_html.document_fromstring(html)
        section = root.get_element_by_id(late)
        section.set("class", f"{section.get('class', '')} {STARTS_PAGE}".strip())
        html = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
        laid = lay(html)
    return html, laid


# ---- padding to the printer's multiple -----------------------------------------------------


@dataclass(frozen=True)
class Padding:
    """The template's page that pads the issue to a multiple of ``multiple`` pages (a
    ``section.padding`` with ``data-multiple``): repeated as often as needed, it is the last
    part, laid out at the page after all the others."""

    html: str  # the bulletin page with only the padding page in its body
    multiple: int
    kind: str  # "notes" or "blank" (its class pad-…)
    title: str | None  # its heading, "Ghi chú", for the layout report
    lines: int  # its ruled lines
    fillers: tuple[str, ...] = ()  # kind "fillers": those no gap took (<article> elements)

    def needed(self, pages: int) -> int:
        """Pages to add to ``pages`` for a multiple of ``multiple``."""
        return -pages % self.multiple

    def with_fillers(self, fillers: Sequence[Filler]) -> Padding:
        """Kind "fillers": this padding with ``fillers`` (those no gap took) to set."""
        if self.kind != "fillers":
            return self
        return replace(self, fillers=tuple(f.html for f in fillers))

    @property
    def items(self) -> int:
        """What :meth:`made` may cut down: ruled lines, or fillers."""
        return len(self.fillers) if self.kind == "fillers" else self.lines

    def part(self, count: int, lines: int | None = None) -> str:
        """The padding part: ``count`` pages, each with at most ``lines`` ruled lines (kind
        "fillers": the first page with the first ``lines`` fillers, the others blank)."""
        root = lxml_html.document_fromstring(self.html)
        body = root.find("body")
        assert body is not None
        (page,) = [c for c in body if isinstance(c.tag, str)]
        if self.kind == "fillers":
            blank = copy.deepcopy(page)
            for filler in self.fillers[:lines]:
                page.append(lxml_html.fragment_fromstring(filler))
            body.extend(copy.deepcopy(blank) for _ in range(count - 1))
            return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
        if lines is not None:
            for line in _with_class(page, NOTES_LINE)[lines:]:
                line.getparent().remove(line)
        for _ in range(count - 1):
            body.append(copy.deepcopy(page))
        return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")

    def made(self, count: int, make: Callable[[str], T], pages: Callable[[T], int]) -> T:
        """``make(html)`` of the padding part of ``count`` pages; when a theme's larger title
        or lines push its ruled lines onto another page, with as many as fit (the most that
        keep it to ``count`` pages, searched by halves)."""
        result = make(self.part(count))
        if pages(result) <= count or not self.items:
            return result
        best, low, high = None, 0, self.items - 1
        while low <= high:
            middle = (low + high) // 2
            tried = make(self.part(count, middle))
            if pages(tried) <= count:
                best, low = tried, middle + 1
            else:
                high = middle - 1
        return best if best is not None else tried


def padding(html: str, multiple: int = 1) -> Padding | None:
    """The padding the bulletin page asks for, or None (``page_multiple`` 1). A theme's
    template without a padding page but a ``multiple`` above 1 gets blank pages."""
    root = lxml_html.document_fromstring(html)
    body = root.find("body")
    if body is None:
        return None
    found = [c for c in body if isinstance(c.tag, str) and PADDING in _classes(c)]
    if found:
        page = found[0]
        multiple = int(page.get("data-multiple") or multiple)
    elif multiple > 1:
        page = etree.SubElement(body, "section", {"class": f"{PADDING} pad-blank"})
    else:
        return None
    kind = next((c[4:] for c in _classes(page) if c.startswith("pad-")), "blank")
    heading = page.find(".//h1")
    title = " ".join(heading.text_content().split()) if heading is not None else None
    lines = len(_with_class(page, NOTES_LINE))
    for child in [c for c in body if isinstance(c.tag, str)]:
        if child is not page:
            body.remove(child)
    text = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return Padding(text, max(1, multiple), kind, title or None, lines)


def _out_of_the_flow(root: etree._Element) -> None:
    """Take out of a parsed bulletin page what is laid out apart: the page that pads the
    issue (:class:`Padding`) and the fillers' pool (fillers.py)."""
    body = root.find("body")
    if body is None:
        return
    for padding in [c for c in body if isinstance(c.tag, str) and PADDING in _classes(c)]:
        body.remove(padding)
    take_pool(root)


def unpadded(html: str) -> str:
    """The bulletin page without its padding page and fillers (laid out as one document:
    a theme's own template, where fillers have no place)."""
    if PADDING not in html and POOL not in html:
        return html
    root = lxml_html.document_fromstring(html)
    _out_of_the_flow(root)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


@dataclass(frozen=True)
class PaddedReport(LayoutReport):
    """The layout report of an issue with the pages that pad it: says how many were added."""

    page_multiple: int = 1
    pages_added: int = 0

    def to_dict(self) -> dict[str, object]:
        data = super().to_dict()
        data["page_multiple"], data["pages_added"] = self.page_multiple, self.pages_added
        return data


def padded_report(
    content: LayoutReport, pad: LayoutReport | None, padding: Padding | None
) -> PaddedReport:
    """The issue's report: its pages as laid out (the last of them still the issue's last,
    for ``underfilled``), then the pages that pad it, which are short by design."""
    pages: list[PageReport] = list(content.pages)
    added = pad.pages if pad is not None else ()
    for n, page in enumerate(added):
        pages.append(
            replace(
                page,
                index=len(pages),
                kind="blank" if padding is None or padding.kind == "blank" else "other",
                section=PADDING,
                title=padding.title if padding is not None else None,
                opens=n == 0,
                problems=tuple(p for p in page.problems if p.kind != "underfilled"),
            )
        )
    own = {f.name: getattr(content, f.name) for f in fields(LayoutReport)}
    own["pages"] = tuple(pages)
    if pad is not None:
        own["seconds"] = content.seconds + pad.seconds
        own["print_ready"] = content.print_ready or pad.print_ready
    multiple = padding.multiple if padding is not None else 1
    return PaddedReport(**own, page_multiple=multiple, pages_added=len(added))


# ---- the issue laid out in one process ------------------------------------------------------


@dataclass
class Laid:
    """The issue laid out in one process: its pages, and apart the pages that pad it."""

    document: Document  # every page, the padding's included
    content: Document  # the issue's own pages
    padding: Document | None  # the pages added (None: none)
    fillers: FillerReport | None = None  # where the fillers went (none: no fillers)


def pad_document(
    content: Document,
    html: str,
    publication: str,
    layout: Layout,
    footnotes: int = 0,
    multiple: int = 1,
    found: Padding | None = None,
) -> Laid:
    """``content`` (the whole issue) followed by the pages that pad it, as the bulletin page
    ``html`` asks (or to ``multiple``; ``found``: that padding, already read): a part laid
    out at the page after the last."""
    found = found or padding(html, multiple)
    wanted = found.needed(len(content.pages)) if found is not None else 0
    if found is None or not wanted:
        return Laid(content, content, None)
    start = len(content.pages) + 1
    css = _part_css(start, footnotes, publication, False)
    added = found.made(wanted, lambda text: layout(text, css), lambda d: len(d.pages))
    return Laid(content.copy([*content.pages, *added.pages]), content, added)


def lay_out(html: str, publication: str, layout: Layout, multiple: int = 1) -> Document | None:
    """The issue laid out part by part and joined, or None if it cannot be split. ``layout``
    uses the theme's stylesheets passed through :func:`written_numbers`."""
    laid = lay_out_issue(html, publication, layout, multiple)
    return laid.document if laid is not None else None


def first_pages(document: Document) -> dict[str, int]:
    """Each anchor and the page it starts on (the first page listing it), from 0."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def _view(document: Document) -> PartView:
    return PartView(len(document.pages), first_pages(document), page_rooms(document))


def lay_out_issue(
    html: str, publication: str, layout: Layout, multiple: int = 1, gap_lines: int = 5
) -> Laid | None:
    """:func:`lay_out`, with the issue's own pages and the pages that pad them (to the
    bulletin page's padding, or ``multiple``) apart; the fillers placed as in parallel.py."""
    parts = split(html)
    if parts is None:
        return None

    settled: dict[str, str] = {}  # a part's text -> as laid out (flowing sections, settle)

    def one(index: int, text: str, start: int, notes: int) -> Document:
        css = _part_css(start, notes, publication, index == 0)
        final, document = settle(settled.get(text, text), lambda t: layout(t, css), lambda d: d)
        settled[text] = final
        return document

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
    # The fillers, placed before the parts are laid out at their true starts (fillers.py).
    pool = pool_of(html)
    notes_before = [sum(p.footnotes for p in parts[:k]) for k in range(len(parts))]
    fillable = [k for k in range(1, len(parts)) if fillable_part(parts[k].html)]
    placement: FillerPlan | None = None
    bases: dict[int, str] = {}
    if pool and fillable:
        sizes, line = filler_sizes(one(-1, measuring_part(parts[-1].html, pool), 1, 0))
        placement = FillerPlan(pool, sizes, line or DEFAULT_LINE, gap_lines)
        bases = {k: parts[k].html for k in fillable}
        views = {k: _view(one(k, bases[k], 2, notes_before[k])) for k in fillable}
        place(
            placement,
            bases,
            views,
            lambda pages: {k: _view(one(k, t, 2, notes_before[k])) for k, t in pages.items()},
        )
        for k in fillable:
            parts[k] = Part(placement.page(k, bases[k]), parts[k].footnotes)
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
    found = padding(html, multiple)
    if found is not None and placement is not None:
        found = found.with_fillers(placement.placeable())
    laid = pad_document(front.copy(all_pages), html, publication, layout, notes, multiple, found)
    if placement is not None:
        starts = {k: 1 + sum(len(d.pages) for d in (front, *documents)[:k]) for k in bases}
        views = {k: _view(documents[k - 1]) for k in bases}
        padded = None
        if laid.padding is not None:
            padded = (len(laid.content.pages) + 1, first_pages(laid.padding))
        laid.fillers = filler_report(placement, bases, views, starts, padded)
    return laid
