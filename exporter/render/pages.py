"""Shared templates -> pages: the same article markup for both editions.

Render also builds the virtual file tree both backends read: images get short ASCII names
under ``images/``, stylesheets sit under ``styles/`` with their fonts, and every reference in
the pages is rewritten to those names.
"""

from __future__ import annotations

import copy
import datetime as dt
import mimetypes
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from exporter.errors import BuildError, SandboxError
from exporter.source.markup import is_external, to_xhtml
from exporter.source.models import (
    FRONT_PAGE_TEASERS,
    Article,
    Bulletin,
    Figure,
    FigureBlock,
    HtmlBlock,
    PdfOptions,
)
from exporter.source.slugs import slugify, unique
from exporter.vietnamese import formats
from exporter.vietnamese.index import author_index, topic_index
from exporter.vietnamese.orthography import apply_tone_style

from .cover import make_cover
from .labels import LABELS
from .rendition import Asset, Backend, Page, Rendition, Stylesheet
from .theme import Theme, css_urls
from .units import keep_units_together, units_filter

EPUB_NS = "http://www.idpf.org/2007/ops"
STYLE_DIR = "styles"
IMAGE_DIR = "images"


# EPUB wants the registered font types (not application/font-sfnt, which mimetypes may give).
for _type, _suffix in (
    ("font/ttf", ".ttf"),
    ("font/otf", ".otf"),
    ("font/woff2", ".woff2"),
    ("font/woff", ".woff"),
    ("image/webp", ".webp"),
):
    mimetypes.add_type(_type, _suffix)


