"""The PDF's text reads as the article: first words whole, units unbroken (issue 11, point 6).

Checked with three extractors that readers and archives use: pypdf, PDFium (pypdfium2) and
poppler's pdftotext.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from lxml import etree
from pypdf import PdfReader

from exporter import build
from exporter.pipeline import prepare
from exporter.source.models import HtmlBlock

from ..conftest import ARTICLE, EPOCH, SAMPLE, write_bulletin


def extracted(pdf: Path) -> dict[str, str]:
    """The whole text of the PDF by each extractor, whitespace squashed to single spaces."""
    texts = {
        "pypdf": "\n".join(page.extract_text() for page in PdfReader(pdf).pages),
        "pdfium": "\n".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(pdf)),
        "poppler": subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout,
    }
    return {name: " ".join(text.split()) for name, text in texts.items()}


def test_each_article_s_first_words_are_found_whole(sample_build) -> None:
    texts = extracted(sample_build.pdf)
    bulletin = prepare(SAMPLE, [])
    firsts = []
    for article in bulletin.articles:
        block = next(b for b in article.blocks if isinstance(b, HtmlBlock))
        words = "".join(etree.fromstring(block.html).itertext()).split()[:4]
        firsts.append(" ".join(words))
    assert len(firsts) == 16 and any(f.startswith("Nghị quyết") for f in firsts)  # 6 fillers
    for name, text in texts.items():
        missing = [first for first in firsts if first not in text]
        assert missing == [], name


UNITS = ["km/h", "m³/s", "đồng/kg", "người/km²", "tấn/ha"]


def test_units_never_break_at_the_slash(tmp_path: Path) -> None:
    # Sentences of growing length, so that the units land at every place in a line.
    sentences = [
        f"Đoạn {'đường ' * (i % 7)}số {i} cho phép {i * 3} {UNITS[i % len(UNITS)]} tối đa."
        for i in range(1, 120)
    ]
    body = ARTICLE.format(title="Tốc độ trên các tuyến") + "\n" + " ".join(sentences) + "\n"
    folder = write_bulletin(tmp_path / "b", {"articles/01-mot.md": body, **_two_more()})
    report = build(folder, tmp_path / "out", formats=["pdf"], source_date_epoch=EPOCH)
    pdf = report.outputs[0].path
    lines = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    broken = [line for line in lines if re.search(r"[^\W\d_][\w²³]*/$", line.strip())]
    assert broken == []
    text = extracted(pdf)["poppler"]
    for unit in UNITS:
        wanted = sum(1 for i in range(1, 120) if UNITS[i % len(UNITS)] == unit)
        assert text.count(unit) == wanted, unit


def _two_more() -> dict[str, str]:
    return {
        "articles/02-hai.md": ARTICLE.format(title="Đồng bằng sông Cửu Long đón mùa nước nổi"),
        "articles/03-ba.md": ARTICLE.format(title="Ấn tượng Đầm Thị Nại"),
    }


@pytest.mark.parametrize("unit", UNITS)
def test_units_keep_their_text_in_the_epub(tmp_path: Path, unit: str) -> None:
    body = ARTICLE.format(title="Tốc độ") + f"\nTối đa 80 {unit} trên tuyến.\n"
    folder = write_bulletin(tmp_path / "b", {"articles/01-mot.md": body, **_two_more()})
    report = build(folder, tmp_path / "out", formats=["epub"], source_date_epoch=EPOCH)
    import zipfile

    with zipfile.ZipFile(report.outputs[0].path) as epub:
        xhtml = epub.read("EPUB/01-mot.xhtml").decode()
    assert f'<span class="unit">{unit}</span>' in xhtml
