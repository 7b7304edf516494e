"""Backends tested with hand-made renditions: strict about pages, reproducible bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from exporter import BuildError, build, load_bulletin
from exporter.backends.epub.backend import EpubBackend, reproducible_zip
from exporter.render.pages import render
from exporter.render.rendition import Page
from exporter.render.theme import Theme
from exporter.vietnamese.normalize import normalize


@pytest.fixture
def rendition(bulletin_dir: Path):
    return render(normalize(load_bulletin(bulletin_dir)), Theme(), EpubBackend())


def _replace_page(rendition, html: str):
    pages = list(rendition.pages)
    last = max(i for i, p in enumerate(pages) if p.kind == "article")
    old = pages[last]
    pages[last] = Page(old.href, old.title, old.kind, html, old.section)
    rendition.pages = pages
    return rendition


def test_malformed_page_is_refused_not_emptied(rendition) -> None:
    _replace_page(rendition, "<html><body><p>unclosed</body></html>")
    with pytest.raises(BuildError, match="03-ba.xhtml: not well-formed XHTML"):
        EpubBackend().build(rendition)


def test_empty_page_is_refused(rendition) -> None:
    empty = '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body/></html>'
    _replace_page(rendition, empty)
    with pytest.raises(BuildError, match="03-ba.xhtml: the page has no content"):
        EpubBackend().build(rendition)


def test_zip_has_mimetype_first_stored_and_fixed_times(rendition) -> None:
    data = EpubBackend().build(rendition)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert data[30:38] == b"mimetype" and data[38:58] == b"application/epub+zip"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert reproducible_zip(data) == data


def test_generated_cover_uses_title_and_is_stable(rendition) -> None:
    cover = rendition.assets[rendition.cover_href]
    image = Image.open(io.BytesIO(cover.read()))
    assert image.size == (1600, 2400)
    again = render(rendition.bulletin, Theme(), EpubBackend())
    assert again.assets[again.cover_href].read() == cover.read()


def test_own_cover_is_used(tmp_path: Path) -> None:
    from ..conftest import write_bulletin

    root = write_bulletin(tmp_path / "b", toml_extra='cover = "bia.png"')
    Image.new("RGB", (600, 900), (200, 30, 30)).save(root / "bia.png")
    report = build(root, tmp_path / "out", ["epub"])
    with zipfile.ZipFile(report.outputs[0].path) as archive:
        assert archive.read("EPUB/images/bia.png") == (root / "bia.png").read_bytes()


def test_same_input_same_bytes(bulletin_dir: Path, tmp_path: Path) -> None:
    first = build(bulletin_dir, tmp_path / "a", source_date_epoch="1700784000")
    second = build(bulletin_dir, tmp_path / "b", source_date_epoch="1700784000")
    for one, two in zip(first.outputs, second.outputs, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes(), one.format


def test_screen_fonts_are_subset_like_fonttools_would(sample_build) -> None:
    """HarfBuzz (uharfbuzz) gives the same cmap, glyphs and layout features as fontTools."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from exporter.backends.epub.screen_fonts import subset_font
    from exporter.render.theme import BUILTIN

    text = "Việt Nam ẤẦẨẪẬ Ở Ờ Ớ Ợ Ỡ khuỷu “trích” – … 0123456789 ₫ %"
    for path in sorted((BUILTIN / "styles" / "fonts").glob("*.ttf")):
        data = path.read_bytes()
        ours = TTFont(io.BytesIO(subset_font(data, text)))
        theirs = TTFont(io.BytesIO(data))
        options = subset.Options(layout_features=["*"], name_IDs=["*"], name_languages=["*"])
        options.notdef_outline, options.hinting = True, False
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(theirs)
        assert ours.getBestCmap().keys() == theirs.getBestCmap().keys(), path.name
        assert len(ours.getGlyphOrder()) == len(theirs.getGlyphOrder()), path.name
        for table in ("GSUB", "GPOS"):
            features = [
                sorted({r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord})
                for font in (ours, theirs)
            ]
            assert features[0] == features[1], (path.name, table)
