"""The print edition of the sample, checked by opening the PDF we produced."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from exporter.pipeline import prepare
from exporter.render.theme import BUILTIN
from exporter.source.models import HtmlBlock

from ..conftest import SAMPLE, as_in_the_ebook

# What WeasyPrint names the faces declared in styles/common.css.
BUNDLED_FACES = {
    "Exporter-Serif",
    "Exporter-Serif-Italic",
    "Exporter-Serif-Bold",
    "Exporter-Serif-Bold-Italic",
    "Exporter-Display-Bold",
    "Exporter-Sans",
    "Exporter-Sans-Bold",
}
A4 = (595.28, 841.89)


def squash(text: str) -> str:
    """Compare text without whitespace: line breaks and columns move spaces, not letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def pdf_fonts(path: Path) -> dict[str, bytes | None]:
    """BaseFont (subset prefix stripped) -> embedded font program of every font used."""
    fonts: dict[str, bytes | None] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            name = re.sub(r"^[A-Z]{6}\+", "", name)
            program = None
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and "/FontFile2" in descriptor:
                    program = descriptor["/FontFile2"].get_object().get_data()
            fonts[name] = program
    return fonts


def bundled_family_names() -> set[str]:
    names = set()
    for path in (BUILTIN / "styles" / "fonts").glob("*.ttf"):
        names.add(TTFont(path)["name"].getDebugName(1))
    return names


def content_text(path: Path, publication: str) -> str:
    """The text of every page in drawing order, without running heads, folios and list markers.

    WeasyPrint draws columns one after the other, so a paragraph stays contiguous; the page
    furniture and list bullets come at the end of each page and are dropped here.
    """
    furniture = re.compile(rf"^\s*({re.escape(publication.upper())}\b.*|Trang \d+|•|\d+\.)\s*$")
    pages = []
    for page in PdfReader(path).pages:
        lines = page.extract_text().split("\n")
        pages.append("\n".join(line for line in lines if not furniture.match(line)))
    return "\n".join(pages)


@pytest.fixture(scope="module")
def bulletin(sample_build):
    """The sample in page order: its fillers after the sections they were printed in."""
    return as_in_the_ebook(prepare(SAMPLE, []), sample_build.report)


def test_page_size_is_a4(sample_build) -> None:
    reader = PdfReader(sample_build.pdf)
    assert len(reader.pages) >= 6
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (
            round(A4[0], 1),
            round(A4[1], 1),
        )


def test_only_bundled_fonts_are_embedded(sample_build) -> None:
    fonts = pdf_fonts(sample_build.pdf)
    assert fonts, "no fonts found"
    assert set(fonts) <= BUNDLED_FACES, set(fonts) - BUNDLED_FACES
    families = bundled_family_names()
    for name, program in fonts.items():
        assert program, f"{name} is not embedded"
        from io import BytesIO

        embedded = TTFont(BytesIO(program))
        assert embedded["name"].getDebugName(1) in families, name


def test_text_is_nfc_and_holds_every_paragraph(sample_build, bulletin) -> None:
    text = content_text(sample_build.pdf, bulletin.publication)
    assert unicodedata.is_normalized("NFC", text)
    assert "\ufffd" not in text
    flat = squash(text)
    from lxml import etree

    missing = []
    for article in bulletin.articles:
        pieces = [article.title, article.lead or ""]
        for block in article.blocks:
            if isinstance(block, HtmlBlock):
                root = etree.fromstring(block.html)
                for call in root.xpath(".//sup[contains(@class, 'footnote-ref')]"):
                    # print calls the note with its number; the note is at the page foot
                    call.text, call[:] = re.sub(r"\D", "", "".join(call.itertext())), []
                for element in root.iter("p", "li", "h2", "h3", "h4", "td", "th"):
                    if element.tag == "li" and element.find("p") is not None:
                        continue
                    pieces.append("".join(element.itertext()))
            else:
                pieces.append(block.figure.caption or "")
        missing += [p for p in pieces if squash(p) and squash(p) not in flat]
    assert not missing, missing[:3]


def test_bookmarks_are_sections_then_article_titles_in_order(sample_build, bulletin) -> None:
    outline = PdfReader(sample_build.pdf).outline
    sections, articles = [], []
    for item in outline:
        if isinstance(item, list):
            articles += [child.title for child in item]
        else:
            sections.append(item.title)
    assert sections == [s.title for s in bulletin.sections]
    assert articles == [a.title for a in bulletin.articles]


def test_metadata(sample_build, bulletin) -> None:
    reader = PdfReader(sample_build.pdf)
    info = reader.metadata
    assert info.title == bulletin.title
    for author in bulletin.authors:
        assert author in info.author
    assert info.creation_date is not None and info.modification_date is not None
    assert reader.trailer["/Root"]["/Lang"] == "vi"


def test_weasyprint_subsets_fonts_with_harfbuzz(sample_build) -> None:
    """libharfbuzz-subset0 is a required system package (the Makefile installs it): without
    it WeasyPrint falls back to fontTools and the PDF's bytes change from machine to machine."""
    from weasyprint.pdf import fonts

    assert fonts.harfbuzz_subset, "apt-get install libharfbuzz-subset0"
    assert not any("HarfBuzz-Subset" in w for w in sample_build.report.warnings)
