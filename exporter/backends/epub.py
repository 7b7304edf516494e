"""E-book edition: EPUB 3 packaged by ebooklib, made strict and reproducible around it.

ebooklib fails quietly in several ways (an unparsable page becomes an empty chapter, write
errors are swallowed, zip times are 'now'), so each page is checked as XML first, the writer
runs with ``raise_exceptions`` and its result is checked, and the zip is rewritten with fixed
times and order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from ebooklib import epub
from lxml import etree

from ..errors import BuildError
from ..models import Bulletin
from ..rendition import Page, PageKind, Rendition

XHTML_NS = "http://www.w3.org/1999/xhtml"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def check_page(page: Page) -> None:
    """Refuse a page ebooklib would silently turn into an empty chapter."""
    try:
        root = etree.fromstring(page.html.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise BuildError(f"{page.href}: not well-formed XHTML: {exc}") from None
    body = root.find(f"{{{XHTML_NS}}}body")
    if body is None or not (
        "".join(body.itertext()).strip() or body.find(f".//{{{XHTML_NS}}}img") is not None
    ):
        raise BuildError(f"{page.href}: the page has no content")


def reproducible_zip(data: bytes, when: tuple[int, ...] = FIXED_ZIP_TIME) -> bytes:
    """Same entries, same order, fixed times; ``mimetype`` first and stored."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    if "mimetype" not in names:
        raise BuildError("the EPUB has no mimetype entry")
    order = ["mimetype"] + [n for n in names if n != "mimetype"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=when)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, source.read(name))
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()


@dataclass
class EpubBackend:
    name: str = "epub"
    suffix: str = ".epub"
    templates: dict[PageKind, str] = field(
        default_factory=lambda: {
            "cover": "epub/cover.xhtml",
            "contents": "epub/contents.xhtml",
            "article": "epub/chapter.xhtml",
            "index": "epub/index.xhtml",
        }
    )
    stylesheets: tuple[str, ...] = ("common.css", "ebook.css")
    headline_level: int = 1
    inline_footnotes: bool = False
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    def extra_css(self, bulletin: Bulletin) -> str:
        return ""

    def build(self, rendition: Rendition) -> bytes:
        bulletin = rendition.bulletin
        book = epub.EpubBook()
        book.set_identifier(bulletin.identifier)
        book.set_title(bulletin.title)
        book.set_language(bulletin.language)
        for n, author in enumerate(bulletin.authors, start=1):
            book.add_author(author, uid=f"creator{n}")
        if bulletin.publisher:
            book.add_metadata("DC", "publisher", bulletin.publisher)
        if bulletin.rights:
            book.add_metadata("DC", "rights", bulletin.rights)
        book.add_metadata("DC", "date", bulletin.week.end.isoformat())

        for sheet in rendition.stylesheets:
            book.add_item(
                epub.EpubItem(
                    uid=_uid(sheet.href),
                    file_name=sheet.href,
                    media_type="text/css",
                    content=sheet.text.encode(),
                )
            )
        for href, asset in rendition.assets.items():
            if href == rendition.cover_href:
                continue
            book.add_item(
                epub.EpubItem(
                    uid=_uid(href),
                    file_name=href,
                    media_type=asset.media_type,
                    content=asset.read(),
                )
            )
        if rendition.cover_href:
            cover = rendition.assets[rendition.cover_href]
            book.set_cover(rendition.cover_href, cover.read(), create_page=False)

        documents: dict[str, epub.EpubHtml] = {}
        for page in rendition.pages:
            check_page(page)
            item = epub.EpubHtml(
                uid=_uid(page.href),
                file_name=page.href,
                title=page.title,
                lang=bulletin.language,
                content=page.html.encode("utf-8"),
            )
            for sheet in rendition.stylesheets:
                item.add_link(href=sheet.href, rel="stylesheet", type="text/css")
            book.add_item(item)
            documents[page.href] = item

        toc: list[object] = []
        for section in bulletin.sections:
            links = [
                epub.Link(f"{a.slug}.xhtml", a.title, f"toc-{a.slug}") for a in section.articles
            ]
            toc.append((epub.Section(section.title), links))
        book.toc = toc
        book.add_item(epub.EpubNcx())
        book.add_item(epub.EpubNav(title="Mục lục"))
        book.spine = list(documents.values())
        book.guide = [
            {"type": "cover", "href": "cover.xhtml", "title": "Bìa"},
            {"type": "toc", "href": "contents.xhtml", "title": "Mục lục"},
        ]
        first = next((p for p in rendition.pages if p.kind == "article"), None)
        if first:
            book.guide.append({"type": "text", "href": first.href, "title": "Nội dung"})
        if any(p.kind == "index" for p in rendition.pages):
            book.guide.append({"type": "index", "href": "index.xhtml", "title": "Chỉ mục"})

        out = io.BytesIO()
        modified = dt.datetime.strptime(rendition.modified, "%Y-%m-%dT%H:%M:%SZ")
        ok = epub.write_epub(
            out,
            book,
            {
                "raise_exceptions": True,
                "epub3_pages": False,
                "landmark_title": "Điểm mốc",
                "mtime": modified,
            },
        )
        if not ok or not out.getvalue():
            raise BuildError("ebooklib could not write the EPUB")
        return reproducible_zip(out.getvalue())


def _uid(href: str) -> str:
    """An XML id from an href (ids may not start with a digit)."""
    return "x-" + "".join(c if c.isalnum() else "-" for c in href)
