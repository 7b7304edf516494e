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
from collections.abc import Callable
from dataclasses import dataclass, field

from ebooklib import epub
from lxml import etree

from exporter.errors import BuildError
from exporter.render.labels import LABELS
from exporter.render.rendition import Page, PageKind, Rendition
from exporter.source.models import Bulletin

from .screen_fonts import for_screens

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
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


def reproducible_zip(
    data: bytes,
    when: tuple[int, ...] = FIXED_ZIP_TIME,
    transform: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """Same entries, same order, fixed times; ``mimetype`` first and stored.

    ``transform`` rewrites named entries on the way (what ebooklib cannot write itself).
    """
    transform = transform or {}
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
                content = source.read(name)
                if name in transform:
                    content = transform[name](content)
                target.writestr(info, content, compresslevel=9)
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
        for page in rendition.pages:
            check_page(page)
        assets, self.stats, saved = for_screens(rendition.assets, _reading_text(rendition))
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
        for name, value in accessibility_metadata(rendition):
            book.add_metadata(None, "meta", value, {"property": name})

        for sheet in rendition.stylesheets:
            book.add_item(
                epub.EpubItem(
                    uid=_uid(sheet.href),
                    file_name=sheet.href,
                    media_type="text/css",
                    content=sheet.text.encode(),
                )
            )
        for href, asset in assets.items():
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
            cover = assets[rendition.cover_href]
            book.set_cover(rendition.cover_href, cover.read(), create_page=False)

        documents: dict[str, epub.EpubHtml] = {}
        for page in rendition.pages:
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
        book.add_item(epub.EpubNav(title=LABELS["contents"]))
        book.spine = list(documents.values())
        book.guide = [
            {"type": "cover", "href": "cover.xhtml", "title": LABELS["cover"]},
            {"type": "toc", "href": "contents.xhtml", "title": LABELS["contents"]},
        ]
        first = next((p for p in rendition.pages if p.kind == "article"), None)
        if first:
            book.guide.append({"type": "text", "href": first.href, "title": "Nội dung"})
        if any(p.kind == "index" for p in rendition.pages):
            book.guide.append({"type": "index", "href": "index.xhtml", "title": LABELS["index"]})

        out = io.BytesIO()
        modified = dt.datetime.strptime(rendition.modified, "%Y-%m-%dT%H:%M:%SZ")
        ok = epub.write_epub(
            out,
            book,
            {
                "raise_exceptions": True,
                "epub3_pages": False,  # it would list every element with an id; ours is below
                "landmark_title": "Điểm mốc",
                "mtime": modified,
            },
        )
        if not ok or not out.getvalue():
            raise BuildError("ebooklib could not write the EPUB")
        data = reproducible_zip(
            out.getvalue(),
            transform={
                "EPUB/content.opf": lambda opf: _package_language(opf, bulletin.language),
                "EPUB/nav.xhtml": lambda nav: _navigation(nav, rendition.page_list),
            },
        )
        self.stats["epub_bytes_without_subsetting"] = len(data) + saved()
        return data


def accessibility_metadata(rendition: Rendition) -> list[tuple[str, str]]:
    """schema.org accessibility metadata (EPUB Accessibility 1.1), summary in Vietnamese."""
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "alternativeText",
        "displayTransformability",
    ]
    if rendition.page_list:
        features += ["pageNavigation", "printPageNumbers"]
    summary = (
        "Ấn phẩm đáp ứng EPUB Accessibility 1.1 và WCAG 2.1 mức AA: có mục lục, điểm mốc và "
        "thứ tự đọc hợp lý; mọi hình ảnh đều có văn bản thay thế; chữ có thể phóng to, đổi "
        "phông và màu theo thiết lập của thiết bị đọc; không có nội dung gây nguy hiểm."
    )
    if rendition.page_list:
        summary += " Số trang của bản in được đánh dấu trong văn bản và trong danh sách trang."
    metas = [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
    ]
    metas += [("schema:accessibilityFeature", f) for f in features]
    metas += [
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary),
        ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"),
    ]
    if rendition.page_list:
        metas.append(("pageBreakSource", f"{rendition.bulletin.title} – bản in (PDF)"))
    return metas


def _package_language(opf: bytes, language: str) -> bytes:
    """ebooklib writes no ``xml:lang`` on ``<package>``; Ace requires it."""
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _navigation(nav: bytes, page_list: list[tuple[int, str]]) -> bytes:
    """Roles on the navigation, and our own page list (the print edition's page numbers)."""
    root = etree.fromstring(nav)
    ns = {"x": XHTML_NS, "epub": EPUB_NS}
    for landmarks in root.iterfind(".//x:nav[@epub:type='landmarks']", ns):
        landmarks.set("aria-label", "Điểm mốc")
    if page_list:
        body = root.find("x:body", ns)
        page_nav = etree.SubElement(body, f"{{{XHTML_NS}}}nav")
        page_nav.set(f"{{{EPUB_NS}}}type", "page-list")
        page_nav.set("role", "doc-pagelist")
        page_nav.set("aria-labelledby", "danh-sach-trang")
        page_nav.set("hidden", "hidden")
        heading = etree.SubElement(page_nav, f"{{{XHTML_NS}}}h2", id="danh-sach-trang")
        heading.text = "Danh sách trang (bản in)"
        items = etree.SubElement(page_nav, f"{{{XHTML_NS}}}ol")
        for number, href in page_list:
            link = etree.SubElement(
                etree.SubElement(items, f"{{{XHTML_NS}}}li"), f"{{{XHTML_NS}}}a", href=href
            )
            link.text = str(number)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _reading_text(rendition: Rendition) -> str:
    """Every character the e-book shows: pages, navigation titles, labels."""
    parts = [page.title for page in rendition.pages]
    for page in rendition.pages:
        parts.extend(etree.fromstring(page.html.encode("utf-8")).itertext())
    parts += [s.title for s in rendition.bulletin.sections]
    parts += list(LABELS.values()) + ["Điểm mốc", "Danh sách trang (bản in)", "Nội dung"]
    return "".join(parts)


def _uid(href: str) -> str:
    """An XML id from an href (ids may not start with a digit)."""
    return "x-" + "".join(c if c.isalnum() else "-" for c in href)
