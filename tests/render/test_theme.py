"""Templates: shared, autoescaped, strict; a theme folder overrides templates and styles."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from exporter import build, load_bulletin
from exporter.backends.epub.backend import EpubBackend
from exporter.backends.pdf.backend import PdfBackend
from exporter.render.pages import render
from exporter.render.theme import BUILTIN, Theme
from exporter.vietnamese.normalize import normalize

from ..conftest import ARTICLE, write_bulletin


def test_both_editions_share_one_article_template() -> None:
    for entry in ("pdf/bulletin.html", "epub/chapter.xhtml"):
        text = (BUILTIN / "templates" / entry).read_text(encoding="utf-8")
        assert '{% extends "base.html" %}' in text
    assert '{% include "article.html" %}' in (BUILTIN / "templates/pdf/bulletin.html").read_text()
    assert '{% include "article.html" %}' in (BUILTIN / "templates/epub/chapter.xhtml").read_text()


def test_markup_in_text_is_escaped(tmp_path: Path) -> None:
    text = ARTICLE.format(title="Tin <script>alert(1)</script> & 'mới'")
    root = write_bulletin(tmp_path, {"articles/a.md": text, "articles/b.md": text})
    bulletin = normalize(load_bulletin(root))
    for backend in (PdfBackend(), EpubBackend()):
        html = "".join(p.html for p in render(bulletin, Theme(), backend).pages)
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


def test_undefined_variables_are_errors(bulletin_dir: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "article.html").write_text("<p>{{ article.no_such_field }}</p>")
    bulletin = normalize(load_bulletin(bulletin_dir))
    with pytest.raises(UndefinedError):
        render(bulletin, Theme([theme]), EpubBackend())


def test_theme_overrides_templates_and_styles(bulletin_dir: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "styles").mkdir()
    builtin_macros = (BUILTIN / "templates" / "_macros.html").read_text(encoding="utf-8")
    (theme / "templates" / "_macros.html").write_text(
        builtin_macros.replace('class="byline"', 'class="byline custom-byline"'),
        encoding="utf-8",
    )
    (theme / "styles" / "ebook.css").write_text(
        "body { margin: 0 7%; } /* house override */\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    report = build(bulletin_dir, out, ["epub"], theme_dirs=[theme])
    with zipfile.ZipFile(report.outputs[0].path) as epub:
        chapter = epub.read("EPUB/01-mot.xhtml").decode()
        css = epub.read("EPUB/styles/ebook.css").decode()
        common = epub.read("EPUB/styles/common.css").decode()
    assert "custom-byline" in chapter
    assert "house override" in css
    assert "@font-face" in common  # not overridden: the built-in file is used


def test_index_has_no_heading_without_entries(tmp_path: Path) -> None:
    """Articles without tags: the index lists authors only, with no empty "Chủ đề" heading."""
    bulletin = normalize(load_bulletin(write_bulletin(tmp_path)))
    assert not any(a.tags for a in bulletin.articles)
    for backend in (PdfBackend(), EpubBackend()):
        html = "".join(p.html for p in render(bulletin, Theme(), backend).pages)
        assert 'id="index-authors"' in html
        assert 'id="index-topics"' not in html
