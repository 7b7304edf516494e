"""The e-book edition of the sample, checked by opening the EPUB and by EPUBCheck."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from exporter.pipeline import prepare
from exporter.render.theme import BUILTIN

from ..conftest import EPOCH, NS, SAMPLE, as_in_the_ebook, epubcheck


@pytest.fixture(scope="module")
def bulletin(sample_build):
    """The sample as the e-book has it: its fillers after the sections they were printed in."""
    return as_in_the_ebook(prepare(SAMPLE, []), sample_build.report)


@pytest.fixture(scope="module")
def epub(sample_epub):
    return sample_epub


@pytest.fixture(scope="module")
def opf(sample_opf):
    return sample_opf


def test_epubcheck_reports_no_errors_or_warnings(sample_build) -> None:
    messages = epubcheck(sample_build.epub)
    for severity in ("FATAL", "ERROR", "WARNING"):
        assert not messages.get(severity), messages.get(severity)


def test_metadata(opf, bulletin) -> None:
    meta = opf.find("opf:metadata", NS)
    assert meta.findtext("dc:identifier", namespaces=NS) == bulletin.identifier
    assert meta.findtext("dc:title", namespaces=NS) == bulletin.title
    assert meta.findtext("dc:language", namespaces=NS) == "vi"
    assert meta.findtext("dc:publisher", namespaces=NS) == bulletin.publisher
    assert meta.findtext("dc:date", namespaces=NS) == "2023-11-26"
    creators = [c.text for c in meta.findall("dc:creator", NS)]
    assert creators == bulletin.authors
    modified = meta.find("opf:meta[@property='dcterms:modified']", NS).text
    assert modified == "2023-11-24T00:00:00Z"  # SOURCE_DATE_EPOCH=1700784000
    assert EPOCH == "1700784000"


def test_one_page_per_article_plus_cover_and_contents(opf, bulletin) -> None:
    manifest = {i.get("id"): i for i in opf.find("opf:manifest", NS)}
    spine = [manifest[r.get("idref")].get("href") for r in opf.find("opf:spine", NS)]
    articles = [f"{a.slug}.xhtml" for a in bulletin.articles]
    assert spine == ["cover.xhtml", "contents.xhtml", *articles, "index.xhtml"]
    assert all(r.get("linear") in (None, "yes") for r in opf.find("opf:spine", NS))


def test_every_page_is_non_empty_vietnamese_xhtml(epub, opf) -> None:
    for item in opf.find("opf:manifest", NS):
        if item.get("media-type") != "application/xhtml+xml":
            continue
        root = etree.fromstring(epub.read("EPUB/" + item.get("href")))
        assert root.get("lang") == "vi"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
        body = root.find("x:body", NS)
        assert "".join(body.itertext()).strip() or body.find(".//x:img", NS) is not None


def test_nav_lists_sections_then_articles(epub, bulletin) -> None:
    nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert toc.findtext("x:h2", namespaces=NS) == "Mục lục"
    sections = toc.findall("x:ol/x:li", NS)
    assert [s.findtext("x:span", namespaces=NS) for s in sections] == [
        s.title for s in bulletin.sections
    ]
    links = [a.get("href") for a in toc.iterfind("x:ol/x:li/x:ol/x:li/x:a", NS)]
    assert links == [f"{a.slug}.xhtml" for a in bulletin.articles]
    ncx = etree.fromstring(epub.read("EPUB/toc.ncx"))
    assert len(ncx.findall(".//ncx:navPoint", NS)) == len(bulletin.sections) + len(
        bulletin.articles
    )


def test_fonts_are_embedded_with_explicit_media_types(epub, opf) -> None:
    fonts = {
        i.get("href"): i.get("media-type")
        for i in opf.find("opf:manifest", NS)
        if i.get("href").endswith(".ttf")
    }
    bundled = {p.name for p in (BUILTIN / "styles" / "fonts").glob("*.ttf")}
    assert {h.rsplit("/", 1)[-1] for h in fonts} == bundled
    assert set(fonts.values()) == {"font/ttf"}
    css = epub.read("EPUB/styles/common.css").decode()
    for href in fonts:
        assert href.removeprefix("styles/") in css
        assert epub.read("EPUB/" + href)[:4] == b"\x00\x01\x00\x00"


def test_cover_image_is_declared(opf, epub) -> None:
    covers = [
        i for i in opf.find("opf:manifest", NS) if "cover-image" in (i.get("properties") or "")
    ]
    assert len(covers) == 1
    assert epub.read("EPUB/" + covers[0].get("href"))[:3] == b"\xff\xd8\xff"  # JPEG


def test_ebook_css_is_reflowable(epub) -> None:
    for name in ("EPUB/styles/ebook.css", "EPUB/styles/common.css"):
        css = re.sub(r"/\*.*?\*/", "", epub.read(name).decode(), flags=re.S)
        assert "@page" not in css
        without_fonts = re.sub(r"@font-face\s*{[^}]*}", "", css)
        assert not re.search(r"\d(px|pt|pc|mm|cm|in)\b", without_fonts), name