def _media_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class _Assets:
    """Gives every source file one href in the rendition, reusing it when seen again."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_source: dict[str, str] = {}
        self.assets: dict[str, Asset] = {}
        self.names: set[str] = set()

    def image(self, bulletin_path: str) -> str:
        if bulletin_path in self.by_source:
            return self.by_source[bulletin_path]
        stem, suffix = posixpath.splitext(posixpath.basename(bulletin_path))
        name = unique(slugify(stem, "anh"), self.names)
        href = f"{IMAGE_DIR}/{name}{suffix.lower()}"
        self.by_source[bulletin_path] = href
        self.assets[href] = Asset(href, _media_type(href), source=self.root / bulletin_path)
        return href


def _rewrite_images(html: str, href_for: Callable[[str], str]) -> str:
    element = etree.fromstring(html)
    changed = False
    for img in element.iter("img"):
        img.set("src", href_for(img.get("src", "")))
        changed = True
    return to_xhtml(element) if changed else html


_OPENING_PUNCT = "“‘\"'(«[—–-"


def mark_drop_cap(html: str) -> str:
    """Wrap a paragraph's first letter (with any opening quote) in ``span.drop-cap``.

    Markup rather than ``::first-letter``: WeasyPrint 70 asserts on a floated first-letter
    inside multi-column boxes, and a span keeps the whole NFC letter with its marks.
    """
    element = etree.fromstring(html)
    text = element.text or ""
    stripped = text.lstrip()
    if element.tag != "p" or not stripped:
        return html
    start = len(text) - len(stripped)
    end = start
    while end < len(text) and text[end] in _OPENING_PUNCT:
        end += 1
    if end >= len(text) or not text[end].isalnum():
        return html
    end += 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    span = etree.Element("span", {"class": "drop-cap"})
    span.text = text[start:end]
    span.tail = text[end:]
    element.text = text[:start] or None
    element.insert(0, span)
    return to_xhtml(element)


def _figure(figure: Figure, href_for: Callable[[str], str]) -> Figure:
    return figure.model_copy(update={"file": href_for(figure.file)})


def inline_footnotes(blocks: list[HtmlBlock | FigureBlock]) -> list[HtmlBlock | FigureBlock]:
    """Move each Markdown footnote to its call, as ``span.footnote`` (CSS ``float: footnote``).

    Print sets notes at the foot of the page where they are called; the list markdown-it puts
    after the article (and the rule before it) goes.
    """
    notes: dict[str, etree._Element] = {}
    kept: list[HtmlBlock | FigureBlock] = []
    for block in blocks:
        if isinstance(block, HtmlBlock):
            root = etree.fromstring(block.html)
            classes = (root.get("class") or "").split()
            if root.tag == "section" and "footnotes" in classes:
                notes.update({li.get("id"): li for li in root.iter("li") if li.get("id")})
                continue
            if root.tag == "hr" and "footnotes-sep" in classes:
                continue
        kept.append(block)
    if not notes:
        return blocks
    result: list[HtmlBlock | FigureBlock] = []
    for block in kept:
        if isinstance(block, HtmlBlock) and "footnote-ref" in block.html:
            root = etree.fromstring(block.html)
            for sup in list(root.iter("sup")):
                link = sup.find("a")
                note = notes.get((link.get("href") or "")[1:]) if link is not None else None
                if note is None:
                    continue
                content = note.find("p") if note.find("p") is not None else note
                span = etree.Element("span", {"class": "footnote"})
                span.text = (content.text or "").strip() or None
                for child in content:
                    span.append(copy.deepcopy(child))
                if len(span):
                    span[-1].tail = (span[-1].tail or "").rstrip() or None
                elif span.text:
                    span.text = span.text.rstrip()
                span.tail = sup.tail
                sup.getparent().replace(sup, span)
            block = HtmlBlock(html=to_xhtml(root))
        result.append(block)
    return result


def linked_notes(blocks: list[HtmlBlock | FigureBlock]) -> list[HtmlBlock | FigureBlock]:
    """E-book notes: calls and the list of notes marked for reading systems."""
    result: list[HtmlBlock | FigureBlock] = []
    for block in blocks:
        if isinstance(block, HtmlBlock) and "footnote" in block.html:
            # Parsed inside an element that declares the prefix, so it serialises as epub:type.
            holder = etree.fromstring(f'<div xmlns:epub="{EPUB_NS}">{block.html}</div>')
            root = holder[0]
            for link in root.xpath(".//sup[contains(@class, 'footnote-ref')]/a"):
                link.set(f"{{{EPUB_NS}}}type", "noteref")
                link.set("role", "doc-noteref")
            if root.tag == "section" and "footnotes" in (root.get("class") or ""):
                root.set(f"{{{EPUB_NS}}}type", "endnotes")
                root.set("role", "doc-endnotes")
                root.set("aria-label", "Chú thích")
            block = HtmlBlock(html=to_xhtml(root))
        result.append(block)
    return result


def _prepared_for(bulletin: Bulletin, assets: _Assets, backend: Backend) -> Bulletin:
    """The bulletin as one backend shows it: image references replaced by rendition hrefs,
    footnotes inline (print) or linked (e-book), the first paragraph's drop cap marked."""
    sections = []
    for section in bulletin.sections:
        articles = []
        for article in section.articles:
            blocks: list[HtmlBlock | FigureBlock] = []
            dropped = False
            source_blocks = article.blocks
            if backend.inline_footnotes:
                source_blocks = inline_footnotes(source_blocks)
            else:
                source_blocks = linked_notes(source_blocks)
            for block in source_blocks:
                if isinstance(block, FigureBlock):
                    blocks.append(FigureBlock(figure=_figure(block.figure, assets.image)))
                    continue
                html = _rewrite_images(block.html, assets.image)
                if not dropped and not article.filler and html.startswith("<p"):
                    html, dropped = mark_drop_cap(html), True
                blocks.append(HtmlBlock(html=keep_units_together(html)))
            top = _figure(article.top_figure, assets.image) if article.top_figure else None
            articles.append(article.model_copy(update={"blocks": blocks, "top_figure": top}))
        sections.append(section.model_copy(update={"articles": articles}))
    cover = assets.image(bulletin.cover) if bulletin.cover else None
    return bulletin.model_copy(update={"sections": sections, "cover": cover})


