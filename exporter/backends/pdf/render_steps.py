"""WeasyPrint's ``Document._render`` in its steps, for callers that stop between them.

The refit (refit.py) keeps the layout context to re-make a part's furniture, and the preview
(desk/streaming.py) takes pages one by one; both need what ``_render`` builds before layout
and the Document it builds after, as WeasyPrint 70 builds them (pinned: ``weasyprint<71``).
"""

from __future__ import annotations

from typing import Any

from weasyprint import HTML, Document
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import LayoutContext
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration


def formatted(
    html: HTML, font_config: FontConfiguration, options: dict[str, Any]
) -> tuple[LayoutContext, boxes.BlockBox]:
    """The layout context and the box tree, ready for ``layout_document``."""
    counter_style = CounterStyle()
    context = Document._build_layout_context(html, font_config, counter_style, {}, options)
    root_box = build_formatting_structure(
        html.etree_element,
        context.style_for,
        context.get_image_from_uri,
        html.base_url,
        context.target_collector,
        counter_style,
        context.footnotes,
    )
    return context, root_box


def assembled(
    html: HTML, pages: list[Page], font_config: FontConfiguration, options: dict[str, Any]
) -> Document:
    """The Document ``_render`` makes of laid-out pages."""
    document = Document(
        pages,
        DocumentMetadata(**get_html_metadata(html)),
        html.url_fetcher,
        font_config,
        {},
        options["output_intent"],
    )
    document._html = html
    return document
