"""Issue 4, "done when": import the real example, build a bulletin around it, and find its
title, author, date, lead, caption and every paragraph in the PDF and in the EPUB."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from lxml import etree
from pypdf import PdfReader
from typer.testing import CliRunner

from exporter.cli import app
from exporter.pipeline import build, prepare, validate

REAL = Path(__file__).parent / "data" / "import" / "binh-thuan-onecms.txt"
runner = CliRunner()


def _squash(text: str) -> str:
    return "".join(text.split())


def _flows(piece: str, pages: list[str], cuts: int = 2) -> bool:
    """``piece`` is in the text of ``pages`` in order, cut at most ``cuts`` times, and only
    across a page boundary, by at most 80 other characters (running head and folio)."""
    text, ends, total = "".join(pages), set(), 0
    for page in pages:
        total += len(page)
        ends.add(total)
    at = text.find(piece[:10])
    while at >= 0:
        rest, pos = piece, at
        for _ in range(cuts + 1):
            lo, hi = 0, len(rest)
            while lo < hi:  # longest prefix of rest found right at pos
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if text.startswith(rest[:mid], pos) else (lo, mid - 1)
            rest, pos = rest[lo:], pos + lo
            if not rest:
                return True
            skip = text[pos : pos + 80 + len(rest[:10])].find(rest[:10])
            if skip < 0 or not any(pos <= end <= pos + skip for end in ends):
                break
            pos += skip
        at = text.find(piece[:10], at + 1)
    return False


def test_imported_article_builds_into_pdf_and_epub(tmp_path: Path) -> None:
    folder = tmp_path / "bulletin"
    result = runner.invoke(
        app,
        ["import", str(REAL), "-o", str(folder / "articles"), "--report", str(tmp_path / "r.json")],
    )
    assert result.exit_code == 0, result.output
    article = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["inputs"][0]
    rel = Path(article["output"]).relative_to(folder).as_posix()
    (folder / "bulletin.toml").write_text(
        'publication = "Bản tin Thử"\nissue = 47\nyear = 2023\n'
        "week = { start = 2023-11-20, end = 2023-11-26 }\n\n"
        f'[[sections]]\ntitle = "Xã hội"\narticles = ["{rel}"]\n',
        encoding="utf-8",
    )
    warnings = validate(folder)
    assert [w.message for w in warnings if "placeholder" not in w.message] == []
    assert any("placeholder" in w.message for w in warnings)
    assert runner.invoke(app, ["validate", str(folder)]).exit_code == 0

    # What the reader must find, after the build's own typography ("…" -> “…”, " - " -> " – ").
    built = prepare(folder, []).articles[0]
    wanted = [built.title, *built.authors, "23/11/2023", built.lead, built.top_figure.caption]
    wanted += [built.attribution]
    paragraphs = [" ".join(etree.fromstring(block.html).itertext()) for block in built.blocks]
    assert len(paragraphs) == 7
    report = build(folder, tmp_path / "out", source_date_epoch="1700784000")
    outputs = {o.format: o.path for o in report.outputs}

    pages = [_squash(page.extract_text()) for page in PdfReader(outputs["pdf"]).pages]
    pdf = "".join(pages)
    for text in wanted:
        assert _squash(text) in pdf, text
    for text in paragraphs:  # the first one too: its drop cap is not text apart
        assert _flows(_squash(text), pages), text

    with zipfile.ZipFile(outputs["epub"]) as epub:
        chapter = next(n for n in epub.namelist() if n.endswith(f"{built.slug}.xhtml"))
        xhtml = etree.fromstring(epub.read(chapter))
    epub_text = _squash("".join(xhtml.itertext()))
    for text in [*wanted, *paragraphs]:
        assert _squash(text) in epub_text, text