def _stylesheets(
    theme: Theme, names: tuple[str, ...], assets: dict[str, Asset]
) -> list[Stylesheet]:
    """Read each stylesheet through the theme path and add the files it references."""
    sheets = []
    for name in names:
        path = theme.style(name)
        text = path.read_text(encoding="utf-8")
        for url in css_urls(text):
            if is_external(url):
                raise SandboxError(
                    f'{path}: reference "{url}" is a network or external URL, which is not allowed'
                )
            href = posixpath.normpath(posixpath.join(STYLE_DIR, posixpath.dirname(name), url))
            if href.startswith("../") or href not in assets and not href.startswith(STYLE_DIR):
                raise SandboxError(f'{path}: reference "{url}" is outside the styles folders')
            if href not in assets:
                try:
                    source = theme.style(posixpath.relpath(href, STYLE_DIR))
                except FileNotFoundError:
                    raise BuildError(f'{path}: "{url}" not found in the styles folders') from None
                assets[href] = Asset(href, _media_type(href), source=source)
        sheets.append(Stylesheet(f"{STYLE_DIR}/{name}", text))
    return sheets


_HEADING_RE = re.compile(r"<(/?)h([1-6])\b")


def shift_headings(html: str, headline_level: int) -> str:
    """Body headings sit one level below the headline, whatever the Markdown used."""

    def shift(match: re.Match[str]) -> str:
        level = min(6, int(match.group(2)) - 1 + headline_level)
        return f"<{match.group(1)}h{max(level, headline_level + 1)}"

    return _HEADING_RE.sub(shift, html)


