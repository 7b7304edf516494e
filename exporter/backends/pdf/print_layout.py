"""The laid-out pages as the e-book's page map reads them, when they were laid out elsewhere.

The EPUB marks where each print page begins (epub/pagemap.py): it walks a page's boxes in
drawing order, past the page furniture, footnotes and generated text, to the first words
inside an element that both editions share (an id). Parts laid out in worker processes
cannot send their boxes back, so each page is summed up there as the texts it could answer
with: every text that brings an id not seen before on the page (a later text whose ids were
all seen can never be the first match, whatever ids the e-book shares), each with the ids of
the boxes around it. :class:`PrintLayout` rebuilds from them a minimal tree of boxes that
the page map walks to the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint.formatting_structure import boxes

# (ids of the boxes from the page down to the text, the text) for each text kept.
PageTexts = list[tuple[tuple[str, ...], str]]


def _skipped(box: boxes.Box) -> bool:
    """Page furniture, footnotes, list bullets and other generated text (as the map skips)."""
    return isinstance(box, boxes.MarginBox | boxes.FootnoteAreaBox) or "::" in (
        box.element_tag or ""
    )


def shared_texts(page_box: boxes.PageBox) -> PageTexts:
    """The texts of a page the page map could stop at, in drawing order."""
    kept: PageTexts = []
    seen: set[str] = set()

    def walk(box: boxes.Box, ids: tuple[str, ...]) -> None:
        if _skipped(box):
            return
        element = box.element
        if element is not None and element.get("id"):
            ids = (*ids, element.get("id"))
        if isinstance(box, boxes.TextBox):
            text = box.text.strip()
            if text and not seen.issuperset(ids):
                kept.append((ids, text))
                seen.update(ids)
            return
        for child in getattr(box, "children", None) or []:
            walk(child, ids)

    walk(page_box, ())
    return kept


class _Box:
    """A box on the way from the page to a text: only what the page map reads."""

    element_tag = ""

    def __init__(self, element_id: str | None, children: list[object]) -> None:
        self.element = {"id": element_id} if element_id else None
        self.children = children


def _text_box(text: str) -> boxes.TextBox:
    box = boxes.TextBox.__new__(boxes.TextBox)  # never laid out or drawn: text only
    box.element, box.element_tag, box.text, box.children = None, "", text, []
    return box


def _page_box(texts: PageTexts) -> _Box:
    chains: list[object] = []
    for ids, text in texts:
        node: object = _text_box(text)
        for element_id in reversed(ids):
            node = _Box(element_id, [node])
        chains.append(node)
    return _Box(None, chains)


@dataclass
class PrintPage:
    _page_box: _Box


@dataclass
class PrintLayout:
    """The issue's pages in order, for the e-book's print page numbers (``document.pages``)."""

    pages: list[PrintPage]

    @classmethod
    def of(cls, pages: list[PageTexts]) -> PrintLayout:
        return cls([PrintPage(_page_box(texts)) for texts in pages])
