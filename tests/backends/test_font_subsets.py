"""Parts leave to the merge the subsetting of the fonts it replaces by one subset for the whole
issue (press._subsets_left_to_the_merge, issue 12): the merged PDF is the same, byte for byte,
as when every part subsets its own; a font a part cannot share (a glyph missing) sends the parts
that left it to the merge to be written again with their own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from exporter.backends.pdf import press
from exporter.backends.pdf.backend import PdfBackend
from exporter.pipeline import prepare
from exporter.render.pages import render
from exporter.render.theme import Theme

from ..conftest import EPOCH, SAMPLE


def pdf(folder: Path) -> tuple[bytes, PdfBackend]:
    backend = PdfBackend(workers=2)
    return backend.build(render(prepare(folder, []), Theme(), backend, EPOCH)), backend


def every_part_subsets(monkeypatch: pytest.MonkeyPatch) -> None:
    original = press._subsets_left_to_the_merge
    monkeypatch.setattr(
        press, "_subsets_left_to_the_merge", lambda skipped, active=True: original(skipped, False)
    )


def test_the_same_bytes_as_when_every_part_subsets_its_fonts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    left, _ = pdf(SAMPLE)
    every_part_subsets(monkeypatch)
    own, _ = pdf(SAMPLE)
    assert left == own


def test_a_font_with_a_missing_glyph_is_subset_in_every_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "b"
    shutil.copytree(SAMPLE, folder)
    article = folder / "articles" / "09-bong-da-sinh-vien.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Gần 9.000", "Gần \U000f0041 9.000", 1), encoding="utf-8")
    left, backend = pdf(folder)
    _, sample = pdf(SAMPLE)
    again = backend.parts_report["layouts"] - sample.parts_report["layouts"]
    assert again >= 5  # the sections that left that font to the merge, laid out and written again
    every_part_subsets(monkeypatch)
    own, _ = pdf(folder)
    assert left == own
    fonts = subprocess.run(
        ["pdffonts", "-"], input=left, capture_output=True, check=True
    ).stdout.decode()
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows)  # emb, sub, uni
