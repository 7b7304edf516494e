"""Print page numbers in the e-book: where each PDF page begins, marked in the EPUB.

A reader of the EPUB and a subscriber holding the paper can then say "trang 5" and mean the
same place. The PDF is laid out first; for each page, the first text WeasyPrint set on it is
traced to the nearest element both editions share (same id), and the words that open the page
locate the break inside that element. The e-book gets an empty ``doc-pagebreak`` marker
there and a page list in its navigation document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree
from weasyprint import Document
from weasyprint.formatting_structure import boxes

from exporter.render.rendition import Rendition

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageBreak:
    page: int  # the number printed on the page (folio)
    element_id: str  # where it starts: an element both editions share
    words: str  # the text that opens the page, to find the spot inside the element


def _first_text(box: boxes.Box, ids: set[str], owner: str | None) -> tuple[str, str] | None:
    """Depth first, in drawing order: the first words on a page and their nearest shared id."""
    if isinstance(box, boxes.MarginBox | boxes.FootnoteAreaBox) or "::" in (box.element_tag or ""):
        return None  # page furniture, footnotes, list bullets and other generated text
    element = box.element
    if element is not None and element.get("id") in ids:
        owner = element.get("id")
    if isinstance(box, boxes.TextBox):
        text = box.text.strip()
        return (owner, text) if text and owner else None
    for child in getattr(box, "children", None) or []:
        found = _first_text(child, ids, owner)
        if found:
            return found
    return None


def print_page_breaks(document: Document, ids: set[str]) -> list[PageBreak]:
    """For every page of the laid-out PDF that starts with shared text, where it starts."""
    breaks = []
    for number, page in enumerate(document.pages, start=1):
        found = _first_text(page._page_box, ids, None)
        if found:
            breaks.append(PageBreak(number, found[0], found[1][:60]))
    return breaks


def _fold(text: str) -> str:
    """Compare as a reader would: case (print may set text in capitals) and spacing aside."""
    return unicodedata.normalize("NFC", text).casefold().replace("\u00a0", " ")


def _text_nodes(element: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """(node, "text" | "tail", value) of an element's text in document order."""
    if element.text:
        yield element, "text", element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_nodes(child)
        if child.tail:
            yield child, "tail", child.tail


def _insert(element: etree._Element, words: str, marker: etree._Element, start: int) -> int:
    """Put ``marker`` where ``words`` begin (from character ``start``); return that position.

    Returns -1 (and places nothing) if the words are not in the element.
    """
    nodes = list(_text_nodes(element))
    flat = "".join(value for _, _, value in nodes)
    folded = _SPACES.sub(" ", _fold(flat))
    # Map positions in the whitespace-collapsed text back to the raw text.
    mapping, previous_space = [], False
    for raw_index, char in enumerate(_fold(flat)):
        space = char.isspace()
        if not (space and previous_space):
            mapping.append(raw_index)
        previous_space = space
    needle = _SPACES.sub(" ", _fold(words)).strip()
    at = folded.find(needle, max(0, start))
    if at < 0:
        return -1
    position = mapping[at]
    offset = 0
    for node, slot, value in nodes:
        # The words start inside this piece of text (never at the very end of one, which
        # would put the marker between list items or table cells).
        if position < offset + len(value):
            cut = position - offset
            if slot == "text":
                node.text = value[:cut] or None
                marker.tail = value[cut:] or None
                node.insert(0, marker)
            else:
                node.tail = value[:cut] or None
                marker.tail = value[cut:] or None
                node.addnext(marker)
            return at
        offset += len(value)
    return -1


def _marker(page: int) -> etree._Element:
    marker = etree.Element(f"{{{XHTML}}}span", nsmap={None: XHTML, "epub": EPUB_NS})
    marker.set(f"{{{EPUB_NS}}}type", "pagebreak")
    marker.set("role", "doc-pagebreak")
    marker.set("id", f"trang-{page}")
    marker.set("aria-label", str(page))
    return marker


def mark_pages(html: str, breaks: list[PageBreak]) -> tuple[str, list[PageBreak], int]:
    """Insert the markers that fall in this XHTML page; return it, those placed, and misses.

    A break whose words cannot be found inside its element (which the tests forbid for the
    sample) is placed at the start of the element rather than lost.
    """
    root = etree.fromstring(html.encode("utf-8"))
    placed, missed = [], 0
    cursor: dict[str, int] = {}
    for page_break in breaks:
        found = root.xpath("//*[@id=$id]", id=page_break.element_id)
        if not found:
            continue
        element = found[0]
        marker = _marker(page_break.page)
        at = _insert(element, page_break.words, marker, cursor.get(page_break.element_id, 0))
        if at < 0:
            missed += 1
            marker.tail = element.text
            element.text = None
            element.insert(0, marker)
            at = 0
        cursor[page_break.element_id] = at + 1
        placed.append(page_break)
    if not placed:
        return html, [], 0
    text = etree.tostring(root, encoding="unicode")
    return _doctype(html) + text, placed, missed


def _doctype(html: str) -> str:
    return "<!DOCTYPE html>\n" if html.lstrip().startswith("<!DOCTYPE") else ""


_ID_RE = re.compile(r'\bid="([^"]+)"')


def add_print_pages(rendition: Rendition, document: Document) -> tuple[Rendition, int]:
    """The e-book rendition with print page markers and its page list; also the misses."""
    ids = {i for page in rendition.pages for i in _ID_RE.findall(page.html)}
    breaks = print_page_breaks(document, ids)
    pages, page_list, missed = [], [], 0
    for page in rendition.pages:
        html, placed, misses = mark_pages(page.html, breaks)
        missed += misses
        pages.append(replace(page, html=html))
        page_list += [(b.page, f"{page.href}#trang-{b.page}") for b in placed]
    return replace(rendition, pages=pages, page_list=sorted(page_list)), missed
