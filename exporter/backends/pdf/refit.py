"""A part laid out once, then given the page furniture of the page it really starts on.

A section's flow does not depend on its first page number: left and right pages only mirror
the inner and outer margins (the same text width), so the lines, columns and page breaks are
the same wherever the section starts. What does depend on it is the furniture WeasyPrint adds
after the flow: the folios and running heads (margin boxes, made from the page counter) and,
when the parity changes, the side of each page, hence where its content sits across the page.

So a part is laid out once at a provisional start, keeping WeasyPrint's layout context, and
:meth:`LaidOut.at` re-makes only that furniture for the true start: the page counters are
shifted, each page flipped to its other side is given the other page style with its content
moved by the difference of the margins, and the margin boxes and backgrounds are laid out
again with WeasyPrint's own functions (WeasyPrint 70: ``layout/page.py``). The result is
byte-identical to laying the part out at that start on every part the tests try, on both
sides (tests/backends/test_parallel.py); moving content is a float addition, which could in
principle round a coordinate's last digit otherwise than a direct layout does, so every
section takes this one route and the bytes never depend on the number of workers. When a
part's flow could depend on its start (page counters in the text, left/right breaks, blank
pages, fixed boxes, left and right pages that differ in more than their side margins),
``at`` returns None and the caller lays the part out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from weasyprint import DEFAULT_OPTIONS, HTML, Document
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext, layout_document
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import (
    make_margin_boxes,
    page_height,
    page_width,
    set_page_type_computed_styles,
)
from weasyprint.layout.percent import resolve_percentages
from weasyprint.text.fonts import FontConfiguration

from .render_steps import assembled, formatted

_SIDE_BREAKS = ("left", "right", "recto", "verso")
_MIRRORED = ("margin_left", "margin_right")  # what may differ between a left and a right page
_GEOMETRY = (
    "width", "height", "margin_top", "margin_bottom",
    "padding_top", "padding_right", "padding_bottom", "padding_left",
    "border_top_width", "border_right_width", "border_bottom_width", "border_left_width",
)  # fmt: skip


def render_keeping_context(
    html: HTML,
    font_config: FontConfiguration,
    options: dict[str, Any],
    start: int,
    furnish: bool = True,
) -> LaidOut:
    """``html.render(...)``, also keeping the layout context the furniture is made from.

    Without ``furnish`` only the flow is laid out: a part laid out at a provisional start
    gets its furniture once, for its true start (about 8 % of a section's layout time).
    WeasyPrint's ``layout_document`` lays every page's flow out before it yields the first
    page, then adds the furniture page by page; it is stopped after the first."""
    options = DEFAULT_OPTIONS | options
    if furnish:
        kept: list[LayoutContext] = []

        class Keeping(Document):
            @classmethod
            def _build_layout_context(cls, *args: Any) -> LayoutContext:
                context = super()._build_layout_context(*args)
                kept.append(context)
                return context

        document = Keeping._render(html, font_config, None, None, options)
        return LaidOut(html, kept[0], document, start)
    assert not options["pdf_variant"], "a PDF variant is laid out whole (Document._render)"
    context, root_box = formatted(html, font_config, options)
    furnished = layout_document(html, root_box, context)
    next(furnished)
    page_boxes = furnished.gi_frame.f_locals["pages"]  # WeasyPrint 70's name for them
    furnished.close()
    document = assembled(html, [Page(box) for box in page_boxes], font_config, options)
    return LaidOut(html, context, document, start, furnished=False)


@dataclass
class LaidOut:
    """A part's pages as laid out at ``start``, and what it takes to move them."""

    html: HTML
    context: LayoutContext
    document: Document
    start: int  # the first page number it was laid out with
    furnished: bool = True  # the pages have their furniture (else only the first page has)
    _applied: int = field(init=False)  # the start its page boxes show now
    _boxes: list[boxes.PageBox] = field(init=False)

    def __post_init__(self) -> None:
        self._applied = self.start
        self._boxes = [page._page_box for page in self.document.pages]

    @property
    def pages(self) -> int:
        return len(self._boxes)

    def at(self, start: int) -> Document | None:
        """The pages as they are when the part starts on page ``start``, or None when only
        laying the part out again can tell."""
        if start == self._applied and self.furnished:
            return self.document
        flip = (start - self._applied) % 2 == 1
        if not self._movable() or (flip and not self._flippable()):
            return None
        sides = [self._other_side(box) for box in self._boxes] if flip else []
        if None in sides:
            return None  # before any page is changed
        context = self.context
        delta = start - self.start
        new_boxes = []
        for index, box in enumerate(self._boxes):
            root, *others = box.children  # the flow, the footnotes, the notes, the furniture
            flow = [root] + [
                child
                for child in others
                if not isinstance(child, boxes.MarginBox) and child.children
            ]
            if flip:
                other = sides[index]
                assert other is not None
                dx = other.content_box_x() - box.content_box_x()
                for child in flow:
                    child.translate(dx=dx)
                other.fixed_boxes = box.fixed_boxes
                box = other
            quotes, counters, scopes, groups = context.page_maker[index + 1][3]
            counters = {**counters, "page": [value + delta for value in counters["page"]]}
            state = (quotes, counters, scopes, groups)  # (make_margin_boxes copies it)
            context.current_page = index + 1
            box.children = (*flow, *make_margin_boxes(context, box, state))
            layout_backgrounds(box, context.get_image_from_uri)
            new_boxes.append(box)
        self._boxes, self._applied, self.furnished = new_boxes, start, True
        self.document = self.document.copy([Page(box) for box in new_boxes])
        return self.document

    def _movable(self) -> bool:
        """Nothing in the flow reads the page counter, and it counts on from the start."""
        context = self.context
        if context.target_collector.counter_lookup_items:
            return False  # counter(page), target-counter() and the like in the text
        if any(box.fixed_boxes for box in self._boxes):
            return False  # repeated on every page, and laid out against each
        for index in range(len(self._boxes)):
            counters = context.page_maker[index + 1][3][1]
            if counters.get("page") != [self.start + index]:
                return False
        return True

    def _flippable(self) -> bool:
        """No blank page, and nothing breaks to a side (which would add or drop one). That
        left and right pages differ only in their side margins, :meth:`_other_side` checks."""
        if any(box.page_type.blank for box in self._boxes):
            return False
        return not any(entry[1]["break"] in _SIDE_BREAKS for entry in self.context.page_maker)

    def _other_side(self, box: boxes.PageBox) -> boxes.PageBox | None:
        """The page box of the other side (as ``make_page`` makes it), or None if its page
        style differs in more than the side margins."""
        style_for = self.context.style_for
        page_type = box.page_type
        other_type = page_type._replace(side="left" if page_type.side == "right" else "right")
        if style_for(other_type) is None:  # not yet styled (when moved back, it is)
            set_page_type_computed_styles(other_type, self.html, style_for)
        cascaded = style_for.get_cascaded_styles()
        for pseudo in (None, "@footnote", "@note-area"):
            mine = cascaded.get((page_type, pseudo), {})
            theirs = cascaded.get((other_type, pseudo), {})
            skip = _MIRRORED if pseudo is None else ()
            if {k: v[0] for k, v in mine.items() if k not in skip} != {
                k: v[0] for k, v in theirs.items() if k not in skip
            }:
                return None
        style = style_for(other_type)
        style["overflow"] = box.style["overflow"]
        other = boxes.PageBox(other_type, style)
        size = other.style["size"]
        resolve_percentages(other, size)
        other.position_x = other.position_y = 0
        page_width(other, self.context, size[0])
        page_height(other, self.context, size[1])
        if any(getattr(other, name) != getattr(box, name) for name in _GEOMETRY):
            return None
        if other.content_box_y() != box.content_box_y():
            return None
        return other