def modified_time(bulletin: Bulletin, source_date_epoch: str | None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the newest date in the content: never 'now'."""
    if source_date_epoch:
        return dt.datetime.fromtimestamp(int(source_date_epoch), tz=dt.UTC)
    moments = [a.updated or a.published for a in bulletin.articles]
    newest = (
        max(moments)
        if moments
        else dt.datetime.combine(bulletin.week.end, dt.time(), tzinfo=dt.UTC)
    )
    return newest.astimezone(dt.UTC)


@dataclass(frozen=True)
class FrontPage:
    lead: Article
    teasers: tuple[Article, ...]


def front_page(bulletin: Bulletin, teasers: int = FRONT_PAGE_TEASERS) -> FrontPage:
    """The front page the editor chose in bulletin.toml (``lead``, ``teasers``), or by default
    the lead story (the first with a picture) and the first story of the other sections."""
    articles = [a for a in bulletin.articles if not a.filler] or bulletin.articles
    by_source = {a.source: a for a in articles}
    lead = by_source.get(bulletin.lead_file) if bulletin.lead_file else None
    if lead is None:
        lead = next((a for a in articles if a.top_figure is not None), articles[0])
    if bulletin.teaser_files is not None:
        chosen = [by_source[f] for f in bulletin.teaser_files if f in by_source]
        return FrontPage(lead, tuple(a for a in chosen if a.slug != lead.slug))
    others = [
        s.articles[0]
        for s in bulletin.sections
        if s.articles and not s.articles[0].filler and s.articles[0].slug != lead.slug
    ]
    return FrontPage(lead, tuple(others[:teasers]))


# The whole contents go on the front page, in the teasers' place, and there is no contents
# page, when an issue has at most this many articles: the lead and teasers would already show
# most of them, and a contents page would be the same list again on a page left mostly empty
# (six articles in three sections: a third of an A4 page). It fits beside the editor's note on
# the front page's side column (tests/render/test_contents_rule.py measures it).
CONTENTS_ON_FRONT = 8


def contents_on_front(bulletin: Bulletin) -> bool:
    """Whether the print edition's front page carries the whole contents (no contents page)."""
    return sum(not a.filler for a in bulletin.articles) <= CONTENTS_ON_FRONT


# The ruled lines of a "Ghi chú" page that pads the issue ([pdf] pad = "notes"): as many as
# fit under the title (print.css: .notes-title, --notes-pitch) in the page's text area. A
# theme that sets them larger is caught by the layout, which then draws fewer (parts.py).
NOTES_PITCH_MM = 8.0
NOTES_TITLE_MM = 26.0


def notes_lines(pdf: PdfOptions) -> int:
    margins = pdf.margins
    height = pdf.size_mm[1] - margins.top - margins.bottom
    return max(0, int((height - NOTES_TITLE_MM) // NOTES_PITCH_MM))


def _context(
    bulletin: Bulletin, backend: Backend, stylesheets: list[Stylesheet], modified: dt.datetime
) -> dict[str, Any]:
    single_document = "bulletin" in backend.templates

    def article_href(article: Article) -> str:
        return f"#{article.slug}" if single_document else f"{article.slug}.xhtml"

    return {
        "bulletin": bulletin,
        "edition": backend.name,
        "headline_level": backend.headline_level,
        "stylesheet_links": [s.href for s in stylesheets] if backend.name == "epub" else [],
        "article_href": article_href,
        "modified": modified,
        "created": min((a.published for a in bulletin.articles), default=modified),
        "html_classes": [
            name
            for name, on in (
                ("justify", bulletin.typography.justify),
                ("one-column", bulletin.pdf.column_count == 1),
                ("narrow", bulletin.pdf.size_mm[0] < 180),
                ("sections-flow", bulletin.pdf.section_start == "flow"),
            )
            if on
        ],
        "labels": {
            k: apply_tone_style(v, bulletin.typography.tone_style) for k, v in LABELS.items()
        },
        "notes_lines": notes_lines(bulletin.pdf),
        "topic_index": topic_index(bulletin),
        "front_page": front_page(bulletin),
        "contents_on_front": contents_on_front(bulletin),
        "author_index": author_index(bulletin),
        "short_date": formats.short_date,
        "full_date": formats.full_date,
        "date_range": formats.date_range,
        "byline_datetime": formats.byline_datetime,
        "number": formats.number,
    }


def render(
    bulletin: Bulletin,
    theme: Theme,
    backend: Backend,
    source_date_epoch: str | None = None,
    fillers_placed: dict[str, str] | None = None,
) -> Rendition:
    """Pages, stylesheets and assets for one backend; nothing is written."""
    images = _Assets(bulletin.root)
    bulletin = _prepared_for(bulletin, images, backend)
    # Fillers: the print edition places them after layout, where a page is left short (a
    # pool its backend takes out of the page); the e-book has them after the section they
    # were printed in (``fillers_placed``: filler slug -> section slug), else their own.
    fillers: list[Article] = []
    authors = bulletin.authors  # the fillers' too: they are printed where they fit
    if getattr(backend, "places_fillers", False):
        fillers, bulletin = bulletin.fillers, bulletin.without_fillers()
    else:
        bulletin = bulletin.with_fillers_after(fillers_placed)
    assets = dict(images.assets)
    stylesheets = _stylesheets(theme, backend.stylesheets, assets)
    generated = backend.extra_css(bulletin)
    if generated:
        stylesheets.append(Stylesheet(f"{STYLE_DIR}/page.css", generated))
    modified = modified_time(bulletin, source_date_epoch)

    cover_href = bulletin.cover
    if cover_href is None and "cover" in backend.templates:
        cover_href = f"{IMAGE_DIR}/cover.jpg"
        front = front_page(bulletin)
        # Chosen teasers come next on the cover; by default the articles follow in order.
        chosen = front.teasers if bulletin.teaser_files is not None else None
        assets[cover_href] = Asset(
            cover_href, "image/jpeg", data=make_cover(bulletin, theme, front.lead, chosen)
        )

    env = theme.environment(
        globals_=_context(bulletin, backend, stylesheets, modified)
        | {"cover_href": cover_href, "fillers": fillers, "authors": authors},
        filters={"shift_headings": shift_headings, "units": units_filter},
    )
    pages: list[Page] = []
    for kind, template_name in backend.templates.items():
        template = env.get_template(template_name)
        if kind == "article":
            for section in bulletin.sections:
                for article in section.articles:
                    html = template.render(article=article, section=section)
                    pages.append(
                        Page(f"{article.slug}.xhtml", article.title, "article", html, section.slug)
                    )
        else:
            suffix = ".html" if backend.name == "pdf" else ".xhtml"
            title = {
                "cover": LABELS["cover"],
                "contents": LABELS["contents"],
                "index": LABELS["index"],
            }.get(kind, bulletin.title)
            pages.append(Page(f"{kind}{suffix}", title, kind, template.render()))
    return Rendition(
        bulletin, pages, stylesheets, assets, cover_href, modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
