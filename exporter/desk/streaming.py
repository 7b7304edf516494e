"""A part's pages one by one, as WeasyPrint lays them out: the page an editor just changed can be
shown before the rest of its section is done.

``HTML.render()`` lays every page out before it returns any (it may paginate again for
``counter(pages)`` or ``target-counter()``). The parts the preview lays out have their page
numbers written in, so one pass is enough: this does what ``Document._render`` and
``layout_document`` do (WeasyPrint 70), page by page — the page's running strings, its margin
boxes and backgrounds once it is laid out — and builds the same ``Document`` at the end.
Stylesheets that need a second pass take ``HTML.render()`` (see :func:`needs_whole_document`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from weasyprint import DEFAULT_OPTIONS, HTML
from weasyprint.document import Document, Page
from weasyprint.layout import initialize_page_maker
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import make_all_pages, make_margin_boxes
from weasyprint.pdf import VARIANTS
from weasyprint.text.fonts import FontConfiguration

from exporter.backends.pdf.render_steps import assembled, formatted

# What makes WeasyPrint lay pages out again once it knows them all.
_SECOND_PASS = ("counter(pages", "target-counter(", "target-counters(", "target-text(")


def walk(box: object) -> Iterator[object]:
    """A laid-out box and every box inside it, in document order."""
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(getattr(current, "children", None) or []))


def needs_whole_document(stylesheets: list[str]) -> bool:
    return any(marker in text for text in stylesheets for marker in _SECOND_PASS)


def _pages(html: HTML, context: object, root_box: object) -> Iterator[object]:
    initialize_page_maker(context, root_box)
    for index, page in enumerate(make_all_pages(context, root_box, html, [])):
        number = index + 1
        for child in page.descendants():
            if child.string_set and child.string_set != "none":
                for name, text in child.string_set:
                    context.string_set[name][number].append(text)  # type: ignore[attr-defined]
        root, footnote_area, note_area = page.children
        context.current_page = number  # type: ignore[attr-defined]
        state = context.page_maker[number][3]  # type: ignore[attr-defined]
        children = [root]
        if footnote_area.children:
            children.append(footnote_area)
        if note_area.children:
            children.append(note_area)
        children.extend(make_margin_boxes(context, page, state))
        page.children = tuple(children)
        layout_backgrounds(page, context.get_image_from_uri)  # type: ignore[attr-defined]
        yield page


def render(
    html: HTML,
    font_config: FontConfiguration,
    on_page: Callable[[int, Page, Callable[[list[Page]], Document]], None] | None = None,
    **options: object,
) -> Document:
    """The laid-out document, calling ``on_page(index, page, make_document)`` as each page
    is ready (``make_document(pages)`` gives a Document of those pages, to draw them)."""
    options = DEFAULT_OPTIONS | options
    if variant := options["pdf_variant"]:
        _, properties = VARIANTS[variant]
        for key, value in tuple(options.items()):
            if value is None and key in properties:
                options[key] = properties[key]
    context, root_box = formatted(html, font_config, options)

    def make_document(pages: list[Page]) -> Document:
        return assembled(html, pages, font_config, options)

    pages: list[Page] = []
    for index, box in enumerate(_pages(html, context, root_box)):
        page = Page(box)
        pages.append(page)
        if on_page is not None:
            on_page(index, page, make_document)
    return make_document(pages)
